"""Fixtures of the kontrak tests: the `chain` (tests/chain.py) gives approved DPA lines of Dinas Alfa and Beta in 2026;
staff_same becomes a PPK of Dinas Alfa with make_ppk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
SWITCH = "5.2.02.10.02.0004"  # 50.000.000 on chain.sub
MAMIN = "5.1.02.01.01.0052"  # 16.000.000 on chain.sub
ATK = "5.1.02.01.01.0024"  # 5.500.000 on chain.sub


def make_ppk(user, unit):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code="ppk"), unit)
    authz.forget(user)
    return user


@pytest.fixture
def penyedia(db):
    from terpadu.kontrak import services

    return services.create_penyedia({"nama": "CV Maju Jaya", "npwp": "01.234.567.8-901.000", "kualifikasi": "kecil"})


@pytest.fixture
def paket(chain):
    from terpadu.kontrak import services

    return services.create_paket(
        chain.sub.unit,
        2026,
        {
            "nama": "Pengadaan switch jaringan",
            "metode": "pengadaan_langsung",
            "jenis": "barang",
            "kode_rup": "59899037",
        },
        [(chain.dpa[SWITCH], Decimal("40000000"))],
    )


def kontrak_data(penyedia, **extra):
    data = {
        "nomor": "027/SPK/2026",
        "tanggal": dt.date(2026, 3, 2),
        "penyedia": penyedia,
        "jenis_kontrak": "lumsum",
        "hps": Decimal("39000000"),
        "nilai": Decimal("38000000"),
        "mulai": dt.date(2026, 3, 3),
        "selesai": dt.date(2026, 5, 31),
    }
    data.update(extra)
    return data


@pytest.fixture
def kontrak(paket, penyedia):
    from terpadu.kontrak import services

    return services.create_kontrak(paket, kontrak_data(penyedia))


def pay(termin, nilai, bulan, nomor="SP2D-1"):
    """An SP2D paying `termin` (rows written directly: the realisasi services are another part's)."""
    from terpadu.realisasi.models import Realisasi, Sp2d

    line = termin.kontrak.paket.alokasi.first().dpa_baris
    sp2d = Sp2d.objects.create(
        tahun=2026, unit=line.unit, nomor=nomor, tanggal=dt.date(2026, bulan, 15), jenis="LS", uraian="Termin",
        nilai=nilai, sumber="modul",
    )  # fmt: skip
    return Realisasi.objects.create(
        sp2d=sp2d, dpa_baris=line, sub_kegiatan=line.sub_kegiatan, unit=line.unit, tahun=2026, bulan=bulan,
        nilai=nilai, termin=termin,
    )  # fmt: skip


def progress(sub, bulan, persen):
    from terpadu.realisasi.models import ProgresFisik

    return ProgresFisik.objects.create(sub_kegiatan=sub, unit=sub.unit, tahun=2026, bulan=bulan, persen=persen)


@pytest.fixture
def city(city):
    from terpadu.accounts.models import User

    User.objects.update(language="en")
    return city


@pytest.fixture(autouse=True)
def _english_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
