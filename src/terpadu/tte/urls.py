"""Signing certificates and the instance's certificate authority."""

from django.urls import path

from terpadu.tte import views

app_name = "tte"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("daftar/", views.enrol, name="enrol"),
    path("unggah/", views.upload, name="upload"),
    path("sertifikat/<int:pk>/", views.detail, name="detail"),
    path("sertifikat/<int:pk>/perbarui/", views.renew, name="renew"),
    path("sertifikat/<int:pk>/cabut/", views.revoke, name="revoke"),
    path("ca/", views.ca_admin, name="ca"),
    path("ca.pem", views.ca_pem, name="ca_pem"),
]
