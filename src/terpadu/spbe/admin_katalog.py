"""Read-only admin of the catalogue (changes go through the pages and services_katalog). Import it from an
spbe admin module (see the report: spbe/admin.py is not part of the katalog files)."""

from django.contrib import admin

from terpadu.core.admin import ReadOnlyAdmin
from terpadu.spbe.models import Aplikasi, AplikasiNasional, DataAplikasi, IntegrasiAplikasi


@admin.register(AplikasiNasional)
class AplikasiNasionalAdmin(ReadOnlyAdmin):
    list_display = ["nama", "bidang", "pemilik", "aplikasi_umum", "keputusan", "keyakinan"]
    list_filter = ["aplikasi_umum", "keyakinan"]
    search_fields = ["nama", "bidang"]


@admin.register(Aplikasi)
class AplikasiAdmin(ReadOnlyAdmin):
    list_display = ["nama", "jenis", "unit", "status", "hosting", "time", "audit_keamanan_terakhir"]
    list_filter = ["jenis", "status", "hosting", "time"]
    search_fields = ["nama", "singkatan", "fungsi_bisnis"]


@admin.register(DataAplikasi)
class DataAplikasiAdmin(ReadOnlyAdmin):
    list_display = ["aplikasi", "nama", "klasifikasi"]


@admin.register(IntegrasiAplikasi)
class IntegrasiAplikasiAdmin(ReadOnlyAdmin):
    list_display = ["dari", "ke", "metode"]
