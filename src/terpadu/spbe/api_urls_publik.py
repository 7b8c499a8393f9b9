"""The open API of the public SPBE pages: /api/v1/publik/spbe/… (no sign-in)."""

from django.urls import path

from terpadu.spbe import api_publik as api

PREFIX = "publik/spbe/"

urlpatterns = [
    path(f"{PREFIX}ringkasan/", api.RingkasanView.as_view(), name="api-publik-spbe-ringkasan"),
    path(f"{PREFIX}indeks/", api.IndeksList.as_view(), name="api-publik-spbe-indeks"),
    path(f"{PREFIX}indeks.csv", api.IndeksList.as_view(csv_route=True), name="api-publik-spbe-indeks-csv"),
    path(f"{PREFIX}aplikasi/", api.AplikasiList.as_view(), name="api-publik-spbe-aplikasi"),
    path(f"{PREFIX}aplikasi.csv", api.AplikasiList.as_view(csv_route=True), name="api-publik-spbe-aplikasi-csv"),
    path(f"{PREFIX}aplikasi/<int:pk>/", api.AplikasiDetail.as_view(), name="api-publik-spbe-aplikasi-detail"),
]
