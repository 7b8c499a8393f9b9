"""Fixtures of the naskah tests: a small classification scheme and the kinds of naskah, made directly.

(The real loaders — arsip's reference import and the tata naskah data — have their own tests.)
"""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def klasifikasi(db):
    """Three codes of a current edition; returns {kode: Klasifikasi}."""
    from terpadu.arsip.models import Klasifikasi, KlasifikasiVersi

    versi = KlasifikasiVersi.objects.create(nama="Uji 83/2022", berlaku_mulai=dt.date(2023, 1, 1), aktif=True)
    umum = Klasifikasi.objects.create(versi=versi, kode="000", nama="Umum")
    codes = {"000": umum}
    for kode, nama, aktif, inaktif, nasib in (
        ("000.1.5", "Rapat Pimpinan", 2, 3, "musnah"),
        ("800.1.11.1", "Surat Perintah Dinas / Surat Tugas", 2, 3, "musnah"),
    ):
        codes[kode] = Klasifikasi.objects.create(
            versi=versi,
            kode=kode,
            nama=nama,
            parent=umum if kode.startswith("000") else None,
            retensi_aktif=aktif,
            retensi_inaktif=inaktif,
            nasib_akhir=nasib,
        )
    return codes


@pytest.fixture
def jenis(db):
    """Some kinds of naskah; returns {kode: JenisNaskah}."""
    from terpadu.naskah.models import JenisNaskah

    kinds = {}
    for order, (kode, nama, keluar) in enumerate(
        (
            ("surat_dinas", "Surat Dinas", True),
            ("nota_dinas", "Nota Dinas", False),
            ("surat_undangan", "Surat Undangan", True),
            ("surat_tugas", "Surat Tugas", False),
        )
    ):
        kinds[kode] = JenisNaskah.objects.get_or_create(
            kode=kode, defaults={"nama": nama, "keluar": keluar, "urutan": order}
        )[0]
    return kinds


# The view tests read the English source texts (the Indonesian catalogue is tested in core): the personas
# and the test client use English, as in organisasi's view tests.
@pytest.fixture
def city(city):
    from terpadu.accounts.models import User

    User.objects.update(language="en")
    return city


@pytest.fixture(autouse=True)
def _english_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
