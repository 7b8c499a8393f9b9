from django.urls import path

from terpadu.spbe import views_usulan as v

urlpatterns = [
    path("usulan/", v.usulan_list, name="usulan_list"),
    path("usulan/baru/", v.usulan_create, name="usulan_create"),
    path("usulan/cek-anggaran/", v.usulan_cek_anggaran, name="usulan_cek_anggaran"),
    path("usulan/<int:pk>/", v.usulan_detail, name="usulan_detail"),
    path("usulan/<int:pk>/ubah/", v.usulan_edit, name="usulan_edit"),
    path("usulan/<int:pk>/ajukan/", v.usulan_submit, name="usulan_submit"),
    path("usulan/<int:pk>/hapus/", v.usulan_delete, name="usulan_delete"),
    path("usulan/<int:pk>/review/", v.usulan_review, name="usulan_review"),
    path("usulan/<int:pk>/surat/", v.usulan_surat, name="usulan_surat"),
    path("usulan/<int:pk>/kirim/", v.usulan_kirim, name="usulan_kirim"),
    path("usulan/<int:pk>/pertimbangan/", v.usulan_pertimbangan, name="usulan_pertimbangan"),
]
