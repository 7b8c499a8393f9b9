"""Fixtures and helpers of the master-data tests (nomenklatur and kode rekening)."""

from __future__ import annotations

import pytest

TAHUN = 2030  # far from the chain fixture's 2026


def give_role(user, code: str, unit=None):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code=code), unit)
    authz.forget(user)
    return user


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    from terpadu.core import tabular

    return tabular.write_csv(header, rows)


@pytest.fixture
def city(city):
    from terpadu.accounts.models import User

    User.objects.update(language="en")
    return city


@pytest.fixture
def edition(db):
    """A small nomenklatur edition: urusan 2 → 2.16 → 2.16.03 → 2.16.03.2.02 → two sub kegiatan, and X.XX."""
    from terpadu.core.context import acting
    from terpadu.perencanaan import services_master as master

    tree = master.NOMENKLATUR
    with acting(None, via="command"):
        versi = master.create_versi(tree, TAHUN, {"nama": "Uji"})
        for kode, nama in (
            ("2", "Urusan Wajib Non Pelayanan Dasar"),
            ("2.16", "Komunikasi dan Informatika"),
            ("2.16.03", "PROGRAM PENGELOLAAN APLIKASI INFORMATIKA"),
            ("2.16.03.2.02", "Pengelolaan e-Government"),
            ("2.16.03.2.02.0021", "Sistem Penghubung Layanan"),
            ("2.16.03.2.02.0023", "Kota Cerdas"),
            ("X", "Penunjang"),
            ("X.XX", "Penunjang Urusan"),
            ("X.XX.01", "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"),
        ):
            master.create_kode(tree, versi, {"kode": kode, "nama": nama})
    return versi


@pytest.fixture
def rekening_edition(db):
    from terpadu.anggaran import services_master as anggaran
    from terpadu.core.context import acting
    from terpadu.perencanaan import services_master as master

    tree = anggaran.REKENING
    with acting(None, via="command"):
        versi = master.create_versi(tree, TAHUN, {"nama": "Uji"})
        for kode, nama in (
            ("5", "BELANJA DAERAH"),
            ("5.1", "BELANJA OPERASI"),
            ("5.1.02", "Belanja Barang dan Jasa"),
            ("5.1.02.01", "Belanja Barang"),
            ("5.1.02.01.01", "Belanja Barang Pakai Habis"),
            ("5.1.02.01.01.0024", "ATK"),
            ("5.1.02.01.01.0025", "Kertas dan Cover"),
        ):
            master.create_kode(tree, versi, {"kode": kode, "nama": nama})
    return versi
