"""Read-only admin: changes go through the arsip pages (and so through services and the audit)."""

from django.contrib import admin

from terpadu.arsip.models import BeritaAcara, Berkas, IsiBerkas, Klasifikasi, KlasifikasiVersi
from terpadu.core.admin import ReadOnlyAdmin


@admin.register(KlasifikasiVersi)
class KlasifikasiVersiAdmin(ReadOnlyAdmin):
    list_display = ["nama", "berlaku_mulai", "aktif"]


@admin.register(Klasifikasi)
class KlasifikasiAdmin(ReadOnlyAdmin):
    list_display = ["kode", "nama", "versi", "retensi_aktif", "retensi_inaktif", "nasib_akhir", "skkaad", "aktif"]
    search_fields = ["kode", "nama"]
    list_filter = ["versi"]


@admin.register(Berkas)
class BerkasAdmin(ReadOnlyAdmin):
    list_display = ["nomor", "tahun", "unit", "klasifikasi", "uraian", "status"]
    list_filter = ["status"]


@admin.register(IsiBerkas)
class IsiBerkasAdmin(ReadOnlyAdmin):
    list_display = ["berkas", "naskah", "status"]


@admin.register(BeritaAcara)
class BeritaAcaraAdmin(ReadOnlyAdmin):
    list_display = ["nomor", "jenis", "tanggal", "unit"]
