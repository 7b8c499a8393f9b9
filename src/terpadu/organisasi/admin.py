"""Read-only admin: changes go through the organisation pages (and so through services and the audit)."""

from django.contrib import admin

from terpadu.core.admin import ReadOnlyAdmin
from terpadu.organisasi.models import Jabatan, Pegawai, Pemda, PenugasanSementara, UnitKerja


@admin.register(Pemda)
class PemdaAdmin(ReadOnlyAdmin):
    list_display = ["nama", "kode_wilayah"]


@admin.register(UnitKerja)
class UnitKerjaAdmin(ReadOnlyAdmin):
    list_display = ["kode", "nama", "jenis", "valid_from", "valid_to"]
    search_fields = ["kode", "nama"]


@admin.register(Jabatan)
class JabatanAdmin(ReadOnlyAdmin):
    list_display = ["nama", "unit", "jenis", "eselon"]
    search_fields = ["nama"]


@admin.register(Pegawai)
class PegawaiAdmin(ReadOnlyAdmin):
    list_display = ["nip", "nama", "golongan", "jabatan"]
    search_fields = ["nip", "nama"]


@admin.register(PenugasanSementara)
class PenugasanAdmin(ReadOnlyAdmin):
    list_display = ["jabatan", "pegawai", "jenis", "mulai", "selesai"]
