"""One FilterSet per list of the planning documents, shared by the web lists and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.perencanaan.models import Indikator, Renja, RenjaSubKegiatan, Renstra, Status


def _units(request):
    return UnitKerja.objects.current()


class _UnitFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("OPD (with sub-units)"), queryset=_units, method="filter_unit", widget=LongSelect
    )

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path) if value else queryset


class RenstraFilterSet(_UnitFilter):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    rpjmd = django_filters.NumberFilter(label=_("RPJMD id"))

    class Meta:
        model = Renstra
        fields = ["unit", "status", "rpjmd"]


class RenjaFilterSet(_UnitFilter):
    tahun = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)

    class Meta:
        model = Renja
        fields = ["tahun", "unit", "status"]


class RenjaSubKegiatanFilterSet(_UnitFilter):
    tahun = django_filters.NumberFilter(label=_("Year"))
    kode = django_filters.CharFilter(label=_("Code prefix"), method="filter_kode")
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    luar_renstra = django_filters.BooleanFilter(label=_("Outside the Renstra"), field_name="renstra_item",
                                                lookup_expr="isnull")  # fmt: skip

    class Meta:
        model = RenjaSubKegiatan
        fields = ["tahun", "unit", "kode", "q", "luar_renstra"]

    def filter_kode(self, queryset, name, value):
        value = (value or "").strip().rstrip(".")
        if not value:
            return queryset
        return queryset.filter(sub_kegiatan__kode=value) | queryset.filter(sub_kegiatan__kode__startswith=value + ".")

    def filter_q(self, queryset, name, value):
        return queryset.filter(sub_kegiatan__nama__icontains=value.strip()) if value.strip() else queryset


class IndikatorFilterSet(django_filters.FilterSet):
    sasaran = django_filters.NumberFilter(label=_("RPJMD sasaran id"))
    tujuan = django_filters.NumberFilter(label=_("RPJMD tujuan id"))
    sasaran_pd = django_filters.NumberFilter(label=_("Sasaran PD id"))
    renstra_item = django_filters.NumberFilter(label=_("Renstra item id"))
    renja_sub_kegiatan = django_filters.NumberFilter(label=_("Renja sub kegiatan id"))
    rpjmd = django_filters.NumberFilter(label=_("RPJMD id"), method="filter_rpjmd")
    tahun = django_filters.NumberFilter(label=_("Renja year"), field_name="renja_sub_kegiatan__tahun")

    class Meta:
        model = Indikator
        fields = ["sasaran", "tujuan", "sasaran_pd", "renstra_item", "renja_sub_kegiatan", "rpjmd", "tahun"]

    def filter_rpjmd(self, queryset, name, value):
        return queryset.filter(sasaran__tujuan__misi__rpjmd=value) | queryset.filter(tujuan__misi__rpjmd=value)
