"""Money in messages the modules raise: `Rp 1.234.567` (cents only when there are any), Indonesian grouping in every
language, because the figures are quoted from Indonesian budget documents."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def rupiah(value) -> str:
    value = Decimal(value or 0).quantize(CENT)
    whole = f"{abs(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if whole.endswith(",00"):
        whole = whole[:-3]
    return f"{'-' if value < 0 else ''}Rp {whole}"
