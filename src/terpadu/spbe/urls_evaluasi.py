"""Web routes of the evaluasi part (namespace "spbe", under /spbe/)."""

from django.urls import path

from terpadu.spbe import views_evaluasi as v

urlpatterns = [
    path("evaluasi/kerangka/", v.kerangka_list, name="kerangka_list"),
    path("evaluasi/kerangka/muat/", v.kerangka_muat, name="kerangka_muat"),
    path("evaluasi/kerangka/unggah/", v.kerangka_unggah, name="kerangka_unggah"),
    path("evaluasi/kerangka/<int:pk>/", v.kerangka_detail, name="kerangka_detail"),
    path("evaluasi/", v.penilaian_list, name="penilaian_list"),
    path("evaluasi/buat/", v.penilaian_buat, name="penilaian_buat"),
    path("evaluasi/hasil-resmi/", v.hasil_resmi, name="hasil_resmi"),
    path("evaluasi/perbandingan/", v.perbandingan, name="perbandingan"),
    path("evaluasi/<int:pk>/", v.penilaian_detail, name="penilaian_detail"),
    path("evaluasi/<int:pk>/review/", v.penilaian_review, name="penilaian_review"),
    path("evaluasi/<int:pk>/kunci/", v.penilaian_kunci, name="penilaian_kunci"),
    path("evaluasi/<int:pk>/what-if/", v.penilaian_whatif, name="penilaian_whatif"),
    path("evaluasi/<int:pk>/gain/", v.penilaian_gains, name="penilaian_gains"),
    path("evaluasi/<int:pk>/ekspor/", v.penilaian_ekspor, name="penilaian_ekspor"),
    path("evaluasi/nilai/<int:pk>/", v.nilai_detail, name="nilai_detail"),
    path("evaluasi/nilai/<int:pk>/isi/", v.nilai_isi, name="nilai_isi"),
    path("evaluasi/nilai/<int:pk>/kirim/", v.nilai_kirim, name="nilai_kirim"),
    path("evaluasi/nilai/<int:pk>/bukti/", v.nilai_bukti, name="nilai_bukti"),
    path("evaluasi/nilai/<int:pk>/bukti/<int:bukti>/", v.bukti_file, name="bukti_file"),
    path("evaluasi/nilai/<int:pk>/usulan/", v.nilai_usulan_terima, name="nilai_usulan_terima"),
    path("evaluasi/nilai/<int:pk>/tinjau/", v.nilai_tinjau, name="nilai_tinjau"),
    path("evaluasi/nilai/<int:pk>/tetapkan/", v.nilai_tetapkan, name="nilai_tetapkan"),
]
