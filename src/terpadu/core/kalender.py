"""The working-day calendar of the pemda: Monday–Friday minus national holidays and cuti bersama.

Holidays are rows of `core.HariLibur`, loaded from `core/data/hari_libur.csv` (the SKB 3 Menteri of each year,
each row with its confidence and source) by migration 0004 and by `load_hari_libur()` (re-runnable: it updates
rows by date and never deletes one an administrator added). Deadlines counted in *hari kerja* (e.g. the monev
quarterly report, 5 working days after quarter end) use `add_working_days`.

A Saturday or Sunday is never a working day; a holiday on a weekend changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

DATA_FILE = Path(__file__).resolve().parent / "data" / "hari_libur.csv"
WEEKEND = (5, 6)  # Saturday, Sunday
FIELDS = ("nama", "jenis", "keyakinan", "sumber")


def read_hari_libur(path: Path | None = None) -> list[dict]:
    """The rows of the holiday file as dicts (tanggal as a date); raises ValueError naming a bad line."""
    rows = []
    with open(path or DATA_FILE, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                tanggal = dt.date.fromisoformat((row.get("tanggal") or "").strip())
            except ValueError as exc:
                raise ValueError(f"hari_libur line {line}: {row.get('tanggal')!r} is not a date (YYYY-MM-DD)") from exc
            rows.append({"tanggal": tanggal, **{f: (row.get(f) or "").strip() for f in FIELDS}})
    return rows


def load_hari_libur(path: Path | None = None, model=None) -> int:
    """Create or update holidays from the file, by date. Returns how many rows changed. Audited."""
    from terpadu.core import audit
    from terpadu.core.models import HariLibur

    model = model or HariLibur
    changed = 0
    with transaction.atomic():
        existing = {h.tanggal: h for h in model.objects.all()}
        for row in read_hari_libur(path):
            current = existing.get(row["tanggal"])
            values = {f: row[f] for f in FIELDS if row[f]}
            if current is None:
                created = model.objects.create(tanggal=row["tanggal"], **values)
                if model is HariLibur:
                    audit.record(created, "kalender.hari_libur_dimuat", {"tanggal": [None, str(row["tanggal"])]})
                changed += 1
            elif any(getattr(current, f) != v for f, v in values.items()):
                before = {f: getattr(current, f) for f in values}
                for f, v in values.items():
                    setattr(current, f, v)
                current.save(update_fields=list(values))
                if model is HariLibur:
                    audit.record(current, "kalender.hari_libur_diubah", audit.diff(before, values))
                changed += 1
    return changed


def holidays(start: dt.date, end: dt.date) -> set[dt.date]:
    """Holiday dates between start and end inclusive (one query)."""
    from terpadu.core.models import HariLibur

    return set(HariLibur.objects.filter(tanggal__gte=start, tanggal__lte=end).values_list("tanggal", flat=True))


def years_without_holidays(years) -> list[int]:
    """Those of `years` for which no holiday is loaded: their deadlines count Monday–Friday only, which a page
    that shows such a deadline must say (the SKB 3 Menteri of a new year is added to the data file each year)."""
    from terpadu.core.models import HariLibur

    wanted = set(years)
    dates = HariLibur.objects.filter(tanggal__year__in=wanted).values_list("tanggal", flat=True) if wanted else []
    return sorted(wanted - {day.year for day in dates})


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday and not a holiday or cuti bersama."""
    if day.weekday() in WEEKEND:
        return False
    return not holidays(day, day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date `n` working days after `day` (n > 0) or before it (n < 0); n = 0 returns `day` itself.

    `day` itself is not counted: 5 working days after Tuesday 31 March 2026 is the 5th working day from
    1 April on, skipping weekends, holidays and cuti bersama."""
    if n == 0:
        return day
    step = dt.timedelta(days=1 if n > 0 else -1)
    # Enough room for any run of holidays (Idul Fitri with cuti bersama is ~10 days), fetched in one query.
    span = dt.timedelta(days=abs(n) * 2 + 31)
    closed = holidays(day, day + span) if n > 0 else holidays(day - span, day)
    remaining = abs(n)
    current = day
    while remaining:
        current += step
        if current.weekday() not in WEEKEND and current not in closed:
            remaining -= 1
        if abs((current - day).days) > span.days:  # a longer closure than the window: widen it
            closed |= holidays(current, current + span) if n > 0 else holidays(current - span, current)
            span += span
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days `end` lies after `start`."""
    if end <= start:
        return 0
    closed = holidays(start, end)
    days = (end - start).days
    return sum(
        1
        for i in range(1, days + 1)
        if (d := start + dt.timedelta(days=i)).weekday() not in WEEKEND and d not in closed
    )
