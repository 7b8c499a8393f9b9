"""Shared fixtures of the outgoing-naskah tests (imported by test_keluar*.py, test_verifikasi_publik*.py,
test_paket*.py and test_akses*.py). No tests here.

The world: the conftest city plus a definitive Kepala Bidang Alfa Satu (the verifier between the drafter
Staf Alfa and the signer Kepala Dinas Alfa) and a user for Kepala Dinas Beta (an internal addressee).
Signing uses the real instance-CA backend of the tte part with a CA made in a temporary directory.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import pytest

PASSPHRASE = "kata-sandi-ttd-123"
PASSWORD = "Rahasia-Uji-12345"


@pytest.fixture
def keluar(city, klasifikasi, jenis, settings, tmp_path):
    from conftest import make_pegawai

    from terpadu.accounts import services as access
    from terpadu.core.context import acting
    from terpadu.organisasi import services as org
    from terpadu.organisasi.models import Pegawai

    settings.TERPADU_TTE_CA_KEY_FILE = str(tmp_path / "keys" / "tte-ca.pem")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with acting(None, via="command"):
        kabid = make_pegawai(org, "Kabid Alfa", city.kabid_a, golongan="IV/a")
        kabid_user = access.create_user("kabid.alfa", PASSWORD, pegawai=kabid)
        kepala_beta = Pegawai.objects.get(nama="Kepala Beta")
        kepala_beta_user = access.create_user("kepala.beta", PASSWORD, pegawai=kepala_beta)
    return SimpleNamespace(
        city=city,
        klasifikasi=klasifikasi,
        jenis=jenis,
        drafter=city.staff_same,
        kabid=kabid_user,
        signer=city.pimpinan,
        kepala_beta=kepala_beta_user,
    )


@pytest.fixture
def ca(keluar):
    """The instance CA and a certificate for the signer (Kepala Dinas Alfa) and the Kepala Bidang."""
    from terpadu.core.context import acting
    from terpadu.tte import services as tte

    with acting(None, via="command"):
        tte.init_ca()
        tte.enrol(keluar.signer.pegawai, PASSPHRASE)
        tte.enrol(keluar.kabid.pegawai, PASSPHRASE)
    return tte


def draft_input(keluar, **overrides):
    from terpadu.naskah import services

    data = {
        "jenis": keluar.jenis["surat_dinas"],
        "klasifikasi": keluar.klasifikasi["000.1.5"],
        "sifat": "biasa",
        "urgensi": "biasa",
        "hal": "Undangan rapat koordinasi",
        "ringkasan": "Kami mengundang Bapak/Ibu untuk hadir pada rapat koordinasi.",
        "penandatangan_jabatan": keluar.city.kepala_a,
    }
    penerima = overrides.pop("penerima", None)
    verifikator = overrides.pop("verifikator", None)
    data.update(overrides)
    if penerima is None:
        penerima = [
            {"peran": "tujuan", "jabatan": keluar.city.kepala_b},
            {"peran": "tujuan", "nama": "Kepala BPS Kota", "instansi": "BPS", "email": "bps@example.test"},
            {"peran": "tembusan", "unit": keluar.city.dinas_b},
        ]
    return services.DraftInput(data=data, penerima=penerima, verifikator=verifikator)


def make_draft(keluar, **overrides):
    from terpadu.naskah import services

    return services.create_draft(keluar.drafter, draft_input(keluar, **overrides))


def to_ready(keluar, naskah):
    """Submit and paraf through the whole chain: status siap_ttd."""
    from terpadu.naskah import services

    naskah = services.submit(naskah, keluar.drafter)
    while (step := services.current_step(naskah)) is not None:
        assert step.jabatan == keluar.city.kabid_a
        naskah = services.approve(naskah, keluar.kabid)
    return naskah


def sign(keluar, naskah, user=None, passphrase=PASSPHRASE, otp=True):
    from terpadu.naskah import services

    return services.sign(naskah, user or keluar.signer, backend="ca", passphrase=passphrase, otp_verified=otp)


def signed(keluar, **overrides):
    return sign(keluar, to_ready(keluar, make_draft(keluar, **overrides)))


def stored_bytes(stored) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


@functools.cache
def a_pdf(text: str = "Surat yang diunggah", pages: int = 1) -> bytes:
    """A small real PDF (WeasyPrint), as a drafter would upload."""
    from weasyprint import HTML

    body = "".join(f'<p style="page-break-after: always">{text} {index + 1}</p>' for index in range(pages))
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def walk_objects(world) -> dict:
    """Objects for the route walker (tests/test_authorization.py), keys prefixed "keluar_".

    Drafted by staff_same for the Kepala Dinas Alfa (pimpinan). The world is built once per route, so the
    rendering is replaced by one cached PDF, and (the walk has no signing CA) the tte call by a pass-through;
    the rest of drafting and signing (numbers, parties, files, audit) is real.
    """

    from django.utils import timezone

    from terpadu.naskah import services
    from terpadu.naskah.models import JenisNaskah
    from terpadu.tte.types import SignedPdf

    city = world.city
    kinds = {j.kode: j for j in JenisNaskah.objects.all()}
    if "surat_dinas" not in kinds:
        kinds["surat_dinas"] = JenisNaskah.objects.create(kode="surat_dinas", nama="Surat Dinas")
    klasifikasi = _walk_klasifikasi()
    base = {
        "jenis": kinds["surat_dinas"],
        "klasifikasi": klasifikasi,
        "sifat": "biasa",
        "urgensi": "biasa",
        "ringkasan": "Untuk dilaksanakan.",
        "penandatangan_jabatan": city.kepala_a,
    }
    penerima = [{"peran": "tujuan", "jabatan": city.kepala_b}]

    def draft(hal, chain=None, **extra):
        data = {**base, "hal": hal, **extra}
        return services.create_draft(
            city.staff_same, services.DraftInput(data=data, penerima=penerima, verifikator=chain)
        )

    objects = {}
    patched = {
        # only keluar_draft keeps a version PDF (for naskah:versi_pdf); the rest skip storing one
        "_render_draft": lambda naskah, konten: a_pdf("Konsep") if naskah.hal.startswith("Konsep") else None,
        "_render_final": lambda naskah, **kwargs: (a_pdf("Final"), (0, 36.0, 36.0, 246.0, 120.0)),
        "_sign_pdf": lambda pdf, **kwargs: SignedPdf(pdf, "ca", "CN=walk", "01", timezone.now()),
    }
    originals = {name: getattr(services, name) for name in patched}
    for name, replacement in patched.items():
        setattr(services, name, replacement)
    try:
        _walk_naskah(city, base, penerima, draft, objects, services)
    finally:
        for name, original in originals.items():
            setattr(services, name, original)
    return objects


def _walk_naskah(city, base, penerima, draft, objects, services) -> None:
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from terpadu.core.context import acting

    with acting(city.staff_same, via="command"):
        first = services.DraftInput(data={**base, "hal": "Konsep jalan-jalan"}, penerima=penerima)
        first.lampiran = [(SimpleUploadedFile("lampiran.pdf", a_pdf("Lampiran")), "Daftar hadir")]
        objects["keluar_draft"] = services.create_draft(city.staff_same, first)
        objects["keluar_lampiran"] = objects["keluar_draft"].lampiran.get()
        objects["keluar_submit"] = draft("Untuk diajukan")
        objects["keluar_submit_api"] = draft("Untuk diajukan lewat API")
        # Verified by the Kepala Dinas Alfa (pimpinan) for the Kepala Dinas Beta: the pimpinan's turn.
        for key in ("keluar_paraf", "keluar_kembali", "keluar_paraf_api", "keluar_kembali_api"):
            objects[key] = services.submit(
                draft(key, chain=[city.kepala_a], penandatangan_jabatan=city.kepala_b), city.staff_same
            )
        for key in ("keluar_ready", "keluar_signed", "keluar_signed_api"):
            objects[key] = services.submit(draft(key, chain=[]), city.staff_same)
    with acting(city.pimpinan, via="command"):
        for key in ("keluar_signed", "keluar_signed_api"):
            objects[key] = services.sign(
                objects[key], city.pimpinan, backend="ca", passphrase="walk", otp_verified=True
            )
        objects["keluar_akses"] = services.grant_access(
            objects["keluar_signed"], city.pimpinan, _kepala_beta(), "Pemeriksaan", dt.date.today()
        )


def _kepala_beta():
    """A pegawai without an account: granting them access changes no persona's view."""
    from terpadu.organisasi.models import Pegawai

    return Pegawai.objects.get(nama="Kepala Beta")


def _walk_klasifikasi():
    import datetime as dt

    from terpadu.arsip.models import Klasifikasi, KlasifikasiVersi

    existing = Klasifikasi.objects.filter(versi__aktif=True).first()
    if existing is not None:
        return existing
    versi = KlasifikasiVersi.objects.create(nama="Walk", berlaku_mulai=dt.date(2023, 1, 1), aktif=True)
    return Klasifikasi.objects.create(versi=versi, kode="000", nama="Umum")
