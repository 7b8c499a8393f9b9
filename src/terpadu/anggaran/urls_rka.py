from django.urls import path

from terpadu.anggaran import views_rka as v

urlpatterns = [
    path("tahap/", v.tahap_list, name="tahap_list"),
    path("tahap/buka/", v.tahap_create, name="tahap_create"),
    path("tahap/<int:pk>/", v.tahap_detail, name="tahap_detail"),
    path("tahap/<int:pk>/tetapkan/", v.tahap_tetapkan, name="tahap_tetapkan"),
    path("tahap/<int:pk>/pagu/", v.pagu_set, name="pagu_set"),
    path("rka/", v.rka_list, name="rka_list"),
    path("rka/baru/", v.rka_create, name="rka_create"),
    path("rka/<int:pk>/", v.rka_detail, name="rka_detail"),
    path("rka/<int:pk>/rincian/", v.rincian_add, name="rincian_add"),
    path("rka/<int:pk>/ajukan/", v.rka_submit, name="rka_submit"),
    path("rka/<int:pk>/kas/", v.kas_edit, name="kas_edit"),
    path("rka/<int:pk>/verifikasi/", v.rka_verify, name="rka_verify"),
    path("rka/<int:pk>/dpa/", v.dpa_print, name="dpa_print"),
    path("rincian/<int:pk>/ubah/", v.rincian_edit, name="rincian_edit"),
    path("rincian/<int:pk>/hapus/", v.rincian_delete, name="rincian_delete"),
    path("rincian/impor/", v.rincian_import, name="rincian_import"),
    path("rincian/ekspor/", v.rincian_export, name="rincian_export"),
    path("perbandingan/", v.compare, name="compare"),
]
