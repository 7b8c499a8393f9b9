"""One FilterSet per list, shared by the web list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from terpadu.core import search
from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import Jabatan, Pegawai, UnitKerja


class PegawaiFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or NIP"), method="filter_q")
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit (with sub-units)"),
        queryset=lambda request: UnitKerja.objects.current(),  # today's units
        method="filter_unit",
        widget=LongSelect,
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Pegawai.Status.choices)
    golongan = django_filters.CharFilter(label=_("Rank"))
    aktif = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Pegawai
        fields = ["q", "unit", "status", "golongan", "aktif"]

    def filter_q(self, queryset, name, value):
        return search.filter_queryset(queryset, search.SPECS["pegawai"], value)

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path) if value else queryset


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_q")
    jenis = django_filters.CharFilter(label=_("Kind"))
    parent = django_filters.NumberFilter(label=_("Parent id"))
    current = django_filters.BooleanFilter(label=_("Valid today"), method="filter_current")

    class Meta:
        model = UnitKerja
        fields = ["q", "jenis", "parent", "current"]

    def filter_q(self, queryset, name, value):
        return search.filter_queryset(queryset, search.SPECS["unit"], value)

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        current = UnitKerja.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class JabatanFilterSet(django_filters.FilterSet):
    unit = django_filters.NumberFilter(label=_("Unit id"))
    jenis = django_filters.ChoiceFilter(label=_("Kind"), choices=Jabatan.Jenis.choices)
    eselon = django_filters.CharFilter(label=_("Eselon"))

    class Meta:
        model = Jabatan
        fields = ["unit", "jenis", "eselon"]
