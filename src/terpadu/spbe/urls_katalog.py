"""Web routes of the katalog part (application catalogue, national applications, flags, integration map)."""

from django.urls import path

from terpadu.spbe import views_katalog as v

urlpatterns: list = [
    path("aplikasi/", v.aplikasi_list, name="aplikasi_list"),
    path("aplikasi/baru/", v.aplikasi_create, name="aplikasi_create"),
    path("aplikasi/temuan/", v.aplikasi_flags, name="aplikasi_flags"),
    path("aplikasi/peta-integrasi/", v.aplikasi_map, name="aplikasi_map"),
    path("aplikasi/ekspor/", v.aplikasi_export, name="aplikasi_export"),
    path("aplikasi/impor/", v.aplikasi_import, name="aplikasi_import"),
    path("aplikasi/tumpang-tindih/", v.aplikasi_overlap, name="aplikasi_overlap"),
    path("aplikasi/<int:pk>/", v.aplikasi_detail, name="aplikasi_detail"),
    path("aplikasi/<int:pk>/ubah/", v.aplikasi_edit, name="aplikasi_edit"),
    path("aplikasi/<int:pk>/status/", v.aplikasi_status, name="aplikasi_status"),
    path("aplikasi/<int:pk>/hapus/", v.aplikasi_delete, name="aplikasi_delete"),
    path("aplikasi/<int:pk>/data/", v.aplikasi_data_add, name="aplikasi_data_add"),
    path("aplikasi/data/<int:pk>/hapus/", v.aplikasi_data_delete, name="aplikasi_data_delete"),
    path("aplikasi/<int:pk>/integrasi/", v.aplikasi_integrasi_add, name="aplikasi_integrasi_add"),
    path("aplikasi/integrasi/<int:pk>/hapus/", v.aplikasi_integrasi_delete, name="aplikasi_integrasi_delete"),
    path("aplikasi-nasional/", v.nasional_list, name="nasional_list"),
]
