"""Read-only Django admin of the budgeting part (changes go through services_rka). Imported from admin.py."""

from django.contrib import admin

from terpadu.anggaran.models import AnggaranKas, DpaBaris, Pagu, RincianBelanja, Rka, TahapAnggaran


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TahapAnggaran)
class TahapAdmin(ReadOnly):
    list_display = ("tahun", "urutan", "nama", "jenis", "status", "ditetapkan")
    list_filter = ("tahun", "status")


@admin.register(Pagu)
class PaguAdmin(ReadOnly):
    list_display = ("tahap", "unit", "nilai")
    list_filter = ("tahap",)


@admin.register(Rka)
class RkaAdmin(ReadOnly):
    list_display = ("tahap", "sub_kegiatan", "unit", "status", "total")
    list_filter = ("tahap", "status")
    raw_id_fields = ("sub_kegiatan", "unit", "disetujui_oleh")


@admin.register(RincianBelanja)
class RincianAdmin(ReadOnly):
    list_display = ("rka", "rekening", "uraian", "volume", "satuan", "harga_satuan", "jumlah")
    raw_id_fields = ("rka", "rekening", "standar_harga")


@admin.register(AnggaranKas)
class KasAdmin(ReadOnly):
    list_display = ("rka", "bulan", "nilai")
    raw_id_fields = ("rka",)


@admin.register(DpaBaris)
class DpaAdmin(ReadOnly):
    list_display = ("kode", "tahun", "unit", "pagu", "pagu_murni", "tahap")
    list_filter = ("tahun",)
    raw_id_fields = ("sub_kegiatan", "unit", "rekening")
