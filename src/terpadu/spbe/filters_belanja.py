"""One FilterSet for the ICT spending list, shared by the web list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe import services_belanja as svc
from terpadu.spbe.models import BelanjaTik, Domain


def _units(request):
    return UnitKerja.objects.current().order_by("path")


class BelanjaFilterSet(django_filters.FilterSet):
    tahun = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.ModelChoiceFilter(label=_("OPD"), queryset=_units, widget=LongSelect)
    kategori = django_filters.ChoiceFilter(label=_("Category"), choices=BelanjaTik.Kategori.choices)
    sumber = django_filters.ChoiceFilter(label=_("Source"), choices=BelanjaTik.Sumber.choices)
    domain = django_filters.ChoiceFilter(label=_("Domain"), field_name="elemen__domain", choices=Domain.choices)
    aplikasi = django_filters.NumberFilter(label=_("Application id"))
    tautan = django_filters.ChoiceFilter(
        label=_("Links"),
        method="filter_tautan",
        choices=(
            ("tidak_linear", _("Not identified / not linear with the architecture")),
            ("ditandai", _("Flagged (unlinked or retired links)")),
            ("linear", _("Linked to an element and a Peta Rencana item")),
        ),
    )
    q = django_filters.CharFilter(label=_("Description"), field_name="uraian", lookup_expr="icontains")

    class Meta:
        model = BelanjaTik
        fields = ["tahun", "unit", "kategori", "sumber", "domain", "aplikasi", "tautan", "q"]

    def filter_tautan(self, queryset, name, value):
        if value == "tidak_linear":
            return queryset.filter(svc.q_unlinked())
        if value == "ditandai":
            return queryset.filter(svc.q_flagged())
        if value == "linear":
            return queryset.exclude(svc.q_flagged())
        return queryset
