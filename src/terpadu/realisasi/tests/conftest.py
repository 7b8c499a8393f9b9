"""Fixtures of the realisasi tests: roles for personas, a contract funded by a DPA line, images."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest


def give_role(user, code: str, unit=None):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code=code), unit)
    authz.forget(user)
    return user


def make_kontrak(dpa_baris, nilai, termin_values, nomor="KTR/001/2026", alokasi=None):
    """A package funded by `dpa_baris`, its contract and termin (rows made directly: kontrak is another part)."""
    from terpadu.kontrak.models import Kontrak, Paket, PaketDpa, Penyedia, Termin

    penyedia, _ = Penyedia.objects.get_or_create(npwp="012345678901234", defaults={"nama": "CV Maju Jaya"})
    paket = Paket.objects.create(
        tahun=dpa_baris.tahun, unit=dpa_baris.unit, nama=f"Paket {nomor}", metode="pengadaan_langsung",
        jenis="barang", pagu=Decimal(nilai),
    )  # fmt: skip
    PaketDpa.objects.create(paket=paket, dpa_baris=dpa_baris, nilai=Decimal(alokasi or nilai))
    kontrak = Kontrak.objects.create(
        paket=paket, unit=dpa_baris.unit, tahun=dpa_baris.tahun, nomor=nomor, tanggal=dt.date(2026, 2, 1),
        penyedia=penyedia, jenis_kontrak="lumsum", nilai=Decimal(nilai), nilai_awal=Decimal(nilai),
        mulai=dt.date(2026, 2, 1), selesai=dt.date(2026, 10, 31),
    )  # fmt: skip
    termins = [
        Termin.objects.create(kontrak=kontrak, urutan=i, nilai=Decimal(v)) for i, v in enumerate(termin_values, start=1)
    ]
    return kontrak, termins


def image_bytes(fmt="PNG", exif=None) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), (200, 120, 40))
    if exif is not None:
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x8769] = {36867: "2026:03:14 09:30:00"}
    exif[0x8825] = {1: "S", 2: (6.0, 54.0, 36.0), 3: "E", 4: (107.0, 36.0, 0.0)}
    return image_bytes("JPEG", exif=exif)


@pytest.fixture
def upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="foto.png", content=None, content_type="image/png"):
        return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type=content_type)

    return make


@pytest.fixture
def city(city):
    from terpadu.accounts.models import User

    User.objects.update(language="en")
    return city
