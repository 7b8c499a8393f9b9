"""Routes of the naskah module's 'keluar' part (merged by naskah/urls.py)."""

from django.urls import path

from terpadu.naskah import views

urlpatterns = [
    path("konsep/", views.draft_list, name="draft_list"),
    path("perlu-paraf/", views.to_verify, name="to_verify"),
    path("perlu-ttd/", views.to_sign, name="to_sign"),
    path("terkirim/", views.sent, name="sent"),
    path("baru/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/rantai/", views.chain, name="rantai"),
    path("<int:pk>/ajukan/", views.submit, name="submit"),
    path("<int:pk>/paraf/", views.approve, name="approve"),
    path("<int:pk>/kembalikan/", views.return_, name="return"),
    path("<int:pk>/tandatangani/", views.sign, name="sign"),
    path("<int:pk>/kirim/", views.send, name="send"),
    path("<int:pk>/akses/", views.grant, name="grant"),
    path("akses/<int:pk>/cabut/", views.revoke, name="revoke"),
    path("<int:pk>/dokumen/", views.dokumen, name="dokumen"),
    path("<int:pk>/versi/<int:nomor>/pdf/", views.versi_pdf, name="versi_pdf"),
    path("<int:pk>/versi/banding/", views.versi_compare, name="versi_compare"),
    path("lampiran/<int:pk>/", views.lampiran, name="lampiran"),
    path("<int:pk>/paket/", views.paket_view, name="paket"),
]
