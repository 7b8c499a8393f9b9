"""Web routes of the master part (kode rekening editions, mapping, import/export; standar harga)."""

from django.urls import path

from terpadu.anggaran import views_master
from terpadu.perencanaan.views_master import url_patterns

urlpatterns: list = [
    *url_patterns(views_master.REKENING_PAGES, "rekening/"),
    path("standar-harga/", views_master.ssh_list, name="ssh_list"),
    path("standar-harga/<int:pk>/", views_master.ssh_detail, name="ssh_detail"),
    path("standar-harga/impor/", views_master.ssh_import, name="ssh_import"),
    path("standar-harga/ekspor/", views_master.ssh_export, name="ssh_export"),
]
