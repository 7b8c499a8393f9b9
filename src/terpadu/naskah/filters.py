"""One FilterSet for naskah lists, shared by the search page, its export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.core import authz
from terpadu.core.forms import LongSelect
from terpadu.naskah import pencarian
from terpadu.naskah.models import JenisNaskah, Naskah, Sifat
from terpadu.organisasi.models import UnitKerja


def unit_choices(request):
    """Today's units the user may search by: those of their naskah.view scope (all of them for a whole-pemda
    grant). Naskah of other units the user is a party to are still found, just not by a unit filter."""
    units = UnitKerja.objects.current()
    user = getattr(request, "user", None)
    return authz.restrict(units, user, "naskah.view") if user is not None else units


class FetchedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices of a model select in one ordinary query. Django's iterator walks queryset.iterator(), which
    on PostgreSQL is a server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE: three round trips, the rows
    materialised at the commit) — more than the few dozen units and kinds of a search form cost to fetch."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class FetchedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = FetchedChoiceIterator


class FetchedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = FetchedModelChoiceField


class NaskahFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Words, number or subject"), method="filter_q", max_length=200)
    dari = django_filters.DateFilter(label=_("Date from"), field_name="tanggal", lookup_expr="gte")
    sampai = django_filters.DateFilter(label=_("Date to"), field_name="tanggal", lookup_expr="lte")
    klasifikasi = django_filters.CharFilter(
        label=_("Classification code (with sub-codes)"), method="filter_klasifikasi", max_length=40
    )
    unit = FetchedModelChoiceFilter(
        label=_("Unit (with sub-units)"),
        queryset=lambda request: unit_choices(request),
        method="filter_unit",
        widget=LongSelect,
    )
    jenis = FetchedModelChoiceFilter(
        label=_("Kind"), queryset=JenisNaskah.objects.all(), to_field_name="kode", widget=LongSelect
    )
    # LongSelect: the same markup as forms.Select, without two templates rendered per option.
    sifat = django_filters.ChoiceFilter(label=_("Security"), choices=Sifat.choices, widget=LongSelect)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Naskah.Status.choices, widget=LongSelect)
    arah = django_filters.ChoiceFilter(label=_("Direction"), choices=Naskah.Arah.choices, widget=LongSelect)

    class Meta:
        model = Naskah
        fields = ["q", "dari", "sampai", "klasifikasi", "unit", "jenis", "sifat", "status", "arah"]

    def filter_q(self, queryset, name, value):
        return pencarian.search_queryset(queryset, value)

    def filter_klasifikasi(self, queryset, name, value):
        value = value.strip().rstrip(".")
        if not value:
            return queryset
        return queryset.filter(Q(klasifikasi__kode=value) | Q(klasifikasi__kode__startswith=f"{value}."))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path) if value else queryset
