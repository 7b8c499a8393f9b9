"""Read-only admin of the kode rekening and standar harga (changes go through the master pages, the services
and the audit). Imported from anggaran/admin.py."""

from django.contrib import admin

from terpadu.anggaran.models import KodeRekening, PemetaanRekening, StandarHarga, VersiRekening
from terpadu.core.admin import ReadOnlyAdmin


@admin.register(VersiRekening)
class VersiRekeningAdmin(ReadOnlyAdmin):
    list_display = ["tahun", "nama", "dasar_hukum"]


@admin.register(KodeRekening)
class KodeRekeningAdmin(ReadOnlyAdmin):
    list_display = ["kode", "nama", "level", "versi", "keyakinan", "aktif"]
    search_fields = ["kode", "nama"]
    list_filter = ["versi", "level", "keyakinan", "aktif"]


@admin.register(PemetaanRekening)
class PemetaanRekeningAdmin(ReadOnlyAdmin):
    list_display = ["dari", "ke", "catatan"]


@admin.register(StandarHarga)
class StandarHargaAdmin(ReadOnlyAdmin):
    list_display = ["kode", "uraian", "satuan", "harga", "tahun", "jenis", "aktif"]
    search_fields = ["kode", "uraian"]
    list_filter = ["tahun", "jenis", "aktif"]
