"""One FilterSet per master list, shared by the web list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.perencanaan.models import Level, Nomenklatur


class KodeFilterSet(django_filters.FilterSet):
    """Filters of a code edition (nomenklatur, kode rekening): text, level, prefix, in use, year."""

    q = django_filters.CharFilter(label=_("Code or name"), method="filter_q")
    prefix = django_filters.CharFilter(label=_("Code prefix"), method="filter_prefix")
    aktif = django_filters.BooleanFilter(label=_("In use"))
    keyakinan = django_filters.CharFilter(label=_("Confidence"))
    tahun = django_filters.NumberFilter(label=_("Budget year"), field_name="versi__tahun")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(kode__startswith=value) | Q(nama__icontains=value))

    def filter_prefix(self, queryset, name, value):
        value = value.strip().rstrip(".")
        return queryset.filter(Q(kode=value) | Q(kode__startswith=value + ".")) if value else queryset


class NomenklaturFilterSet(KodeFilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)

    class Meta:
        model = Nomenklatur
        fields = ["q", "level", "prefix", "aktif", "keyakinan", "tahun"]
