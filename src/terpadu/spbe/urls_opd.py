"""The per-OPD page (namespace "spbe", under /spbe/): to be included in spbe/urls.py by the lead."""

from django.urls import path

from terpadu.spbe import views_publik as views

urlpatterns: list = [
    path("opd/", views.opd, name="opd"),
]
