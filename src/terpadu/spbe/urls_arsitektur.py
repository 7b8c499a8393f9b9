"""Web routes of the arsitektur part (reference codes, elements, gaps, Peta Rencana) under /spbe/arsitektur/."""

from django.urls import path

from terpadu.spbe import views_arsitektur as views

urlpatterns: list = [
    path("arsitektur/referensi/", views.referensi_list, name="referensi_list"),
    path("arsitektur/referensi/muat/", views.referensi_load, name="referensi_load"),
    path("arsitektur/referensi/kode/baru/", views.referensi_kode_create, name="referensi_kode_create"),
    path("arsitektur/referensi/kode/<int:pk>/ubah/", views.referensi_kode_edit, name="referensi_kode_edit"),
    path("arsitektur/referensi/kode/<int:pk>/pensiun/", views.referensi_kode_retire, name="referensi_kode_retire"),
    path("arsitektur/elemen/", views.elemen_list, name="elemen_list"),
    path("arsitektur/elemen/matriks/", views.elemen_matrix, name="elemen_matrix"),
    path("arsitektur/elemen/ekspor/", views.elemen_export, name="elemen_export"),
    path("arsitektur/elemen/baru/<str:domain>/", views.elemen_create, name="elemen_create"),
    path("arsitektur/elemen/<int:pk>/", views.elemen_detail, name="elemen_detail"),
    path("arsitektur/elemen/<int:pk>/ubah/", views.elemen_edit, name="elemen_edit"),
    path("arsitektur/elemen/<int:pk>/pensiun/", views.elemen_retire, name="elemen_retire"),
    path("arsitektur/elemen/<int:pk>/relasi/", views.relasi_create, name="relasi_create"),
    path("arsitektur/elemen/<int:pk>/kesenjangan/", views.kesenjangan_create, name="kesenjangan_create"),
    path("arsitektur/relasi/<int:pk>/hapus/", views.relasi_delete, name="relasi_delete"),
    path("arsitektur/kesenjangan/", views.kesenjangan_list, name="kesenjangan_list"),
    path("arsitektur/kesenjangan/<int:pk>/kebutuhan/", views.kebutuhan_create, name="kebutuhan_create"),
    path("arsitektur/peta-rencana/", views.rencana_list, name="rencana_list"),
    path("arsitektur/peta-rencana/linimasa/", views.rencana_timeline, name="rencana_timeline"),
    path("arsitektur/peta-rencana/ekspor/", views.rencana_export, name="rencana_export"),
    path("arsitektur/peta-rencana/baru/", views.rencana_create, name="rencana_create"),
    path("arsitektur/peta-rencana/<int:pk>/", views.rencana_detail, name="rencana_detail"),
    path("arsitektur/peta-rencana/<int:pk>/ubah/", views.rencana_edit, name="rencana_edit"),
    path("arsitektur/peta-rencana/<int:pk>/hapus/", views.rencana_delete, name="rencana_delete"),
]
