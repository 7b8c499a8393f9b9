"""Read-only admin of the naskah tables: changes go through the naskah pages (services, gate, audit)."""

from django.contrib import admin

from terpadu.core.admin import ReadOnlyAdmin
from terpadu.naskah.models import AksesNaskah, Naskah, NaskahVersi, Penerima, PihakNaskah, Verifikasi


@admin.register(Naskah)
class NaskahAdmin(ReadOnlyAdmin):
    list_display = ["nomor", "hal", "arah", "status", "sifat", "unit", "tanggal"]
    list_filter = ["arah", "status", "sifat"]
    search_fields = ["nomor", "kode_verifikasi"]
    exclude = ["teks", "search_vector"]


@admin.register(NaskahVersi)
class NaskahVersiAdmin(ReadOnlyAdmin):
    list_display = ["naskah", "nomor", "dibuat_oleh", "dibuat"]


@admin.register(Penerima)
class PenerimaAdmin(ReadOnlyAdmin):
    list_display = ["naskah", "peran", "__str__", "terkirim", "dibaca", "surel"]


@admin.register(Verifikasi)
class VerifikasiAdmin(ReadOnlyAdmin):
    list_display = ["naskah", "putaran", "urutan", "jabatan", "status", "diproses"]


@admin.register(PihakNaskah)
class PihakNaskahAdmin(ReadOnlyAdmin):
    list_display = ["naskah", "peran", "jabatan", "pegawai"]


@admin.register(AksesNaskah)
class AksesNaskahAdmin(ReadOnlyAdmin):
    list_display = ["naskah", "pegawai", "alasan", "sampai", "diberikan_oleh"]
