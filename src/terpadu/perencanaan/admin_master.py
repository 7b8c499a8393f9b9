"""Read-only admin of the nomenklatur (changes go through the master pages, the services and the audit).
Imported from perencanaan/admin.py."""

from django.contrib import admin

from terpadu.core.admin import ReadOnlyAdmin
from terpadu.perencanaan.models import Nomenklatur, PemetaanNomenklatur, VersiNomenklatur


@admin.register(VersiNomenklatur)
class VersiNomenklaturAdmin(ReadOnlyAdmin):
    list_display = ["tahun", "nama", "dasar_hukum"]


@admin.register(Nomenklatur)
class NomenklaturAdmin(ReadOnlyAdmin):
    list_display = ["kode", "nama", "level", "versi", "keyakinan", "aktif"]
    search_fields = ["kode", "nama"]
    list_filter = ["versi", "level", "keyakinan", "aktif"]


@admin.register(PemetaanNomenklatur)
class PemetaanNomenklaturAdmin(ReadOnlyAdmin):
    list_display = ["dari", "ke", "catatan"]
