"""The one FilterSet of the public lists (web pages, JSON and CSV): OPD and code prefix, over sub kegiatan."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.monev import publik
from terpadu.organisasi.models import UnitKerja
from terpadu.perencanaan.models import RenjaSubKegiatan


class PublikFilterSet(django_filters.FilterSet):
    """Applied to the published sub kegiatan of a year before they are rolled up (so every level filters alike)."""

    unit = django_filters.ModelChoiceFilter(
        label=_("OPD"), queryset=UnitKerja.objects.all(), method="filter_unit", widget=LongSelect
    )
    kode = django_filters.CharFilter(label=_("Code prefix"), method="filter_kode")

    class Meta:
        model = RenjaSubKegiatan
        fields = ["unit", "kode"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit=value) if value else queryset

    def filter_kode(self, queryset, name, value):
        return publik.filter_kode(queryset, value)
