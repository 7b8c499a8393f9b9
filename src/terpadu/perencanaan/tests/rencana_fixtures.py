"""Helpers of the rencana tests: two small nomenklatur editions (2025, 2026) with a mapping, personas with the
planning roles, and a drafted plan built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CODES_2025 = [
    ("urusan", "2", "Urusan Wajib Non Pelayanan Dasar", None, True),
    ("bidang_urusan", "2.16", "Komunikasi dan Informatika", "2", True),
    ("program", "2.16.03", "PROGRAM PENGELOLAAN APLIKASI INFORMATIKA", "2.16", True),
    ("kegiatan", "2.16.03.2.02", "Pengelolaan e-Government", "2.16.03", True),
    ("sub_kegiatan", "2.16.03.2.02.0021", "Penyelenggaraan Sistem Penghubung Layanan", "2.16.03.2.02", True),
    ("sub_kegiatan", "2.16.03.2.02.0023", "Koordinasi Kota Cerdas", "2.16.03.2.02", True),
    ("sub_kegiatan", "2.16.03.2.02.0030", "Sub kegiatan yang dihapus pada 2026", "2.16.03.2.02", True),
    ("sub_kegiatan", "2.16.03.2.02.0099", "Kode pensiun", "2.16.03.2.02", False),
    ("program", "2.16.02", "PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK", "2.16", True),
    ("kegiatan", "2.16.02.2.01", "Pengelolaan Informasi dan Komunikasi Publik", "2.16.02", True),
    ("sub_kegiatan", "2.16.02.2.01.0014", "Relasi Media", "2.16.02.2.01", True),
]
# 2026: 0021 renumbered to 0025, 0030 retired (no mapping), the rest carried unchanged.
RENUMBER = {"2.16.03.2.02.0021": "2.16.03.2.02.0025"}
RETIRED_2026 = {"2.16.03.2.02.0030"}


def make_editions():
    from terpadu.perencanaan.models import Nomenklatur, PemetaanNomenklatur, VersiNomenklatur

    old = VersiNomenklatur.objects.create(tahun=2025, nama="Uji 2025")
    new = VersiNomenklatur.objects.create(tahun=2026, nama="Uji 2026")
    codes = {2025: {}, 2026: {}}
    for level, kode, nama, parent, aktif in CODES_2025:
        codes[2025][kode] = Nomenklatur.objects.create(
            versi=old, level=level, kode=kode, nama=nama, parent=codes[2025].get(parent), aktif=aktif,
            keyakinan="secondary",
        )  # fmt: skip
        new_kode = RENUMBER.get(kode, kode)
        codes[2026][new_kode] = Nomenklatur.objects.create(
            versi=new, level=level, kode=new_kode, nama=nama, parent=codes[2026].get(parent), aktif=aktif
            and kode not in RETIRED_2026, keyakinan="secondary",
        )  # fmt: skip
        if aktif and kode not in RETIRED_2026:
            PemetaanNomenklatur.objects.create(dari=codes[2025][kode], ke=codes[2026][new_kode])
    return codes


def give_role(user, code: str, unit=None):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code=code), unit)
    authz.forget(user)
    return user


@dataclass
class Plan:
    codes: dict
    rpjmd: object
    misi: object
    tujuan: object
    sasaran: object
    indikator: object
    renstra: object
    tujuan_pd: object
    sasaran_pd: object
    program: object
    kegiatan: object
    items: dict  # 2025 sub kegiatan code -> RenstraItem


def build_plan(city) -> Plan:
    """An RPJMD 2025–2029 (draft) with one sasaran and indicator, a Renstra of Dinas Alfa with program →
    kegiatan → three sub kegiatan (2025 edition) with pagu and indicators (draft)."""
    from terpadu.perencanaan import services_rencana as services

    codes = make_editions()
    rpjmd = services.create_rpjmd(
        {"nama": "RPJMD Uji", "tahun_awal": 2025, "tahun_akhir": 2029, "visi": "Kota uji yang cerdas"}
    )
    misi = services.create_misi(rpjmd, {"nomor": 1, "uraian": "Pemerintahan digital"})
    tujuan = services.create_tujuan(misi, {"kode": "T1", "uraian": "Pemerintahan efektif"})
    sasaran = services.create_sasaran(tujuan, {"kode": "S1.1", "uraian": "Meningkatnya kualitas SPBE"})
    indikator = services.add_indikator(
        sasaran,
        {"uraian": "Indeks SPBE", "satuan": "indeks", "polaritas": "naik", "baseline": "2.5", "tahun_baseline": 2024},
        {2025: "2.7", 2026: "3.0"},
    )
    renstra = services.create_renstra(rpjmd, city.dinas_a)
    tujuan_pd = services.create_tujuan_pd(renstra, {"kode": "TPD1", "uraian": "SPBE terpadu", "tujuan_rpjmd": tujuan})
    sasaran_pd = services.create_sasaran_pd(
        tujuan_pd, {"kode": "SPD1", "uraian": "Layanan terintegrasi", "sasaran_rpjmd": sasaran}
    )
    program = services.add_item(renstra, {"kode": "2.16.03", "sasaran_pd": sasaran_pd})
    kegiatan = services.add_item(renstra, {"kode": "2.16.03.2.02", "parent": program})
    items = {}
    for n, kode in enumerate(("2.16.03.2.02.0021", "2.16.03.2.02.0023", "2.16.03.2.02.0030")):
        items[kode] = services.add_item(
            renstra,
            {"kode": kode, "parent": kegiatan,
             "pagu": {2025: Decimal("100000000") * (n + 1), 2026: Decimal("120000000") * (n + 1),
                      2027: Decimal("130000000") * (n + 1)}},
        )  # fmt: skip
        services.add_indikator(
            items[kode],
            {"uraian": f"Keluaran {kode}", "satuan": "dokumen", "polaritas": "naik"},
            {2025: 1, 2026: n + 2, 2027: n + 3},
        )
    return Plan(codes, rpjmd, misi, tujuan, sasaran, indikator, renstra, tujuan_pd, sasaran_pd, program, kegiatan,
                items)  # fmt: skip


def adopt_all(plan: Plan) -> None:
    from terpadu.perencanaan import services_rencana as services

    services.adopt_rpjmd(plan.rpjmd)
    services.adopt_renstra(plan.renstra)


def english_plan(city) -> Plan:
    """build_plan with the personas reading English (the view tests read the source texts)."""
    from terpadu.accounts.models import User

    User.objects.update(language="en")
    return build_plan(city)
