from django.urls import path

from terpadu.organisasi import views

app_name = "organisasi"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("unit/baru/", views.unit_edit, name="unit_create"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path("unit/<int:pk>/riwayat-jabatan/", views.riwayat_list, name="riwayat_list"),
    path("jabatan/baru/", views.jabatan_edit, name="jabatan_create"),
    path("jabatan/<int:pk>/", views.jabatan_detail, name="jabatan_detail"),
    path("jabatan/<int:pk>/ubah/", views.jabatan_edit, name="jabatan_edit"),
    path("penugasan/<int:pk>/cabut/", views.acting_revoke, name="acting_revoke"),
    path("pegawai/", views.pegawai_list, name="pegawai_list"),
    path("pegawai/baru/", views.pegawai_edit, name="pegawai_create"),
    path("pegawai/<int:pk>/", views.pegawai_detail, name="pegawai_detail"),
    path("pegawai/<int:pk>/ubah/", views.pegawai_edit, name="pegawai_edit"),
    path("pegawai/<int:pk>/angkat/", views.pegawai_assign, name="pegawai_assign"),
    path("impor/", views.import_view, name="import"),
    path("ekspor/", views.export_view, name="export"),
]
