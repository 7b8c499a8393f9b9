"""Helpers of the evaluasi tests (imported by the test modules; not a pytest conftest of its own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest


def as_system(fn, *args, **kwargs):
    from terpadu.core.context import acting

    with acting(None, via="command"):
        return fn(*args, **kwargs)


def give_role(user, code, unit=None):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code=code), unit)
    authz.forget(user)
    return user


_sp2d_counter = [0]


def pay(dpa, bulan, nilai, tahun=2026):
    """A realisation row written directly (the realisasi services are another helper's)."""
    from terpadu.realisasi.models import Realisasi, Sp2d

    _sp2d_counter[0] += 1
    sp2d = Sp2d.objects.create(
        tahun=tahun, unit=dpa.unit, nomor=f"T/{_sp2d_counter[0]}", tanggal=dt.date(tahun, bulan, 10), jenis="LS",
        uraian="uji", nilai=Decimal(nilai),
    )  # fmt: skip
    return Realisasi.objects.create(
        sp2d=sp2d, dpa_baris=dpa, sub_kegiatan=dpa.sub_kegiatan, unit=dpa.unit, tahun=tahun, bulan=bulan,
        nilai=Decimal(nilai),
    )  # fmt: skip


def fisik(sub, bulan, persen, tahun=2026):
    from terpadu.realisasi.models import ProgresFisik

    return ProgresFisik.objects.create(
        sub_kegiatan=sub, unit=sub.unit, tahun=tahun, bulan=bulan, persen=Decimal(persen)
    )


@pytest.fixture
def skala(db):
    from terpadu.monev import services_evaluasi as sv

    as_system(sv.muat_skala)
    return sv


@pytest.fixture
def city(city):
    from terpadu.accounts.models import User

    User.objects.update(language="en")
    return city
