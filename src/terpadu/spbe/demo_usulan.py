"""Demo data of the usulan part, written through the services: one aplikasi khusus proposal per state (draft,
submitted, returned, recommended with a cover-letter draft, approved with a pertimbangan, rejected). Idempotent:
a proposal with the same name is not made again."""

from __future__ import annotations

import datetime as dt
import logging

from terpadu.core.context import acting

logger = logging.getLogger("terpadu.demo")
KOMINFO = "401.106"
OPD = ["401.106", "401.102", "401.103", "401.104"]
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
# (name, bidang, stage)
USULAN = [
    ("SIM Perizinan Reklame", "perizinan", "draft"),
    ("Aplikasi Pemantauan Banjir", "kebencanaan", "diajukan"),
    ("E-Posyandu Kota", "kesehatan", "dikembalikan"),
    ("Dasbor Kota Cerdas", "statistik", "direkomendasikan"),
    ("SIM Parkir Elektronik", "perhubungan", "disetujui"),
    ("E-Office Dinas", "kearsipan", "ditolak"),
]


def _items(nama: str, bidang: str) -> dict:
    return {
        "latar_belakang": f"Layanan {bidang} masih manual; {nama} mempercepat layanan dan pelaporan.",
        "fungsi_bisnis": f"Pengelolaan layanan {bidang} dari permohonan sampai pelaporan.",
        "metode_pembangunan": "Swakelola Diskominfo, metode agile dua mingguan.",
        "kebutuhan_data": "Data pemohon (NIK), data layanan, referensi wilayah.",
        "teknologi": "Python/Django, PostgreSQL, integrasi SPLP, hosting pusat data kota.",
        "jadwal": "Analisis Januari–Februari, pengembangan Maret–Agustus, UAT September.",
        "pendanaan": "APBD, sub kegiatan Pengelolaan e-Government.",
    }


def _reviewer():
    from terpadu.accounts.models import User

    for username in ("spbe.kominfo", "operator.kominfo"):
        user = User.objects.filter(username=username, is_active=True, pegawai__isnull=False).first()
        if user is not None:
            return user
    return User.objects.filter(is_active=True, pegawai__unit__kode__startswith=KOMINFO).order_by("pk").first()


def seed(today: dt.date) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from terpadu.organisasi.models import UnitKerja
    from terpadu.perencanaan.models import RenjaSubKegiatan
    from terpadu.spbe import services_usulan as svc
    from terpadu.spbe.models import UsulanAplikasi

    units = [u for u in (UnitKerja.objects.current().filter(kode=k).first() for k in OPD) if u is not None]
    if not units:
        logger.warning("demo_usulan: no OPD of the demo city found; nothing seeded")
        return
    reviewer = _reviewer()
    ticked = {item.kode: True for item in svc.checklist_items()}
    for n, (nama, bidang, stage) in enumerate(USULAN):
        if UsulanAplikasi.objects.filter(nama_aplikasi=nama).exists():
            continue
        unit = units[n % len(units)]
        sub = RenjaSubKegiatan.objects.filter(unit=unit).order_by("-tahun", "pk").first()
        with acting(None, via="command"):
            usulan = svc.buat(None, unit, {"nama_aplikasi": nama, "bidang": bidang, "sub_kegiatan": sub,
                                           **_items(nama, bidang)})  # fmt: skip
            if stage == "draft":
                continue
            shown = svc.tumpang_tindih(usulan)
            why = "Fungsi khusus kota; akan diintegrasikan melalui SPLP." if shown else ""
            usulan = svc.ajukan(None, usulan, konfirmasi=bool(shown), justifikasi=why)
            if stage == "diajukan":
                continue
            if stage == "dikembalikan":
                svc.kembalikan(
                    None, usulan, "Lengkapi rencana integrasi dengan SATUSEHAT.", dict(ticked, integrasi_splp=False)
                )
                continue
            usulan = svc.rekomendasikan(None, usulan, ticked)
        if stage == "direkomendasikan":
            if reviewer is None:
                logger.warning("demo_usulan: no Diskominfo account with a pegawai; no cover letter drafted")
                continue
            from terpadu.arsip.models import Klasifikasi

            klasifikasi = Klasifikasi.objects.filter(versi__aktif=True, aktif=True).order_by("kode").first()
            with acting(reviewer, via="command"):
                try:
                    svc.buat_surat_pengantar(None, usulan, klasifikasi=klasifikasi, drafter=reviewer)
                except Exception as exc:  # noqa: BLE001 — the demo goes on without the letter
                    logger.warning("demo_usulan: cover letter not drafted (%s)", exc)
            continue
        with acting(None, via="command"):
            usulan = svc.tandai_dikirim(None, usulan)
            svc.catat_pertimbangan(
                None, usulan, keputusan=stage, nomor=f"B/{100 + n}/D.KT.02/{today.year}",
                tanggal=today, dokumen=SimpleUploadedFile("pertimbangan.pdf", PDF, content_type="application/pdf"),
            )  # fmt: skip
