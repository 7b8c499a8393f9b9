"""One FilterSet per list, shared by the web list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from terpadu.anggaran.models import DpaBaris, Pagu, RincianBelanja, Rka, TahapAnggaran
from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja


def _units(request):
    return UnitKerja.objects.current().order_by("path")


class TahapFilterSet(django_filters.FilterSet):
    tahun = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TahapAnggaran.Status.choices)

    class Meta:
        model = TahapAnggaran
        fields = ["tahun", "status"]


class PaguFilterSet(django_filters.FilterSet):
    tahap = django_filters.NumberFilter(label=_("Round id"))
    unit = django_filters.NumberFilter(label=_("Unit id"))

    class Meta:
        model = Pagu
        fields = ["tahap", "unit"]


class RkaFilterSet(django_filters.FilterSet):
    tahap = django_filters.ModelChoiceFilter(label=_("Budget round"), queryset=TahapAnggaran.objects.all())
    unit = django_filters.ModelChoiceFilter(label=_("OPD"), queryset=_units, widget=LongSelect)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Rka.Status.choices)
    tahun = django_filters.NumberFilter(label=_("Year"))
    kode = django_filters.CharFilter(
        label=_("Sub kegiatan code"), field_name="sub_kegiatan__sub_kegiatan__kode", lookup_expr="startswith"
    )

    class Meta:
        model = Rka
        fields = ["tahap", "unit", "status", "tahun", "kode"]


class RincianFilterSet(django_filters.FilterSet):
    rka = django_filters.NumberFilter(label=_("RKA id"))
    kode_rekening = django_filters.CharFilter(
        label=_("Kode rekening"), field_name="rekening__kode", lookup_expr="startswith"
    )
    perlu_perbaikan = django_filters.BooleanFilter(label=_("To be corrected"))

    class Meta:
        model = RincianBelanja
        fields = ["rka", "kode_rekening", "perlu_perbaikan"]


class DpaFilterSet(django_filters.FilterSet):
    tahun = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.NumberFilter(label=_("Unit id"))
    sub_kegiatan = django_filters.NumberFilter(label=_("Sub kegiatan (Renja item) id"))
    kode_sub_kegiatan = django_filters.CharFilter(
        label=_("Sub kegiatan code"), field_name="sub_kegiatan__sub_kegiatan__kode"
    )
    kode_rekening = django_filters.CharFilter(label=_("Kode rekening"), lookup_expr="startswith")

    class Meta:
        model = DpaBaris
        fields = ["tahun", "unit", "sub_kegiatan", "kode_sub_kegiatan", "kode_rekening"]
