"""One FilterSet per list, shared by the web list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from terpadu.arsip.models import BeritaAcara, Berkas, IsiBerkas, Klasifikasi
from terpadu.core import search
from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja


class KlasifikasiFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Code or name"), method="filter_q")
    prefix = django_filters.CharFilter(label=_("Code prefix"), method="filter_prefix")
    versi = django_filters.NumberFilter(label=_("Edition id"))
    aktif = django_filters.BooleanFilter(label=_("In use"))
    jra_lengkap = django_filters.BooleanFilter(label=_("Complete JRA"), method="filter_jra")

    class Meta:
        model = Klasifikasi
        fields = ["q", "prefix", "versi", "aktif", "jra_lengkap"]

    def filter_q(self, queryset, name, value):
        return search.filter_queryset(queryset, search.SPECS["klasifikasi"], value)

    def filter_prefix(self, queryset, name, value):
        value = value.strip().rstrip(".")
        return queryset.filter(kode=value) | queryset.filter(kode__startswith=value + ".") if value else queryset

    def filter_jra(self, queryset, name, value):
        if value is None:
            return queryset
        complete = {"retensi_aktif__isnull": False, "retensi_inaktif__isnull": False}
        done = queryset.filter(**complete).exclude(nasib_akhir="")
        return done if value else queryset.exclude(pk__in=done.values("pk"))


class BerkasFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Description or code"), method="filter_q")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Berkas.Status.choices)
    tahun = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit (with sub-units)"),
        queryset=lambda request: UnitKerja.objects.current(),
        method="filter_unit",
        widget=LongSelect,
    )
    klasifikasi = django_filters.CharFilter(label=_("Code prefix"), method="filter_klasifikasi")

    class Meta:
        model = Berkas
        fields = ["q", "status", "tahun", "unit", "klasifikasi"]

    def filter_q(self, queryset, name, value):
        return search.filter_queryset(queryset, search.SPECS["berkas"], value)

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path) if value else queryset

    def filter_klasifikasi(self, queryset, name, value):
        value = value.strip().rstrip(".")
        if not value:
            return queryset
        return queryset.filter(klasifikasi__kode=value) | queryset.filter(klasifikasi__kode__startswith=value + ".")


class IsiBerkasFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=IsiBerkas.Status.choices)
    berkas = django_filters.NumberFilter(label=_("File id"))

    class Meta:
        model = IsiBerkas
        fields = ["status", "berkas"]


class BeritaAcaraFilterSet(django_filters.FilterSet):
    jenis = django_filters.ChoiceFilter(label=_("Kind"), choices=BeritaAcara.Jenis.choices)
    tahun = django_filters.NumberFilter(label=_("Year"), field_name="tanggal", lookup_expr="year")

    class Meta:
        model = BeritaAcara
        fields = ["jenis", "tahun"]
