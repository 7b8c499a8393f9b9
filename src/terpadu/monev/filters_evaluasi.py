"""One FilterSet per list, used by the web list and the API."""

from __future__ import annotations

import django_filters

from terpadu.monev.models import EvaluasiSubKegiatan, PeringatanDini


class EvaluasiFilterSet(django_filters.FilterSet):
    tahun = django_filters.NumberFilter(field_name="periode__tahun")
    triwulan = django_filters.NumberFilter(field_name="periode__triwulan")
    unit = django_filters.NumberFilter(field_name="unit")
    status = django_filters.ChoiceFilter(choices=EvaluasiSubKegiatan.Status.choices)
    kategori = django_filters.CharFilter(field_name="kategori")

    class Meta:
        model = EvaluasiSubKegiatan
        fields = ["periode", "tahun", "triwulan", "unit", "status", "kategori"]


class PeringatanFilterSet(django_filters.FilterSet):
    tahun = django_filters.NumberFilter()
    bulan = django_filters.NumberFilter()
    unit = django_filters.NumberFilter(field_name="unit")

    class Meta:
        model = PeringatanDini
        fields = ["tahun", "bulan", "unit"]
