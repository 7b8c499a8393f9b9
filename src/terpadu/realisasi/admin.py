"""Read-only admin: changes go through the realisasi pages (and so through services and the audit)."""

from django.contrib import admin

from terpadu.core.admin import ReadOnlyAdmin
from terpadu.realisasi.models import FotoProgres, ProgresFisik, Realisasi, Sp2d


@admin.register(Sp2d)
class Sp2dAdmin(ReadOnlyAdmin):
    list_display = ["nomor", "tahun", "tanggal", "unit", "jenis", "nilai", "sumber", "dibatalkan"]
    list_filter = ["tahun", "jenis", "sumber"]
    search_fields = ["nomor", "uraian"]


@admin.register(Realisasi)
class RealisasiAdmin(ReadOnlyAdmin):
    list_display = ["sp2d", "dpa_baris", "tahun", "bulan", "nilai", "termin"]
    list_filter = ["tahun", "bulan"]


@admin.register(ProgresFisik)
class ProgresFisikAdmin(ReadOnlyAdmin):
    list_display = ["sub_kegiatan", "tahun", "bulan", "persen"]
    list_filter = ["tahun", "bulan"]


@admin.register(FotoProgres)
class FotoProgresAdmin(ReadOnlyAdmin):
    list_display = ["progres", "keterangan", "lat", "lon", "diambil"]
