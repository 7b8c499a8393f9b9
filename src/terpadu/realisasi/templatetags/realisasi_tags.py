"""Money and percentages in the realisasi pages, with the active language's separators."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def uang(value):
    """1234567.5 → "1.234.567,50" (id) or "1,234,567.50" (en); whole amounts without decimals."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def persen(value):
    if value is None or value == "":
        return "—"
    return number_format(Decimal(value), decimal_pos=2, use_l10n=True) + " %"


@register.filter
def lebar(value):
    """A percentage clamped to 0–100 for a progress bar's width (always with a dot)."""
    if value is None:
        return "0"
    return str(max(Decimal(0), min(Decimal(100), Decimal(value))).quantize(Decimal("0.1")))
