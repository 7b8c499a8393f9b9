"""Fixtures of the arsitektur tests (imported by test_arsitektur_*.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class Arsi:
    city: object
    versi: object
    kode: dict  # city reference codes by model: RAL, RAB, RAD, RAA, RAI, RAK


@pytest.fixture
def personas(city):
    """operator-opd of Dinas Alfa (staff_same: spbe.view in its unit), operator-opd of Dinas Beta (staff_other),
    admin-spbe (admin: whole pemda, manage + configure). pimpinan (head of Dinas Alfa) has spbe.view there."""
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(city.staff_same, Role.objects.get(code="operator-opd"), city.dinas_a)
        access.assign_role(city.staff_other, Role.objects.get(code="operator-opd"), city.dinas_b)
        access.assign_role(city.admin, Role.objects.get(code="admin-spbe"))
    return city


@pytest.fixture
def arsi(personas) -> Arsi:
    from terpadu.core.context import acting
    from terpadu.spbe import services_arsitektur as sa

    with acting(None, via="command"):
        versi = sa.load_reference(2024)["versi"]
        kode = {
            "RAL": sa.tambah_kode_kota("RAL.02.01", "Layanan administrasi kependudukan"),
            "RAB": sa.tambah_kode_kota("RAB.03.07", "Pendaftaran penduduk"),
            "RAD": sa.tambah_kode_kota("RAD.10.03", "Data kewilayahan kota"),
            "RAA": sa.tambah_kode_kota("RAA.02.02", "Aplikasi khusus fungsi tertentu kota"),
            "RAI": sa.tambah_kode_kota("RAI.01.02", "Pusat data kota"),
            "RAK": sa.tambah_kode_kota("RAK.02.02", "Penerapan keamanan aplikasi kota"),
        }
    return Arsi(personas, versi, kode)


META = {
    "layanan": {"tujuan": "Melayani warga", "fungsi": "Pendaftaran"},
    "proses_bisnis": {},
    "data": {"sifat_data": "terbuka", "produsen_data": "Dinas Alfa"},
    "aplikasi": {"fungsi": "Pengolahan"},
    "infrastruktur": {"jenis_objek": "server"},
    "keamanan": {"jenis_objek": "audit_keamanan", "tanggal_audit": "2025-03-01"},
}
MODEL = {"layanan": "RAL", "proses_bisnis": "RAB", "data": "RAD", "aplikasi": "RAA", "infrastruktur": "RAI",
         "keamanan": "RAK"}  # fmt: skip


def make_elemen(arsi: Arsi, domain: str, kode: str, unit=None, **extra):
    from terpadu.core.context import acting
    from terpadu.spbe import services_arsitektur as sa

    data = {"domain": domain, "kode": kode, "nama": f"Elemen {kode}", "uraian": f"Uraian {kode}",
            "unit": unit if unit is not None else arsi.city.dinas_a, "referensi": arsi.kode[MODEL[domain]],
            "metadata": dict(META[domain])}  # fmt: skip
    data.update(extra)
    with acting(None, via="command"):
        return sa.simpan_elemen(data)


def chain(arsi: Arsi, prefix: str = "X", unit=None) -> dict:
    """layanan → proses bisnis → data → aplikasi → infrastruktur, with a keamanan control on the application."""
    from terpadu.core.context import acting
    from terpadu.spbe import services_arsitektur as sa

    elements = {d: make_elemen(arsi, d, f"{prefix}-{d}", unit) for d in MODEL}
    with acting(None, via="command"):
        for dari, ke in (("layanan", "proses_bisnis"), ("proses_bisnis", "data"), ("data", "aplikasi"),
                         ("aplikasi", "infrastruktur"), ("keamanan", "aplikasi")):  # fmt: skip
            sa.tambah_relasi(elements[dari], elements[ke])
    return elements
