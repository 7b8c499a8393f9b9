"""Public pages of the SPBE module (no login): index history and the application catalogue."""

from django.urls import path

from terpadu.spbe import views_publik as views

app_name = "spbe_publik"
urlpatterns: list = [
    path("", views.index, name="index"),
    path("aplikasi/", views.aplikasi_list, name="aplikasi_list"),
    path("aplikasi/<int:pk>/", views.aplikasi_detail, name="aplikasi_detail"),
]
