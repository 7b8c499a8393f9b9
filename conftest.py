"""Shared test fixtures: a small city with personas, and the rules for service-dependent tests.

Personas (Healthchecks style): anonymous, staff of another OPD, staff of the same OPD, pimpinan
(head of the OPD) and admin. Tests ask for `city` and log in with `login_as(client, city.staff_same)`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass

import pytest

REQUIRE_SERVICES = os.environ.get("TERPADU_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            reason = "needs PostgreSQL (set DATABASE_URL=postgres://…)"
            pytest.fail(reason) if REQUIRE_SERVICES else pytest.skip(reason)
    if item.get_closest_marker("browser"):
        if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
            reason = f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
            pytest.fail(reason) if REQUIRE_SERVICES else pytest.skip(reason)


@dataclass
class City:
    pemda: object
    root: object
    dinas_a: object
    bidang_a: object
    dinas_b: object
    kepala_a: object  # Jabatan
    kabid_a: object
    staff_a_jabatan: object
    kepala_b: object
    staff_b_jabatan: object
    pimpinan: object  # users from here on
    staff_same: object
    staff_other: object
    admin: object
    pegawai_same: object
    pegawai_other: object


def make_pegawai(org, nama, jabatan=None, status="PNS", golongan="III/a", today=None):
    from terpadu.organisasi.nip import make_nip

    index = next(_counter)
    born = dt.date(1970 + index % 25, 1 + index % 12, 1 + index % 28)
    nip = make_nip(
        born,
        born.year + 22 + index % 5,
        None if status == "PPPK" else 1 + index % 12,
        "L" if index % 2 else "P",
        1 + index % 999,
    )
    pegawai = org.create_pegawai(
        {
            "nip": nip,
            "nama": nama,
            "status": status,
            "golongan": golongan if status == "PNS" else "IX",
            "email": f"p{index}@example.test",
            "telepon": f"0812{index:07d}",
        }
    )
    if jabatan is not None:
        org.assign_jabatan(pegawai, jabatan, (today or dt.date.today()) - dt.timedelta(days=100))
    return pegawai


def _count():
    n = 0
    while True:
        n += 1
        yield n


_counter = _count()


def build_city() -> City:
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core.context import acting
    from terpadu.organisasi import services as org

    with acting(None, via="command"):
        access.load_default_roles()
        pemda = org.save_pemda({"nama": "Pemerintah Kota Uji", "kode_wilayah": "35.98", "provinsi": "Jawa Timur"})
        root = org.create_unit({"kode": "400", "nama": "Pemerintah Kota Uji", "jenis": "pemda"})
        dinas_a = org.create_unit({"parent": root, "kode": "400.1", "nama": "Dinas Alfa", "jenis": "dinas"})
        bidang_a = org.create_unit(
            {"parent": dinas_a, "kode": "400.1.2", "nama": "Bidang Alfa Satu", "jenis": "bidang"}
        )
        dinas_b = org.create_unit({"parent": root, "kode": "400.2", "nama": "Dinas Beta", "jenis": "dinas"})
        kepala_a = org.create_jabatan(
            {
                "unit": dinas_a,
                "kode": "KA",
                "nama": "Kepala Dinas Alfa",
                "jenis": "struktural",
                "eselon": "II.b",
                "is_kepala_unit": True,
            }
        )
        kabid_a = org.create_jabatan(
            {
                "unit": bidang_a,
                "kode": "KBA",
                "nama": "Kepala Bidang Alfa Satu",
                "jenis": "struktural",
                "eselon": "III.b",
                "is_kepala_unit": True,
            }
        )
        staff_a = org.create_jabatan({"unit": bidang_a, "kode": "SA", "nama": "Pengelola Alfa", "jenis": "pelaksana"})
        kepala_b = org.create_jabatan(
            {
                "unit": dinas_b,
                "kode": "KB",
                "nama": "Kepala Dinas Beta",
                "jenis": "struktural",
                "eselon": "II.b",
                "is_kepala_unit": True,
            }
        )
        staff_b = org.create_jabatan({"unit": dinas_b, "kode": "SB", "nama": "Pengelola Beta", "jenis": "pelaksana"})
        p_kepala_a = make_pegawai(org, "Kepala Alfa", kepala_a, golongan="IV/c")
        p_same = make_pegawai(org, "Staf Alfa", staff_a)
        p_other = make_pegawai(org, "Staf Beta", staff_b)
        make_pegawai(org, "Kepala Beta", kepala_b, golongan="IV/c")
        admin_pegawai = make_pegawai(org, "Admin Sistem", None)
        pimpinan = access.create_user("pimpinan", "Rahasia-Uji-12345", pegawai=p_kepala_a)
        staff_same = access.create_user("staf.alfa", "Rahasia-Uji-12345", pegawai=p_same)
        staff_other = access.create_user("staf.beta", "Rahasia-Uji-12345", pegawai=p_other)
        admin = access.create_user("admin", "Rahasia-Uji-12345", pegawai=admin_pegawai)
        access.assign_role(admin, Role.objects.get(code="admin-sistem"))
    return City(
        pemda,
        root,
        dinas_a,
        bidang_a,
        dinas_b,
        kepala_a,
        kabid_a,
        staff_a,
        kepala_b,
        staff_b,
        pimpinan,
        staff_same,
        staff_other,
        admin,
        p_same,
        p_other,
    )


@pytest.fixture
def city(db) -> City:
    return build_city()


def login_as(client, user, verified: bool = True):
    """Log a test client in; with verified=True the session has also passed TOTP (as after a real login)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user, backend="terpadu.accounts.backends.NipOrUsernameBackend")
    if verified:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login():
    return login_as


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts without cached grants or head-keyed caches: a rolled-back test's users and audit head
    come back in the next, with other rows behind them."""
    from terpadu.accounts.services import forget_access
    from terpadu.core.audit import HeadCache

    forget_access()
    HeadCache.clear_all()
    yield
    forget_access()
    HeadCache.clear_all()


@pytest.fixture(autouse=True)
def _source_language_outside_requests():
    """Tests read messages in the source language (English); a request may leave 'id' active in the thread."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def freeze_today(monkeypatch):
    """Make 'today' (timezone.localdate) a given date for the code under test."""
    from django.utils import timezone

    def freeze(day: dt.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return freeze


def empty_job_queue() -> None:
    """Empty procrastinate's tables (Django's test flush does not know them); a no-op without PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers, procrastinate_workers"
        )


from tests.chain import chain  # noqa: E402, F401  (the planning → budget chain fixture for later modules)
