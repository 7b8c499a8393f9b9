"""Read-only admin of the arsitektur part (changes go through the pages and services_arsitektur). Import it from
an spbe admin module (spbe/admin.py is not part of the arsitektur files)."""

from django.contrib import admin

from terpadu.core.admin import ReadOnlyAdmin
from terpadu.spbe.models import (
    ElemenArsitektur,
    Kebutuhan,
    Kesenjangan,
    PetaRencanaItem,
    ReferensiArsitektur,
    RelasiElemen,
    VersiReferensi,
)


@admin.register(VersiReferensi)
class VersiReferensiAdmin(ReadOnlyAdmin):
    list_display = ["nama", "tahun_mulai", "tahun_selesai", "aktif"]


@admin.register(ReferensiArsitektur)
class ReferensiArsitekturAdmin(ReadOnlyAdmin):
    list_display = ["kode", "nama", "model", "level", "versi", "nasional", "aktif", "keyakinan"]
    list_filter = ["model", "level", "nasional", "aktif", "keyakinan"]
    search_fields = ["kode", "nama"]


@admin.register(ElemenArsitektur)
class ElemenArsitekturAdmin(ReadOnlyAdmin):
    list_display = ["kode", "nama", "domain", "unit", "referensi", "status"]
    list_filter = ["domain", "status"]
    search_fields = ["kode", "nama"]


@admin.register(RelasiElemen)
class RelasiElemenAdmin(ReadOnlyAdmin):
    list_display = ["dari", "ke", "keterangan"]


@admin.register(Kesenjangan)
class KesenjanganAdmin(ReadOnlyAdmin):
    list_display = ["elemen", "uraian"]


@admin.register(Kebutuhan)
class KebutuhanAdmin(ReadOnlyAdmin):
    list_display = ["uraian", "unit", "tahun_target"]


@admin.register(PetaRencanaItem)
class PetaRencanaItemAdmin(ReadOnlyAdmin):
    list_display = ["tahun", "tahun_selesai", "muatan", "nama", "unit", "perkiraan_biaya", "status"]
    list_filter = ["muatan", "status", "tahun"]
    search_fields = ["nama", "target_keluaran"]
