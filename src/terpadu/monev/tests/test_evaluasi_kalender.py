"""The working-day calendar and the period deadline (5 working days after quarter end)."""

from __future__ import annotations

import datetime as dt

from terpadu.core import kalender
from terpadu.core.models import HariLibur
from terpadu.monev import services_evaluasi as sv


def test_holidays_are_loaded_with_confidence(db):
    assert HariLibur.objects.filter(tanggal__year=2026).count() == 25  # 17 libur nasional + 8 cuti bersama
    assert HariLibur.objects.filter(keyakinan="unconfirmed", tanggal__year=2027).exists()
    assert all(h.sumber for h in HariLibur.objects.all())
    assert kalender.load_hari_libur() == 0  # idempotent


def test_working_days(db):
    assert not kalender.is_working_day(dt.date(2026, 3, 21))  # Saturday
    assert not kalender.is_working_day(dt.date(2026, 3, 20))  # cuti bersama Idul Fitri (Friday)
    assert kalender.is_working_day(dt.date(2026, 3, 25))
    assert kalender.add_working_days(dt.date(2026, 3, 17), 1) == dt.date(2026, 3, 25)  # 18–24 closed or weekend
    assert kalender.add_working_days(dt.date(2026, 3, 25), -1) == dt.date(2026, 3, 17)
    assert kalender.add_working_days(dt.date(2026, 3, 25), 0) == dt.date(2026, 3, 25)


def test_deadline_skips_holidays(db):
    assert sv.batas_hari_kerja() == 5  # from monev_reporting_deadlines.csv (Kepala SKPD)
    # TW I 2026 ends Tue 31 Mar; 1–3 Apr Wed–Fri but 3 Apr is Good Friday; 6, 7, 8 Apr → 5th is Wed 8 Apr
    assert sv.hitung_batas_waktu(2026, 1) == dt.date(2026, 4, 8)
    # without holidays the same count would end on Tue 7 Apr
    HariLibur.objects.filter(tanggal=dt.date(2026, 4, 3)).delete()
    assert sv.hitung_batas_waktu(2026, 1) == dt.date(2026, 4, 7)
    # TW IV 2026 ends Thu 31 Dec 2026: Fri 1 Jan 2027 and Tue 5 Jan 2027 (Isra Mikraj, an unconfirmed estimate)
    # are holidays → 4, 6, 7, 8, 11 Jan
    assert sv.hitung_batas_waktu(2026, 4) == dt.date(2027, 1, 11)


def test_years_without_holidays_are_named(db):
    assert kalender.years_without_holidays({2026, 2027}) == []
    assert kalender.years_without_holidays({2026, 2031, 2032}) == [2031, 2032]
    assert kalender.years_without_holidays(set()) == []
