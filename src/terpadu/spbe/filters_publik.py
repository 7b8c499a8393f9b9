"""The one FilterSet of the public application catalogue (web page, JSON and CSV)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe.models import Aplikasi
from terpadu.spbe.publik import SHOWN_STATUS


class KatalogPublikFilterSet(django_filters.FilterSet):
    """Applied to publik.visible_aplikasi() only: it can narrow the public catalogue, never widen it."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    jenis = django_filters.ChoiceFilter(label=_("Kind"), choices=Aplikasi.Jenis.choices)
    unit = django_filters.ModelChoiceFilter(
        label=_("Owner OPD"), queryset=UnitKerja.objects.all(), widget=LongSelect, method="filter_unit"
    )
    hosting = django_filters.ChoiceFilter(label=_("Hosting"), choices=Aplikasi.Hosting.choices)
    status = django_filters.ChoiceFilter(
        label=_("Lifecycle status"), choices=[c for c in Aplikasi.Status.choices if c[0] in SHOWN_STATUS]
    )

    class Meta:
        model = Aplikasi
        fields = ["q", "jenis", "unit", "hosting", "status"]

    def filter_unit(self, queryset, name, value):
        """An OPD's applications include those its sub-units (bidang, UPT) own."""
        return queryset.filter(unit__path__startswith=value.path) if value else queryset

    def filter_q(self, queryset, name, value):
        """Every word must appear in the name, short name, business function or a served layanan's name."""
        for word in (value or "").split()[:8]:
            queryset = queryset.filter(
                Q(nama__icontains=word)
                | Q(singkatan__icontains=word)
                | Q(fungsi_bisnis__icontains=word)
                | Q(layanan__nama__icontains=word)
            )
        return queryset.distinct() if value and value.split() else queryset
