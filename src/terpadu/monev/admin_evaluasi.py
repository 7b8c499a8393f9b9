"""Read-only admin of the evaluasi tables (changes go through services_evaluasi). Imported by monev/admin.py."""

from django.contrib import admin

from terpadu.core.admin import ReadOnlyAdmin
from terpadu.monev.models import CapaianIndikator, EvaluasiSubKegiatan, PeringatanDini, PeriodeMonev, SkalaRating


@admin.register(SkalaRating)
class SkalaRatingAdmin(ReadOnlyAdmin):
    list_display = ["kode", "nama", "keyakinan"]


@admin.register(PeriodeMonev)
class PeriodeMonevAdmin(ReadOnlyAdmin):
    list_display = ["tahun", "triwulan", "batas_waktu", "status", "dikunci"]


@admin.register(EvaluasiSubKegiatan)
class EvaluasiAdmin(ReadOnlyAdmin):
    list_display = ["periode", "sub_kegiatan", "unit", "persen_keuangan", "kategori", "status"]
    list_select_related = ["periode", "sub_kegiatan__sub_kegiatan", "sub_kegiatan__unit", "unit"]


@admin.register(CapaianIndikator)
class CapaianAdmin(ReadOnlyAdmin):
    list_display = ["periode", "indikator", "target", "realisasi", "capaian", "kategori"]


@admin.register(PeringatanDini)
class PeringatanAdmin(ReadOnlyAdmin):
    list_display = ["tahun", "bulan", "sub_kegiatan", "unit", "deviasi"]
