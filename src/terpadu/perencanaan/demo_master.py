"""Demo data of the master part, written through the services (see core/management/commands/demo.py).

Two nomenklatur editions (today.year - 1 and today.year): the reference codes plus, for every OPD of the demo
city, a program → kegiatan → 3–4 sub kegiatan of its bidang urusan (data/demo_opd_bidang.csv, marked `demo`).
The newer edition is a copy with the identity mapping, one renumbered sub kegiatan (old → new mapped with a
note) and one sub kegiatan dropped without a mapping (so the worklist has something to show).
"""

from __future__ import annotations

import csv
from functools import cache

from terpadu.perencanaan import services_master as master
from terpadu.perencanaan.models import Keyakinan, Level, Nomenklatur

OPD_CSV = master.DATA / "demo_opd_bidang.csv"
SOURCE = "generated for the demo city (Kota Sukamaju)"
MAX_CODES = 5
RENUMBERED = ("5.02.02.2.01.0004", "5.02.02.2.01.0005", "Penyusunan Laporan Keuangan Pemerintah Daerah Konsolidasian")
DROPPED = "1.06.04.2.01.0003"


@cache
def opd_bidang() -> dict[str, dict]:
    """unit code (401.1xx) -> its row of data/demo_opd_bidang.csv."""
    with open(OPD_CSV, encoding="utf-8", newline="") as handle:
        return {row["unit_kode"]: row for row in csv.DictReader(handle)}


def demo_rows() -> list[dict]:
    rows: dict[str, dict] = {}

    def add(level, kode, nama):
        rows.setdefault(
            kode, {"level": level, "kode": kode, "nama": nama, "keyakinan": Keyakinan.DEMO, "sumber": SOURCE}
        )

    for row in opd_bidang().values():
        add(Level.BIDANG_URUSAN, row["kode_bidang"], row["nama_bidang"])
        add(Level.PROGRAM, row["kode_program"], row["nama_program"])
        add(Level.KEGIATAN, row["kode_kegiatan"], row["nama_kegiatan"])
        for number, name in enumerate(filter(None, row["sub_kegiatan"].split("|")), start=1):
            add(Level.SUB_KEGIATAN, f"{row['kode_kegiatan']}.{number:04d}", name.strip())
    return list(rows.values())


def seed(today) -> None:
    tree = master.NOMENKLATUR
    old_year, year = today.year - 1, today.year
    if master.versi_of(tree, year) is not None:
        return
    master.load_reference(tree, old_year)
    old = master.versi_of(tree, old_year)
    master.load_rows(tree, old, demo_rows())
    new = master.create_versi(
        tree,
        year,
        {"nama": f"Permendagri 90/2019 (referensi + demo) {year}", "dasar_hukum": "Permendagri 90/2019"},
        copy_from=old,
    )
    # A renumbering: the old code continues as a new one.
    old_code = Nomenklatur.objects.get(versi=old, kode=RENUMBERED[0])
    copy = Nomenklatur.objects.get(versi=new, kode=RENUMBERED[0])
    renumbered = master.create_kode(
        tree, new, {"kode": RENUMBERED[1], "nama": RENUMBERED[2], "keyakinan": Keyakinan.DEMO, "sumber": SOURCE}
    )
    master.remove_mapping(tree, tree.pemetaan_model.objects.get(dari=old_code, ke=copy))
    master.retire_kode(tree, copy)
    master.add_mapping(tree, old_code, renumbered, "renumbered and renamed (demo)")
    # A dropped code: no mapping yet, retired in the new edition (the worklist lists it).
    dropped = Nomenklatur.objects.get(versi=new, kode=DROPPED)
    master.remove_mapping(tree, tree.pemetaan_model.objects.get(dari__versi=old, dari__kode=DROPPED, ke=dropped))
    master.retire_kode(tree, dropped)


def codes_for_unit(unit, tahun: int) -> list[Nomenklatur]:
    """Sub kegiatan in use of the `tahun` edition that the demo OPD `unit` plans (its kegiatan's codes,
    at most five); [] for a unit without a row in data/demo_opd_bidang.csv."""
    row = opd_bidang().get((unit.kode or "").split("-")[0])
    if row is None:
        return []
    codes = Nomenklatur.objects.filter(
        versi__tahun=tahun, level=Level.SUB_KEGIATAN, aktif=True, kode__startswith=row["kode_kegiatan"] + "."
    ).order_by("kode")
    return list(codes[:MAX_CODES])
