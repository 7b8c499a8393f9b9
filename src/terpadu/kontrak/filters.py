"""One FilterSet per list, shared by the web list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from terpadu.core import search
from terpadu.core.forms import LongSelect
from terpadu.kontrak.models import Adendum, Jaminan, Kontrak, Paket, Penyedia, Termin
from terpadu.organisasi.models import UnitKerja

STATUS_KONTRAK = (
    ("belum", _("No contract yet")),
    ("berkontrak", _("Contracted")),
    ("berjalan", _("Contract running")),
    ("selesai", _("All contracts ended")),
)


def _unit_filter(queryset, name, value):
    return queryset.filter(unit__path__startswith=value.path) if value else queryset


def _units(request):
    return UnitKerja.objects.current()


class PaketFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or RUP code"), method="filter_q")
    tahun = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.ModelChoiceFilter(label=_("OPD"), queryset=_units, method="filter_unit", widget=LongSelect)
    metode = django_filters.ChoiceFilter(label=_("Method"), choices=Paket.Metode.choices)
    jenis = django_filters.ChoiceFilter(label=_("Kind"), choices=Paket.Jenis.choices)
    status_kontrak = django_filters.ChoiceFilter(label=_("Contracting"), choices=STATUS_KONTRAK, method="filter_status")
    sub_kegiatan = django_filters.NumberFilter(label=_("Sub kegiatan id"), method="filter_sub")

    class Meta:
        model = Paket
        fields = ["q", "tahun", "unit", "metode", "jenis", "status_kontrak", "sub_kegiatan"]

    def filter_q(self, queryset, name, value):
        return search.filter_queryset(queryset, search.SPECS["kontrak_paket"], value)

    def filter_unit(self, queryset, name, value):
        return _unit_filter(queryset, name, value)

    def filter_sub(self, queryset, name, value):
        return queryset.filter(alokasi__dpa_baris__sub_kegiatan_id=value).distinct() if value else queryset

    def filter_status(self, queryset, name, value):
        any_contract = Exists(Kontrak.objects.filter(paket=OuterRef("pk")))
        running = Exists(Kontrak.objects.filter(paket=OuterRef("pk"), status=Kontrak.Status.BERJALAN))
        if value == "belum":
            return queryset.filter(~any_contract)
        if value == "berkontrak":
            return queryset.filter(any_contract)
        if value == "berjalan":
            return queryset.filter(running)
        if value == "selesai":
            return queryset.filter(any_contract).filter(~running)
        return queryset


class KontrakFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number, package or supplier"), method="filter_q")
    tahun = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.ModelChoiceFilter(label=_("OPD"), queryset=_units, method="filter_unit", widget=LongSelect)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Kontrak.Status.choices)
    jenis_kontrak = django_filters.ChoiceFilter(label=_("Contract type"), choices=Kontrak.JenisKontrak.choices)
    paket = django_filters.NumberFilter(label=_("Package id"))
    penyedia = django_filters.NumberFilter(label=_("Supplier id"))

    class Meta:
        model = Kontrak
        fields = ["q", "tahun", "unit", "status", "jenis_kontrak", "paket", "penyedia"]

    def filter_q(self, queryset, name, value):
        return search.filter_queryset(queryset, search.SPECS["kontrak"], value)

    def filter_unit(self, queryset, name, value):
        return _unit_filter(queryset, name, value)


class PenyediaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or NPWP"), method="filter_q")
    kualifikasi = django_filters.ChoiceFilter(label=_("Qualification"), choices=Penyedia.Kualifikasi.choices)

    class Meta:
        model = Penyedia
        fields = ["q", "kualifikasi"]

    def filter_q(self, queryset, name, value):
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) >= 6 and len(digits) == len(value.replace(".", "").replace("-", "").replace(" ", "")):
            return queryset.filter(npwp__startswith=digits)
        return search.filter_queryset(queryset, search.SPECS["penyedia"], value)


class TerminFilterSet(django_filters.FilterSet):
    kontrak = django_filters.NumberFilter(label=_("Contract id"))

    class Meta:
        model = Termin
        fields = ["kontrak", "jenis"]


class JaminanFilterSet(django_filters.FilterSet):
    kontrak = django_filters.NumberFilter(label=_("Contract id"))

    class Meta:
        model = Jaminan
        fields = ["kontrak", "jenis"]


class AdendumFilterSet(django_filters.FilterSet):
    kontrak = django_filters.NumberFilter(label=_("Contract id"))

    class Meta:
        model = Adendum
        fields = ["kontrak", "jenis"]
