"""Read-only admin: changes go through the services (and the audit trail)."""

from django.contrib import admin

from terpadu.core.admin import ReadOnlyAdmin
from terpadu.kontrak.models import Adendum, Jaminan, Kontrak, Paket, PaketDpa, Penyedia, Termin


@admin.register(Penyedia)
class PenyediaAdmin(ReadOnlyAdmin):
    list_display = ("nama", "npwp", "kualifikasi")
    search_fields = ("nama", "npwp")


@admin.register(Paket)
class PaketAdmin(ReadOnlyAdmin):
    list_display = ("nama", "kode_rup", "tahun", "unit", "metode", "jenis", "pagu")
    list_filter = ("tahun", "metode", "jenis")
    search_fields = ("nama", "kode_rup")


@admin.register(PaketDpa)
class PaketDpaAdmin(ReadOnlyAdmin):
    list_display = ("paket", "dpa_baris", "nilai")


@admin.register(Kontrak)
class KontrakAdmin(ReadOnlyAdmin):
    list_display = ("nomor", "tanggal", "penyedia", "nilai", "status", "unit")
    list_filter = ("tahun", "status", "jenis_kontrak")
    search_fields = ("nomor", "penyedia__nama")


@admin.register(Termin)
class TerminAdmin(ReadOnlyAdmin):
    list_display = ("kontrak", "urutan", "jenis", "persen_fisik", "nilai")


@admin.register(Jaminan)
class JaminanAdmin(ReadOnlyAdmin):
    list_display = ("kontrak", "jenis", "nomor", "nilai", "berlaku_sampai")


@admin.register(Adendum)
class AdendumAdmin(ReadOnlyAdmin):
    list_display = ("kontrak", "urutan", "nomor", "tanggal", "jenis")
