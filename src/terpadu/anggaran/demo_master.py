"""Demo data of the master part, written through the services (see core/management/commands/demo.py).

Kode rekening for today.year - 1 and today.year (reference + data/demo_rekening.csv marked `demo`; the newer
edition a copy with the identity mapping) and the standar harga of today.year (data/demo_standar_harga.csv).
"""

from __future__ import annotations

import csv

from terpadu.anggaran import services_master as master
from terpadu.perencanaan import services_master as engine


def seed(today) -> None:
    tree = master.REKENING
    old_year, year = today.year - 1, today.year
    if engine.versi_of(tree, year) is None:
        engine.load_reference(tree, old_year)
        old = engine.versi_of(tree, old_year)
        rows, _skipped = engine.read_reference(tree, master.DATA / "demo_rekening.csv")
        engine.load_rows(tree, old, rows)
        engine.create_versi(
            tree,
            year,
            {"nama": f"Kode rekening (referensi + demo) {year}", "dasar_hukum": "Permendagri 90/2019"},
            copy_from=old,
        )
    with open(master.DATA / "demo_standar_harga.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            master.save_standar_harga(year, {**row, "rekening": row.pop("kode_rekening")})
