"""Figures of the transparency pages: money in the active language's grouping, percentages, bar widths."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def rupiah(value) -> str:
    """Rp 1.234.567 (id) / Rp 1,234,567 (en), rounded to the rupiah."""
    number = _decimal(value)
    if number is None:
        return "—"
    return "Rp " + number_format(number.quantize(Decimal("1")), 0, use_l10n=True, force_grouping=True)


@register.filter
def persen(value) -> str:
    number = _decimal(value)
    if number is None:
        return "—"
    return number_format(number, 1, use_l10n=True) + "%"


@register.filter
def lebar(value) -> str:
    """A CSS width percentage (always a dot, clamped to 0–100)."""
    number = _decimal(value) or Decimal(0)
    number = max(Decimal(0), min(Decimal(100), number))
    return f"{number:.1f}"
