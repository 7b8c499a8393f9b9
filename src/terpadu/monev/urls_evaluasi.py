"""Web routes of monev evaluasi (namespace "monev")."""

from django.urls import path

from terpadu.monev import views_evaluasi as v

urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("ekspor/", v.dashboard_export, name="dashboard_export"),
    path("pimpinan/", v.pimpinan, name="pimpinan"),
    path("skala/", v.skala_list, name="skala_list"),
    path("skala/muat/", v.skala_muat, name="skala_muat"),
    path("skala/<int:pk>/ubah/", v.skala_edit, name="skala_edit"),
    path("periode/", v.periode_list, name="periode_list"),
    path("periode/buat/", v.periode_buat, name="periode_buat"),
    path("periode/<int:pk>/", v.periode_detail, name="periode_detail"),
    path("periode/<int:pk>/kunci/", v.periode_kunci, name="periode_kunci"),
    path("periode/<int:pk>/buka/", v.periode_buka, name="periode_buka"),
    path("periode/<int:pk>/siapkan/", v.periode_siapkan, name="periode_siapkan"),
    path("periode/<int:pk>/indikator/<int:indikator>/", v.capaian_isi, name="capaian_isi"),
    path("evaluasi/<int:pk>/", v.evaluasi_detail, name="evaluasi_detail"),
    path("evaluasi/<int:pk>/kirim/", v.evaluasi_kirim, name="evaluasi_kirim"),
    path("evaluasi/<int:pk>/kembalikan/", v.evaluasi_kembalikan, name="evaluasi_kembalikan"),
    path("peringatan/", v.peringatan_list, name="peringatan_list"),
    path("peringatan/periksa/", v.peringatan_periksa, name="peringatan_periksa"),
    path("ekspor/renja/", v.export_renja, name="export_renja"),
    path("ekspor/rkpd/", v.export_rkpd, name="export_rkpd"),
]
