"""Read-only admin of the planning documents: changes go through the planning pages (services and audit).
Imported by perencanaan/admin.py (the lead adds `from terpadu.perencanaan import admin_rencana  # noqa: F401`)."""

from django.contrib import admin

from terpadu.core.admin import ReadOnlyAdmin
from terpadu.perencanaan.models import (
    Indikator,
    Misi,
    PaguIndikatif,
    ProgramPrioritas,
    Renja,
    RenjaSubKegiatan,
    Renstra,
    RenstraItem,
    Rpjmd,
    Sasaran,
    SasaranPd,
    TargetIndikator,
    Tujuan,
    TujuanPd,
)


@admin.register(Rpjmd)
class RpjmdAdmin(ReadOnlyAdmin):
    list_display = ["nama", "tahun_awal", "tahun_akhir", "status"]


@admin.register(Misi)
class MisiAdmin(ReadOnlyAdmin):
    list_display = ["rpjmd", "nomor", "uraian"]


@admin.register(Tujuan)
class TujuanAdmin(ReadOnlyAdmin):
    list_display = ["kode", "uraian", "misi"]


@admin.register(Sasaran)
class SasaranAdmin(ReadOnlyAdmin):
    list_display = ["kode", "uraian", "tujuan"]


@admin.register(ProgramPrioritas)
class ProgramPrioritasAdmin(ReadOnlyAdmin):
    list_display = ["program", "sasaran", "unit", "pagu_indikatif"]


@admin.register(Renstra)
class RenstraAdmin(ReadOnlyAdmin):
    list_display = ["unit", "rpjmd", "status"]
    list_filter = ["status"]


@admin.register(TujuanPd)
class TujuanPdAdmin(ReadOnlyAdmin):
    list_display = ["kode", "uraian", "renstra"]


@admin.register(SasaranPd)
class SasaranPdAdmin(ReadOnlyAdmin):
    list_display = ["kode", "uraian", "sasaran_rpjmd"]


@admin.register(RenstraItem)
class RenstraItemAdmin(ReadOnlyAdmin):
    list_display = ["nomenklatur", "level", "renstra"]
    list_filter = ["level"]


@admin.register(PaguIndikatif)
class PaguIndikatifAdmin(ReadOnlyAdmin):
    list_display = ["item", "tahun", "nilai"]


@admin.register(Renja)
class RenjaAdmin(ReadOnlyAdmin):
    list_display = ["unit", "tahun", "status"]
    list_filter = ["tahun", "status"]


@admin.register(RenjaSubKegiatan)
class RenjaSubKegiatanAdmin(ReadOnlyAdmin):
    list_display = ["sub_kegiatan", "unit", "tahun", "pagu_indikatif"]
    list_filter = ["tahun"]
    search_fields = ["sub_kegiatan__kode", "sub_kegiatan__nama"]


@admin.register(Indikator)
class IndikatorAdmin(ReadOnlyAdmin):
    list_display = ["uraian", "satuan", "polaritas"]


@admin.register(TargetIndikator)
class TargetIndikatorAdmin(ReadOnlyAdmin):
    list_display = ["indikator", "tahun", "target"]
