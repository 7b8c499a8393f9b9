"""Public routes of the naskah module (no login): the verification page /v/<code>/."""

from django.urls import path

from terpadu.naskah import views

app_name = "naskah_public"
urlpatterns = [
    path("<str:code>/", views.verify_public, name="verify"),
    path("<str:code>/pdf/", views.verify_public_pdf, name="pdf"),
]
