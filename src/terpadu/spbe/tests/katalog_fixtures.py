"""Helpers of the katalog tests: personas with spbe roles, national apps, and a quick application factory."""

from __future__ import annotations

import datetime as dt

import pytest

from terpadu.core.context import acting


def persona(user, role_code: str, unit=None):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code=role_code), unit)
    authz.forget(user)
    return user


@pytest.fixture
def katalog(city):
    """The city with: admin (admin-spbe, whole pemda), staff_same (operator-opd of Dinas Alfa), national apps."""
    from terpadu.spbe import services_katalog

    persona(city.admin, "admin-spbe")
    persona(city.staff_same, "operator-opd", city.dinas_a)
    with acting(None, via="command"):
        services_katalog.load_national_apps()
    return city


def make_app(unit=None, **extra):
    from terpadu.spbe import services_katalog

    values = {
        "nama": extra.pop("nama", "Aplikasi Uji"),
        "jenis": extra.pop("jenis", "khusus"),
        "unit": unit,
        "fungsi_bisnis": extra.pop("fungsi_bisnis", "Pendataan uji"),
        "status": extra.pop("status", "usulan"),
        **extra,
    }
    layanan = values.pop("layanan", None)
    with acting(None, via="command"):
        return services_katalog.create_aplikasi(None, values, layanan)


def layanan_elemen(kode="L.UJI.1", unit=None, **extra):
    from terpadu.spbe.models import ElemenArsitektur

    return ElemenArsitektur.objects.create(domain="layanan", kode=kode, nama=extra.pop("nama", "Layanan uji"),
                                           unit=unit, **extra)  # fmt: skip


def months_ago(today: dt.date, months: int) -> dt.date:
    from terpadu.spbe.services_katalog import _add_months

    return _add_months(today, -months)
