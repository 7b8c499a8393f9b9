"""Reference lists of this module, loaded from the CSV files in data/ (never written into logic)."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def rows(name: str) -> tuple[dict, ...]:
    with open(DATA / f"{name}.csv", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def golongan(jenis: str | None = None) -> tuple[dict, ...]:
    return tuple(r for r in rows("golongan") if jenis is None or r["jenis"] == jenis)


def golongan_choices() -> list[tuple[str, str]]:
    return [(r["kode"], f"{r['kode']} — {r['pangkat']}" if r["jenis"] == "PNS" else r["pangkat"]) for r in golongan()]


def pangkat_of(kode: str) -> str:
    return next((r["pangkat"] for r in golongan() if r["kode"] == kode), "")


def eselon_choices() -> list[tuple[str, str]]:
    return [(r["kode"], r["nama"]) for r in rows("eselon")]


def eselon_level(kode: str | None) -> int | None:
    return next((int(r["level"]) for r in rows("eselon") if r["kode"] == kode), None)


def jenis_unit_choices() -> list[tuple[str, str]]:
    return [(r["kode"], r["nama"]) for r in rows("jenis_unit")]


def opd_kinds() -> set[str]:
    return {r["kode"] for r in rows("jenis_unit") if r["is_opd"] == "1"}


def unconfirmed(name: str) -> set[str]:
    """Codes whose source is not yet confirmed; the UI marks them 'belum terkonfirmasi'."""
    return {r["kode"] for r in rows(name) if r.get("confidence") == "unconfirmed"}
