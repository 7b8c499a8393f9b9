"""Routes of the naskah module's 'cari' part (merged by naskah/urls.py): search, export, numbering."""

from django.urls import path

from terpadu.naskah import views_cari as views

urlpatterns: list = [
    path("cari/", views.search, name="search"),
    path("cari/ekspor/", views.export, name="search_export"),
    path("nomor/", views.number_index, name="number_index"),
    path("nomor/cadangan/", views.number_reserve, name="number_reserve"),
    path("nomor/sisipan/", views.number_insert, name="number_insert"),
    path("nomor/<int:pk>/batal/", views.number_void, name="number_void"),
    path("nomor/format/", views.format_list, name="format_list"),
    path("nomor/format/baru/", views.format_edit, name="format_create"),
    path("nomor/format/<int:pk>/", views.format_edit, name="format_edit"),
    path("nomor/format/pratinjau/", views.format_preview, name="format_preview"),
]
