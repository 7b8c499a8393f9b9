"""One FilterSet for the proposal list, shared by the web list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe.models import UsulanAplikasi


def _units(request):
    return UnitKerja.objects.current().order_by("path")


class UsulanFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=UsulanAplikasi.Status.choices)
    unit = django_filters.ModelChoiceFilter(label=_("OPD"), queryset=_units, widget=LongSelect)
    q = django_filters.CharFilter(label=_("Application"), field_name="nama_aplikasi", lookup_expr="icontains")
    sub_kegiatan = django_filters.NumberFilter(label=_("Sub kegiatan (Renja item) id"))

    class Meta:
        model = UsulanAplikasi
        fields = ["status", "unit", "q", "sub_kegiatan"]
