"""Shared helpers of the belanja and usulan tests: personas with spbe roles, architecture fixtures, a proposal
with the seven items, and what the cover letter needs (kinds of naskah, classification, the Wali Kota)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

SEVEN = {
    "latar_belakang": "Layanan perizinan reklame masih manual.",
    "fungsi_bisnis": "Permohonan, verifikasi dan penerbitan izin reklame.",
    "metode_pembangunan": "Swakelola oleh Diskominfo dengan metode agile.",
    "kebutuhan_data": "Data pemohon, titik reklame, data pajak.",
    "teknologi": "Python/Django, PostgreSQL, hosting di pusat data kota.",
    "jadwal": "Januari–Juni 2026.",
    "pendanaan": "APBD 2026, sub kegiatan 2.16.03.2.02.0023.",
}


def give_role(user, code: str, unit=None):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code=code), unit)
    authz.forget(user)
    return user


def personas(city):
    """kominfo: admin-spbe (whole pemda); opd_a: operator-opd of Dinas Alfa (staff_same); opd_b: operator-opd of
    Dinas Beta (staff_other); viewer: pimpinan (spbe.view over Dinas Alfa through the automatic role)."""
    from conftest import make_pegawai

    from terpadu.accounts import services as access
    from terpadu.core.context import acting
    from terpadu.organisasi import services as org

    with acting(None, via="command"):
        pegawai = make_pegawai(org, "Analis Kominfo", city.staff_b_jabatan)
        kominfo = access.create_user("kominfo.spbe", "Rahasia-Uji-12345", pegawai=pegawai)
    give_role(kominfo, "admin-spbe")
    give_role(city.staff_same, "operator-opd", city.dinas_a)
    give_role(city.staff_other, "operator-opd", city.dinas_b)
    return SimpleNamespace(kominfo=kominfo, opd_a=city.staff_same, opd_b=city.staff_other, viewer=city.pimpinan)


def architecture(city, tahun: int = 2026):
    """Two elements (aplikasi, infrastruktur), one retired element, two Peta Rencana items, an application."""
    from terpadu.spbe.models import Aplikasi, ElemenArsitektur, PetaRencanaItem

    app_el = ElemenArsitektur.objects.create(
        domain="aplikasi", kode="AP.01", nama="Sistem perizinan", unit=city.dinas_a
    )
    infra = ElemenArsitektur.objects.create(
        domain="infrastruktur", kode="IN.01", nama="Jaringan intra", unit=city.dinas_a
    )
    retired = ElemenArsitektur.objects.create(
        domain="infrastruktur", kode="IN.99", nama="Server lama", unit=city.dinas_a, status="dihentikan"
    )
    rencana = PetaRencanaItem.objects.create(
        muatan="aplikasi", nama="Pembangunan sistem perizinan", tahun=tahun - 1, tahun_selesai=tahun + 1,
        unit=city.dinas_a, target_keluaran="1 aplikasi",
    )  # fmt: skip
    rencana_infra = PetaRencanaItem.objects.create(
        muatan="infrastruktur", nama="Penguatan jaringan", tahun=tahun, unit=city.dinas_a, target_keluaran="4 switch"
    )
    aplikasi = Aplikasi.objects.create(nama="SIPR", jenis="khusus", unit=city.dinas_a, fungsi_bisnis="Perizinan",
                                       status="operasi", tanggal_operasi=dt.date(2024, 1, 1))  # fmt: skip
    return SimpleNamespace(
        app_el=app_el, infra=infra, retired=retired, rencana=rencana, rencana_infra=rencana_infra, aplikasi=aplikasi
    )


def naskah_reference(city):
    """surat_dinas, a current classification code and the Wali Kota's position at the top unit."""
    from terpadu.arsip.models import Klasifikasi, KlasifikasiVersi
    from terpadu.core.context import acting
    from terpadu.naskah.models import JenisNaskah
    from terpadu.organisasi import services as org

    versi = KlasifikasiVersi.objects.create(nama="Uji", berlaku_mulai=dt.date(2023, 1, 1), aktif=True)
    klas = Klasifikasi.objects.create(versi=versi, kode="500.13", nama="Komunikasi dan Informatika")
    jenis = JenisNaskah.objects.get_or_create(kode="surat_dinas", defaults={"nama": "Surat Dinas", "keluar": True})[0]
    with acting(None, via="command"):
        wali = org.create_jabatan(
            {"unit": city.root, "kode": "WK", "nama": "Wali Kota Uji", "jenis": "kepala_daerah", "is_kepala_unit": True}
        )
    return SimpleNamespace(klasifikasi=klas, jenis=jenis, wali=wali)


def a_pdf(name: str = "pertimbangan.pdf") -> SimpleUploadedFile:
    data = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
        b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
    )
    return SimpleUploadedFile(name, data, content_type="application/pdf")
