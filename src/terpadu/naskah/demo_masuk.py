"""Demo data of the incoming part: a few letters registered at Diskominfo and a disposition chain
(Kepala Dinas → Kepala Bidang Aplikasi Informatika → a pelaksana), built through the services.

Idempotent: a letter already in the agenda book (same sender and number) is not registered again, and
a disposition already given is not given again.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.core.files.uploadedfile import SimpleUploadedFile

from terpadu.core.context import acting

logger = logging.getLogger("terpadu.demo")

UNIT = "401.106"  # Dinas Komunikasi dan Informatika (see demo/city.py)
BIDANG = "401.106.2"  # Bidang Aplikasi Informatika: its head and staff have demo accounts

LETTERS = [
    # (asal_instansi, asal_nama, nomor, hal, urgensi, sifat, tembusan to the secretary, days ago)
    (
        "Kementerian Komunikasi dan Digital",
        "Direktur Jenderal Aplikasi Pemerintahan Digital",
        "B-1234/DJAPD/TI.01.02/11/2026",
        "Undangan rapat koordinasi integrasi layanan SPBE",
        "segera",
        "biasa",
        True,
        3,
    ),
    (
        "Pemerintah Provinsi Jawa Timur",
        "Kepala Dinas Kominfo Provinsi",
        "000.1.5/4521/114.3/2026",
        "Permintaan data statistik sektoral triwulan III",
        "biasa",
        "biasa",
        False,
        2,
    ),
    (
        "Badan Siber dan Sandi Negara",
        "Deputi Bidang Keamanan Siber Pemerintahan",
        "R-77/D.3/PR.02.01/11/2026",
        "Hasil penilaian kerentanan sistem elektronik",
        "amat_segera",
        "rahasia",
        False,
        1,
    ),
]


def _pdf(title: str, body: str) -> bytes:
    """A one-page letter as PDF (WeasyPrint when available, else a blank page with the title in its metadata)."""
    try:
        from weasyprint import HTML

        html = f"<h2 style='font-family:serif'>{title}</h2><p style='font-family:serif'>{body}</p>"
        return HTML(string=html).write_pdf()
    except Exception:  # the demo must not depend on the renderer being installed with all its fonts
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_metadata({"/Title": title})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def _reference():
    from terpadu.arsip.models import Klasifikasi
    from terpadu.naskah.models import InstruksiDisposisi, JenisNaskah

    jenis = JenisNaskah.objects.filter(aktif=True).order_by("urutan").first()
    klasifikasi = Klasifikasi.objects.filter(versi__aktif=True, aktif=True).order_by("kode").first()
    return jenis, klasifikasi, list(InstruksiDisposisi.objects.filter(aktif=True)[:2])


def _user_of(pegawai):
    from terpadu.accounts.models import User

    return User.objects.filter(pegawai=pegawai, is_active=True).first() if pegawai else None


def seed(today: dt.date) -> None:
    from terpadu.naskah import masuk
    from terpadu.organisasi import services as org
    from terpadu.organisasi.models import Pegawai, UnitKerja

    unit = UnitKerja.objects.current().filter(kode=UNIT).first()
    jenis, klasifikasi, instruksi = _reference()
    if unit is None or jenis is None or klasifikasi is None:
        logger.warning("demo_masuk: no %s unit, kind of naskah or classification; nothing seeded", UNIT)
        return
    registrar = Pegawai.objects.filter(unit__path__startswith=unit.path, aktif=True, jabatan__is_kepala_unit=False)
    registrar = registrar.order_by("pk").first()
    head = org.head_of(unit)
    sekretariat = org.head_of(UnitKerja.objects.current().filter(kode=f"{UNIT}.1").first() or unit)
    letters = []
    with acting(None, via="command"):
        for asal, nama, nomor, hal, urgensi, sifat, copy_secretary, days in LETTERS:
            existing = masuk.duplicates_of(unit, asal, nomor).first()
            if existing is not None:
                letters.append(existing)
                continue
            data = {
                "unit": unit,
                "nomor": nomor,
                "tanggal": today - dt.timedelta(days=days + 2),
                "asal_instansi": asal,
                "asal_nama": nama,
                "hal": hal,
                "ringkasan": "",
                "jenis": jenis,
                "klasifikasi": klasifikasi,
                "sifat": sifat,
                "urgensi": urgensi,
                "tujuan": [head] if head else [],
                "tembusan": [sekretariat] if copy_secretary and sekretariat and sekretariat != head else [],
            }
            scan = SimpleUploadedFile(f"{nomor.replace('/', '-')}.pdf", _pdf(hal, f"{asal} — {nomor}"))
            letters.append(masuk.record_incoming(registrar or head_pegawai(head), data, scan))
    if letters and instruksi:
        _chain(letters[0], head, today, instruksi)


def head_pegawai(jabatan):
    from terpadu.organisasi import services as org

    return org.holder_of(jabatan)[0] if jabatan else None


def _chain(naskah, head, today: dt.date, instruksi) -> None:
    """Kepala Dinas → Kepala Bidang Aplikasi Informatika → a pelaksana (each through the services)."""
    from terpadu.naskah import disposisi
    from terpadu.naskah.models import Disposisi
    from terpadu.organisasi import services as org
    from terpadu.organisasi.models import UnitKerja

    bidang = UnitKerja.objects.current().filter(kode=BIDANG).first()
    kabid = org.head_of(bidang) if bidang else None
    kadis_user = _user_of(head_pegawai(head))
    kabid_user = _user_of(head_pegawai(kabid))
    if not (kadis_user and kabid):
        return
    with acting(kadis_user, via="command"):
        first = Disposisi.objects.filter(naskah=naskah, dari_jabatan=head, kepada_jabatan=kabid).first()
        if first is None:
            (first,) = disposisi.dispose(
                kadis_user,
                naskah,
                {
                    "kepada": [kabid],
                    "instruksi": instruksi[:1],
                    "catatan": "Mohon dihadiri dan siapkan bahan paparan integrasi layanan.",
                    "batas_waktu": today + dt.timedelta(days=3),
                },
            )
    staff = [j for j in disposisi.subordinates_of(kabid) if head_pegawai(j) is not None] if kabid_user else []
    if not staff or Disposisi.objects.filter(naskah=naskah, induk=first).exists():
        return
    with acting(kabid_user, via="command"):
        disposisi.read(kabid_user, first)
        choice = next(c for c in disposisi.giver_choices(kabid_user, naskah) if c.induk == first)
        disposisi.dispose(
            kabid_user,
            naskah,
            {
                "giver": choice.key,
                "kepada": staff[:1],
                "instruksi": instruksi[1:2] or instruksi[:1],
                "catatan": "Siapkan bahan paparan; koordinasikan dengan tim aplikasi.",
                "batas_waktu": today + dt.timedelta(days=2),
            },
        )
