from django.urls import path

from terpadu.kontrak import views

urlpatterns: list = [
    path("paket/", views.paket_list, name="paket_list"),
    path("paket/baru/", views.paket_create, name="paket_create"),
    path("paket/<int:pk>/", views.paket_detail, name="paket_detail"),
    path("paket/<int:pk>/ubah/", views.paket_edit, name="paket_edit"),
    path("paket/<int:pk>/hapus/", views.paket_delete, name="paket_delete"),
    path("paket/<int:pk>/kontrak/baru/", views.kontrak_create, name="kontrak_create"),
    path("", views.kontrak_list, name="kontrak_list"),
    path("ekspor/", views.kontrak_export, name="kontrak_export"),
    path("<int:pk>/", views.kontrak_detail, name="kontrak_detail"),
    path("<int:pk>/ubah/", views.kontrak_edit, name="kontrak_edit"),
    path("<int:pk>/status/", views.kontrak_status, name="kontrak_status"),
    path("<int:pk>/riwayat/", views.kontrak_riwayat, name="kontrak_riwayat"),
    path("<int:pk>/ocds.json", views.kontrak_ocds, name="kontrak_ocds"),
    path("<int:pk>/dokumen/", views.kontrak_dokumen, name="kontrak_dokumen"),
    path("<int:pk>/adendum/baru/", views.adendum_create, name="adendum_create"),
    path("adendum/<int:pk>/dokumen/", views.adendum_dokumen, name="adendum_dokumen"),
    path("<int:pk>/termin/baru/", views.termin_create, name="termin_create"),
    path("termin/<int:pk>/ubah/", views.termin_edit, name="termin_edit"),
    path("termin/<int:pk>/hapus/", views.termin_delete, name="termin_delete"),
    path("<int:pk>/jaminan/baru/", views.jaminan_create, name="jaminan_create"),
    path("jaminan/<int:pk>/ubah/", views.jaminan_edit, name="jaminan_edit"),
    path("penyedia/", views.penyedia_list, name="penyedia_list"),
    path("penyedia/baru/", views.penyedia_create, name="penyedia_create"),
    path("penyedia/<int:pk>/", views.penyedia_detail, name="penyedia_detail"),
    path("penyedia/<int:pk>/ubah/", views.penyedia_edit, name="penyedia_edit"),
]
