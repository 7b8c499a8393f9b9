"""One FilterSet per list of the arsitektur part, shared by the web lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe.models import (
    Domain,
    ElemenArsitektur,
    Kebutuhan,
    Kesenjangan,
    ModelReferensi,
    Muatan,
    PetaRencanaItem,
    ReferensiArsitektur,
    RelasiElemen,
)


def _units(request):
    return UnitKerja.objects.current()


def _unit_filter(lookup: str):
    def method(self, queryset, name, value):
        return queryset.filter(**{f"{lookup}__startswith": value.path}) if value else queryset

    return method


class ReferensiFilterSet(django_filters.FilterSet):
    tahun = django_filters.NumberFilter(label=_("Edition in force in year"), method="filter_tahun")
    versi = django_filters.NumberFilter(label=_("Edition id"), field_name="versi_id")
    model = django_filters.ChoiceFilter(label=_("Reference model"), choices=ModelReferensi.choices)
    level = django_filters.NumberFilter(label=_("Level"))
    nasional = django_filters.BooleanFilter(label=_("National"))
    aktif = django_filters.BooleanFilter(label=_("In use"))
    q = django_filters.CharFilter(label=_("Code or name"), method="filter_q")

    class Meta:
        model = ReferensiArsitektur
        fields = ["tahun", "versi", "model", "level", "nasional", "aktif", "q"]

    def filter_tahun(self, queryset, name, value):
        from terpadu.spbe.services_arsitektur import versi_for

        versi = versi_for(int(value))
        return queryset.filter(versi=versi) if versi else queryset.none()

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(kode__istartswith=value) | Q(nama__icontains=value)) if value else queryset


class ElemenFilterSet(django_filters.FilterSet):
    domain = django_filters.ChoiceFilter(label=_("Domain"), choices=Domain.choices)
    unit = django_filters.ModelChoiceFilter(label=_("OPD (with sub-units)"), queryset=_units, method="filter_unit",
                                            widget=LongSelect)  # fmt: skip
    status = django_filters.ChoiceFilter(label=_("State"), choices=ElemenArsitektur.Status.choices)
    referensi = django_filters.CharFilter(label=_("Reference code (and below)"), method="filter_referensi")
    q = django_filters.CharFilter(label=_("Code or name"), method="filter_q")

    filter_unit = _unit_filter("unit__path")

    class Meta:
        model = ElemenArsitektur
        fields = ["domain", "unit", "status", "referensi", "q"]

    def filter_referensi(self, queryset, name, value):
        return (
            queryset.filter(Q(referensi__kode=value) | Q(referensi__kode__startswith=f"{value}."))
            if value
            else queryset
        )

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(kode__icontains=value) | Q(nama__icontains=value)) if value else queryset


class RelasiFilterSet(django_filters.FilterSet):
    elemen = django_filters.NumberFilter(label=_("Element id (either end)"), method="filter_elemen")
    dari = django_filters.NumberFilter(label=_("From element id"), field_name="dari_id")
    ke = django_filters.NumberFilter(label=_("To element id"), field_name="ke_id")
    domain = django_filters.ChoiceFilter(label=_("Domain (either end)"), choices=Domain.choices, method="filter_domain")

    class Meta:
        model = RelasiElemen
        fields = ["elemen", "dari", "ke", "domain"]

    def filter_elemen(self, queryset, name, value):
        return queryset.filter(Q(dari_id=value) | Q(ke_id=value))

    def filter_domain(self, queryset, name, value):
        return queryset.filter(Q(dari__domain=value) | Q(ke__domain=value)) if value else queryset


class KesenjanganFilterSet(django_filters.FilterSet):
    domain = django_filters.ChoiceFilter(label=_("Domain"), choices=Domain.choices, field_name="elemen__domain")
    unit = django_filters.ModelChoiceFilter(label=_("OPD (with sub-units)"), queryset=_units, method="filter_unit",
                                            field_name="elemen__unit", widget=LongSelect)  # fmt: skip
    elemen = django_filters.NumberFilter(label=_("Element id"), field_name="elemen_id")

    filter_unit = _unit_filter("elemen__unit__path")

    class Meta:
        model = Kesenjangan
        fields = ["domain", "unit", "elemen"]


class KebutuhanFilterSet(django_filters.FilterSet):
    domain = django_filters.ChoiceFilter(label=_("Domain"), choices=Domain.choices,
                                         field_name="kesenjangan__elemen__domain")  # fmt: skip
    unit = django_filters.ModelChoiceFilter(label=_("Responsible OPD (with sub-units)"), queryset=_units,
                                            method="filter_unit", widget=LongSelect)  # fmt: skip
    tahun = django_filters.NumberFilter(label=_("Target year"), field_name="tahun_target")
    kesenjangan = django_filters.NumberFilter(label=_("Gap id"), field_name="kesenjangan_id")

    filter_unit = _unit_filter("unit__path")

    class Meta:
        model = Kebutuhan
        fields = ["domain", "unit", "tahun", "kesenjangan"]


class RencanaFilterSet(django_filters.FilterSet):
    muatan = django_filters.ChoiceFilter(label=_("Section"), choices=Muatan.choices)
    unit = django_filters.ModelChoiceFilter(label=_("OPD (with sub-units)"), queryset=_units, method="filter_unit",
                                            widget=LongSelect)  # fmt: skip
    tahun = django_filters.NumberFilter(label=_("Running in year"), method="filter_tahun")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PetaRencanaItem.Status.choices)
    elemen = django_filters.NumberFilter(label=_("Element id"), field_name="elemen")
    domain = django_filters.ChoiceFilter(label=_("Linked element domain"), choices=Domain.choices,
                                         method="filter_domain")  # fmt: skip

    filter_unit = _unit_filter("unit__path")

    class Meta:
        model = PetaRencanaItem
        fields = ["muatan", "unit", "tahun", "status", "elemen", "domain"]

    def filter_tahun(self, queryset, name, value):
        value = int(value)
        return queryset.filter(tahun__lte=value).filter(
            Q(tahun_selesai__gte=value) | Q(tahun_selesai__isnull=True, tahun=value)
        )

    def filter_domain(self, queryset, name, value):
        return queryset.filter(elemen__domain=value).distinct() if value else queryset
