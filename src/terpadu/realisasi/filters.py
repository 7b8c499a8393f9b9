"""One FilterSet per list, shared by the web list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from terpadu.anggaran.models import DpaBaris
from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.realisasi.models import ProgresFisik, Sp2d

MONTHS = [(m, f"{m:02d}") for m in range(1, 13)]


def _opd_units(request=None):
    return UnitKerja.objects.current()


class Sp2dFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number or description"), method="filter_q")
    tahun = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.ModelChoiceFilter(
        label=_("OPD (with sub-units)"), queryset=_opd_units, method="filter_unit", widget=LongSelect
    )
    bulan = django_filters.ChoiceFilter(label=_("Month"), choices=MONTHS, method="filter_bulan")
    jenis = django_filters.ChoiceFilter(label=_("Kind"), choices=Sp2d.Jenis.choices)
    sumber = django_filters.ChoiceFilter(label=_("Source"), choices=Sp2d.Sumber.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[("aktif", _("Valid")), ("batal", _("Cancelled"))], method="filter_status"
    )

    class Meta:
        model = Sp2d
        fields = ["q", "tahun", "unit", "bulan", "jenis", "sumber", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(nomor__icontains=value) | queryset.filter(uraian__icontains=value)

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path) if value else queryset

    def filter_bulan(self, queryset, name, value):
        return queryset.filter(tanggal__month=int(value)) if value else queryset

    def filter_status(self, queryset, name, value):
        if value == "aktif":
            return queryset.filter(dibatalkan__isnull=True)
        if value == "batal":
            return queryset.filter(dibatalkan__isnull=False)
        return queryset


class ProgresFilterSet(django_filters.FilterSet):
    tahun = django_filters.NumberFilter(label=_("Year"))
    bulan = django_filters.NumberFilter(label=_("Month"))
    sub_kegiatan = django_filters.NumberFilter(label=_("Sub kegiatan (OPD) id"))
    unit = django_filters.ModelChoiceFilter(
        label=_("OPD (with sub-units)"), queryset=_opd_units, method="filter_unit", widget=LongSelect
    )

    class Meta:
        model = ProgresFisik
        fields = ["tahun", "bulan", "sub_kegiatan", "unit"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path) if value else queryset


class DpaBarisFilterSet(django_filters.FilterSet):
    tahun = django_filters.NumberFilter(label=_("Year"))
    sub_kegiatan = django_filters.NumberFilter(label=_("Sub kegiatan (OPD) id"))
    unit = django_filters.NumberFilter(label=_("OPD id (with sub-units)"), method="filter_unit")
    kode_rekening = django_filters.CharFilter(label=_("Kode rekening prefix"), field_name="kode_rekening",
                                              lookup_expr="startswith")  # fmt: skip

    class Meta:
        model = DpaBaris
        fields = ["tahun", "sub_kegiatan", "unit", "kode_rekening"]

    def filter_unit(self, queryset, name, value):
        unit = UnitKerja.objects.filter(pk=value).first()
        return queryset.filter(unit__path__startswith=unit.path) if unit else queryset.none()
