"""Builders shared by the incoming-part tests and its route table (no tests here).

Outgoing naskah are built directly with the ORM (the outgoing part has its own services and tests).
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "Surat masuk") -> bytes:
    """A small valid one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("rahasia")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str = "surat.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, content_type="application/pdf")


def reference_data():
    """(jenis, klasifikasi, [instruksi]) made directly, idempotent."""
    from terpadu.arsip.models import Klasifikasi, KlasifikasiVersi
    from terpadu.naskah.models import InstruksiDisposisi, JenisNaskah

    jenis = JenisNaskah.objects.get_or_create(kode="surat_dinas", defaults={"nama": "Surat Dinas"})[0]
    versi = KlasifikasiVersi.objects.filter(aktif=True).first() or KlasifikasiVersi.objects.create(
        nama="Uji masuk", berlaku_mulai=dt.date(2023, 1, 1), aktif=True
    )
    klasifikasi = Klasifikasi.objects.filter(versi=versi, kode="000.1.5").first() or Klasifikasi.objects.create(
        versi=versi, kode="000.1.5", nama="Rapat Pimpinan", retensi_aktif=2, retensi_inaktif=3, nasib_akhir="musnah"
    )
    instruksi = [
        InstruksiDisposisi.objects.get_or_create(kode=kode, defaults={"teks": teks, "urutan": order})[0]
        for order, (kode, teks) in enumerate((("tindak-lanjuti", "Tindak lanjuti"), ("hadiri", "Hadiri / wakili")))
    ]
    return jenis, klasifikasi, instruksi


def incoming(city, *, hal="Undangan rapat koordinasi", sifat="biasa", tujuan=None, tembusan=(), unit=None):
    """An incoming letter registered in the city's Dinas Alfa and delivered (services, no gate: built as the system)."""
    from django.utils import timezone

    from terpadu.naskah import masuk
    from terpadu.naskah.models import Naskah, Penerima, PihakNaskah

    jenis, klasifikasi, _instruksi = reference_data()
    unit = unit or city.dinas_a
    naskah = Naskah.objects.create(
        arah=Naskah.Arah.MASUK,
        status=Naskah.Status.DITERIMA,
        jenis=jenis,
        klasifikasi=klasifikasi,
        sifat=sifat,
        hal=hal,
        unit=unit,
        pembuat=city.pimpinan.pegawai,
        nomor=f"005/{Naskah.objects.count() + 1}/Prov",
        tanggal=timezone.localdate(),
        nomor_agenda=Naskah.objects.filter(unit=unit, arah="masuk").count() + 1,
        nomor_tahun=timezone.localdate().year,
        asal_instansi="Pemerintah Provinsi",
        diterima=timezone.now(),
    )
    for peran, positions in ((Penerima.Peran.TUJUAN, tujuan or [city.kepala_a]), (Penerima.Peran.TEMBUSAN, tembusan)):
        for jabatan in positions:
            masuk.deliver_internal(naskah, Penerima.objects.create(naskah=naskah, peran=peran, jabatan=jabatan))
    PihakNaskah.objects.get_or_create(naskah=naskah, peran="pencatat", pegawai=city.pimpinan.pegawai)
    return naskah


def outgoing(city, *, status="draf", sifat="biasa", pembuat=None, penandatangan_jabatan=None, unit=None):
    """An outgoing naskah made directly (the outgoing part's services are not under test here)."""
    from terpadu.naskah.models import Naskah, PihakNaskah

    jenis, klasifikasi, _instruksi = reference_data()
    pembuat = pembuat or city.pegawai_same
    naskah = Naskah.objects.create(
        arah=Naskah.Arah.KELUAR,
        status=status,
        jenis=jenis,
        klasifikasi=klasifikasi,
        sifat=sifat,
        hal="Nota dinas keluar",
        unit=unit or city.dinas_a,
        pembuat=pembuat,
        penandatangan_jabatan=penandatangan_jabatan,
    )
    PihakNaskah.objects.create(naskah=naskah, peran="pembuat", pegawai=pembuat)
    if penandatangan_jabatan is not None:
        PihakNaskah.objects.create(naskah=naskah, peran="penandatangan", jabatan=penandatangan_jabatan)
    return naskah


def walk_objects(world) -> dict:
    """Objects of the incoming part's routes (keys prefixed masuk_): a letter to the Kepala Dinas Alfa, disposed
    to staff_same (open) and to the vacant Kepala Bidang (unread, for cancelling); a second letter for the API."""
    from terpadu.core.context import acting
    from terpadu.naskah import disposisi

    city = world.city
    _jenis, _klasifikasi, instruksi = reference_data()
    with acting(None, via="command"):
        naskah = incoming(city)
        to_staff, to_kabid = disposisi.dispose(
            city.pimpinan,
            naskah,
            {"kepada": [city.staff_a_jabatan, city.kabid_a], "instruksi": instruksi[:1], "catatan": "Mohon hadir"},
        )
        naskah_api = incoming(city, hal="Surat edaran provinsi")
        (to_kabid_api,) = disposisi.dispose(
            city.pimpinan, naskah_api, {"kepada": [city.kabid_a], "instruksi": instruksi[:1]}
        )
    return {
        "masuk_naskah": naskah,
        "masuk_disposisi": to_staff,
        "masuk_disposisi_batal": to_kabid,
        "masuk_disposisi_batal_api": to_kabid_api,
    }
