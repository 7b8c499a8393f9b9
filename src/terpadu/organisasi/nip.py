"""NIP (Nomor Induk Pegawai) structure, per BKN:

PNS : YYYYMMDD (birth date) + YYYYMM (TMT CPNS) + G (1 male, 2 female) + NNN (sequence)
PPPK: YYYYMMDD (birth date) + YYYY (year of appointment) + "21" + G + NNN

The "21" in place of a month marks PPPK NIPs (the month field can never be 21 for a PNS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

PPPK_MARKER = 21
MIN_BIRTH_YEAR = 1940
MIN_WORKING_AGE = 17


@dataclass(frozen=True)
class NipInfo:
    nip: str
    tanggal_lahir: dt.date
    tmt_tahun: int
    tmt_bulan: int | None  # None for PPPK
    jenis_kelamin: str  # "L" or "P"
    urut: int
    is_pppk: bool


def parse_nip(value: str, today: dt.date | None = None) -> NipInfo:
    """Validate and decode a NIP; raise ValidationError saying exactly what is wrong."""
    today = today or timezone.localdate()
    nip = (value or "").replace(" ", "").strip()
    if len(nip) != 18 or not nip.isdigit():
        raise ValidationError(_("A NIP has exactly 18 digits (got %(n)d characters).") % {"n": len(nip)}, code="nip")
    try:
        born = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError as exc:
        raise ValidationError(
            _("Digits 1–8 of the NIP must be a real birth date (YYYYMMDD); %(v)s is not.") % {"v": nip[0:8]},
            code="nip_birth",
        ) from exc
    if born.year < MIN_BIRTH_YEAR or born > today:
        raise ValidationError(_("The birth date %(d)s in the NIP is not plausible.") % {"d": born}, code="nip_birth")
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    is_pppk = tmt_month == PPPK_MARKER
    if not is_pppk and not 1 <= tmt_month <= 12:
        raise ValidationError(
            _("Digits 13–14 of the NIP must be the TMT month 01–12 (or 21 for PPPK); %(v)s is not.")
            % {"v": nip[12:14]},
            code="nip_tmt",
        )
    if tmt_year < born.year + MIN_WORKING_AGE or tmt_year > today.year + 1:
        raise ValidationError(
            _("The appointment year %(y)s in the NIP does not fit the birth year %(b)s.")
            % {"y": tmt_year, "b": born.year},
            code="nip_tmt",
        )
    gender = nip[14]
    if gender not in ("1", "2"):
        raise ValidationError(
            _("Digit 15 of the NIP is the gender digit and must be 1 (male) or 2 (female); it is %(v)s.")
            % {"v": gender},
            code="nip_gender",
        )
    sequence = int(nip[15:18])
    if sequence == 0:
        raise ValidationError(_("The last three digits of the NIP (sequence) cannot be 000."), code="nip_seq")
    return NipInfo(
        nip, born, tmt_year, None if is_pppk else tmt_month, "L" if gender == "1" else "P", sequence, is_pppk
    )


def validate_nip(value: str) -> None:
    parse_nip(value)


def make_nip(born: dt.date, tmt_year: int, tmt_month: int | None, gender: str, sequence: int) -> str:
    """Compose a NIP (used by the demo and benchmark data generators)."""
    month = PPPK_MARKER if tmt_month is None else tmt_month
    return f"{born:%Y%m%d}{tmt_year:04d}{month:02d}{1 if gender == 'L' else 2}{sequence:03d}"
