from django.urls import path

from terpadu.arsip import views

app_name = "arsip"
urlpatterns = [
    path("klasifikasi/", views.klasifikasi_list, name="klasifikasi_list"),
    path("klasifikasi/baru/", views.klasifikasi_create, name="klasifikasi_create"),
    path("klasifikasi/<int:pk>/", views.klasifikasi_detail, name="klasifikasi_detail"),
    path("klasifikasi/<int:pk>/ubah/", views.klasifikasi_edit, name="klasifikasi_edit"),
    path("klasifikasi/<int:pk>/pensiunkan/", views.klasifikasi_retire, name="klasifikasi_retire"),
    path("klasifikasi/impor/", views.klasifikasi_import, name="klasifikasi_import"),
    path("klasifikasi/ekspor/", views.klasifikasi_export, name="klasifikasi_export"),
    path("klasifikasi/versi/", views.versi_list, name="versi_list"),
    path("klasifikasi/versi/baru/", views.versi_create, name="versi_create"),
    path("klasifikasi/versi/<int:pk>/aktifkan/", views.versi_activate, name="versi_activate"),
    path("berkas/", views.berkas_list, name="berkas_list"),
    path("berkas/baru/", views.berkas_create, name="berkas_create"),
    path("berkas/<int:pk>/", views.berkas_detail, name="berkas_detail"),
    path("berkas/<int:pk>/ubah/", views.berkas_edit, name="berkas_edit"),
    path("berkas/<int:pk>/tutup/", views.berkas_close, name="berkas_close"),
    path("usulan/", views.usulan_list, name="usulan_list"),
    path("usulan/putuskan/", views.usulan_decide, name="usulan_decide"),
    path("isi/<int:pk>/pindah/", views.isi_move, name="isi_move"),
    path("retensi/", views.retensi, name="retensi"),
    path("berita-acara/", views.ba_list, name="ba_list"),
    path("berita-acara/baru/", views.ba_create, name="ba_create"),
    path("berita-acara/<int:pk>/", views.ba_detail, name="ba_detail"),
    path("berita-acara/<int:pk>/dokumen/", views.ba_file, name="ba_file"),
    path("naskah/<int:pk>/panel/", views.naskah_panel, name="naskah_panel"),
]
