"""One FilterSet for the application catalogue, shared by the web list, the exports and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe import services_katalog
from terpadu.spbe.models import Aplikasi, AplikasiNasional


def _flag_choices():
    return [(code, label) for code, label in services_katalog.FLAG_CODES.items()] + [("any", _("Any flag"))]


def _owner_unit_choices():
    """The owner-OPD choices offered: the OPDs (depth ≤ 1) and any unit that owns an application, by path."""
    return (
        UnitKerja.objects.filter(
            Q(depth__lte=1) | Q(pk__in=Aplikasi.objects.filter(unit__isnull=False).values("unit_id"))
        )
        .only("id", "nama", "path")
        .order_by("path")
    )  # the label is the name


class _AnyUnitField(forms.ModelChoiceField):
    """Offers the choices of its queryset but accepts any unit (a link or an API client may name a sub-unit that
    owns nothing: an empty result, as before the choices were narrowed, not an invalid filter)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return UnitKerja.objects.get(pk=value)
        except (ValueError, TypeError, UnitKerja.DoesNotExist):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


# The options of the owner-OPD select: (pk, name), the label a ModelChoiceField gives a unit (UnitKerja.__str__).
_OWNER_UNIT_OPTIONS = services_katalog.FixedQuery(lambda: _owner_unit_choices().values_list("pk", "nama"))


class _OwnerUnitSelect(LongSelect):
    """LongSelect for OwnerUnitFilter: its options are the rows of _owner_unit_choices() (the filter's queryset),
    from SQL compiled once per process, without a model instance per option."""

    def _options(self):
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:
            return choices
        head = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
        return head + _OWNER_UNIT_OPTIONS.rows(queryset.db)


class OwnerUnitFilter(django_filters.ModelChoiceFilter):
    field_class = _AnyUnitField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _OwnerUnitSelect)
        super().__init__(*args, **kwargs)


class AplikasiFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, function or technology"), method="filter_q")
    jenis = django_filters.ChoiceFilter(label=_("Kind"), choices=Aplikasi.Jenis.choices, widget=LongSelect)
    status = django_filters.ChoiceFilter(
        label=_("Lifecycle status"), choices=Aplikasi.Status.choices, widget=LongSelect
    )
    unit = OwnerUnitFilter(label=_("Owner OPD"), queryset=_owner_unit_choices())
    tanpa_pemilik = django_filters.BooleanFilter(label=_("Without an owner"), field_name="unit", lookup_expr="isnull")
    hosting = django_filters.ChoiceFilter(label=_("Hosting"), choices=Aplikasi.Hosting.choices, widget=LongSelect)
    time = django_filters.ChoiceFilter(label=_("TIME"), choices=Aplikasi.Time.choices, widget=LongSelect)
    bidang = django_filters.CharFilter(label=_("Function area (bidang)"), lookup_expr="iexact")
    flag = django_filters.ChoiceFilter(
        label=_("Flag"), choices=_flag_choices(), method="filter_flag", widget=LongSelect
    )

    class Meta:
        model = Aplikasi
        fields = ["q", "jenis", "status", "unit", "tanpa_pemilik", "hosting", "time", "bidang", "flag"]

    def get_form_class(self):
        """The form class, built once per process: it is the same for every request (fixed choices, lazily
        translated labels, and a unit queryset each form instance copies), and building it (a field per filter,
        the form metaclass) cost more than the form itself."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(nama__icontains=value)
            | Q(singkatan__icontains=value)
            | Q(fungsi_bisnis__icontains=value)
            | Q(teknologi__icontains=value)
            | Q(bidang__icontains=value)
        )

    def filter_flag(self, queryset, name, value):
        if not value:
            return queryset
        pks = [
            a.pk
            for a, found in services_katalog.flagged_applications(queryset)
            if value == "any" or any(f.code == value for f in found)
        ]
        return queryset.filter(pk__in=pks)


class AplikasiNasionalFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or bidang"), method="filter_q")
    aplikasi_umum = django_filters.BooleanFilter(label=_("Designated aplikasi umum"))
    keyakinan = django_filters.CharFilter(label=_("Confidence"))

    class Meta:
        model = AplikasiNasional
        fields = ["q", "aplikasi_umum", "keyakinan"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(nama__icontains=value) | Q(bidang__icontains=value)) if value else queryset
