"""One FilterSet per master list of anggaran (kode rekening, standar harga), shared by web list and API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.anggaran.models import KodeRekening, RekeningLevel, StandarHarga
from terpadu.perencanaan.filters_master import KodeFilterSet


class RekeningFilterSet(KodeFilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=RekeningLevel.choices)

    class Meta:
        model = KodeRekening
        fields = ["q", "level", "prefix", "aktif", "keyakinan", "tahun"]


class StandarHargaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Code, item or specification"), method="filter_q")
    tahun = django_filters.NumberFilter(label=_("Year"))
    jenis = django_filters.ChoiceFilter(label=_("Kind"), choices=StandarHarga.Jenis.choices)
    rekening = django_filters.CharFilter(label=_("Kode rekening"), method="filter_rekening")
    aktif = django_filters.BooleanFilter(label=_("In use"))

    class Meta:
        model = StandarHarga
        fields = ["q", "tahun", "jenis", "rekening", "aktif"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(kode__startswith=value) | Q(uraian__icontains=value) | Q(spesifikasi__icontains=value))

    def filter_rekening(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(rekening__kode=value).distinct() if value else queryset
