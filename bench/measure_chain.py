"""Chain measurements that are not request/floor pairs (issue 4), on the bench database with the chain loaded
(bench/generate_chain.py):

    python -m bench.measure_chain [--only import dashboard] [--lines 100000] [--rounds 30]

- import: 100,000 rincian belanja lines as a SIPD-shaped CSV through the RKA importer
  (terpadu.anggaran.importing_rka: read_rows, then import_rincian) into a fresh budget round of the current
  chain year (no RKA yet; a ceiling per OPD), spread over its 3,000 sub kegiatan in the 40 OPD. Reported
  separately: parsing the CSV, the dry run (validation, nothing written) and the apply (validation again,
  bulk inserts, RKA totals, one audit event per RKA) in rows/s. Everything — the round, its ceilings, RKA
  and lines, the audit events — is written inside one transaction that is rolled back at the end.
- dashboard: `terpadu.monev.evaluasi.dashboard_data(user, tahun, level, parent, bulan)` called directly as
  the Sekda at the city, OPD and program levels (ms per call, p50/p95 and query count), next to the same
  figures from the raw SQL of the floor (bench/floor_views_chain.monev_rows) in the same process.

Results: printed, and bench/results/chain-latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from decimal import Decimal
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
LINES = 100_000
ROUNDS = 30
URUTAN = 99  # the throw-away round's sequence number (rolled back; never collides with a real round)


class _Rollback(Exception):
    pass


def _percentile(values: list[float], q: float) -> float:
    from bench.run import percentile

    return percentile(values, q)


def import_csv(lines: int, tahun: int) -> tuple[bytes, dict[str, Decimal]]:
    """A SIPD-shaped CSV of `lines` rincian over every sub kegiatan of `tahun`, and the amount per OPD."""
    from terpadu.anggaran import importing_rka
    from terpadu.anggaran.models import KodeRekening
    from terpadu.core import tabular
    from terpadu.perencanaan.models import RenjaSubKegiatan

    subs = list(
        RenjaSubKegiatan.objects.filter(tahun=tahun)
        .order_by("unit__kode", "sub_kegiatan__kode")
        .values_list("unit__kode", "sub_kegiatan__kode")
    )
    rekening = list(
        KodeRekening.objects.filter(versi__tahun=tahun, level="sub_rincian_objek", aktif=True)
        .order_by("kode")
        .values_list("kode", flat=True)
    )
    if not subs or not rekening:
        raise SystemExit(f"no sub kegiatan or kode rekening in {tahun}: run python -m bench.generate_chain first")
    rows, per_opd = [], {}
    for i in range(lines):
        unit, sub = subs[i % len(subs)]
        volume, harga = 1 + i % 37, Decimal(50_000 + (i * 7919) % 4_950_000).quantize(Decimal(1000))
        per_opd[unit] = per_opd.get(unit, Decimal(0)) + volume * harga
        rows.append(
            [tahun, URUTAN, unit, sub, rekening[(i * 7) % len(rekening)], f"Belanja barang impor {i}", "umum",
             volume, "paket", harga, "", "Harga pasar setempat (survei)", "PAD"]
        )  # fmt: skip
    return tabular.write_csv(importing_rka.COLUMNS, rows), per_opd


def measure_import(lines: int, log=print) -> dict:
    from django.db import transaction

    from bench.generate_chain import YEARS
    from terpadu.anggaran import importing_rka
    from terpadu.anggaran.models import Pagu, RincianBelanja, TahapAnggaran
    from terpadu.core.context import acting
    from terpadu.organisasi.models import UnitKerja

    tahun = YEARS[-1]
    data, per_opd = import_csv(lines, tahun)
    log(f"import: {lines:,} lines, {len(data) / 1e6:.1f} MB CSV, {len(per_opd)} OPD, year {tahun}")
    result: dict = {"lines": lines, "csv_bytes": len(data), "opd": len(per_opd)}
    before = RincianBelanja.objects.count()
    try:
        with acting(None, via="command"), transaction.atomic():
            tahap = TahapAnggaran.objects.create(
                tahun=tahun, jenis=TahapAnggaran.Jenis.PERGESERAN, urutan=URUTAN, nama="Bench import (rolled back)"
            )
            units = {u.kode: u for u in UnitKerja.objects.current().filter(kode__in=list(per_opd))}
            ceiling = {k: (v * Decimal("1.05")).quantize(Decimal(1)) for k, v in per_opd.items()}
            Pagu.objects.bulk_create([Pagu(tahap=tahap, unit=units[k], nilai=v) for k, v in ceiling.items()])
            started = time.perf_counter()
            rows = importing_rka.read_rows("csv", data)
            parse = time.perf_counter() - started
            started = time.perf_counter()
            dry = importing_rka.import_rincian(tahap, rows, dry_run=True)
            dry_s = time.perf_counter() - started
            if not dry.ok:
                raise SystemExit(f"the dry run found problems: {dry.as_dict()['errors'][:5]}")
            rows = importing_rka.read_rows("csv", data)
            started = time.perf_counter()
            applied = importing_rka.import_rincian(tahap, rows, dry_run=False)
            apply_s = time.perf_counter() - started
            if not applied.ok or applied.created != lines:
                raise SystemExit(f"the import did not write {lines} lines: {applied.as_dict()}")
            written = RincianBelanja.objects.filter(rka__tahap=tahap).count()
            result.update(
                parse_s=round(parse, 2),
                parse_rows_per_s=round(lines / parse),
                dry_run_s=round(dry_s, 2),
                dry_run_rows_per_s=round(lines / dry_s),
                apply_s=round(apply_s, 2),
                apply_rows_per_s=round(lines / apply_s),
                rka_created=tahap.rka.count(),
                written=written,
            )
            raise _Rollback
    except _Rollback:
        pass
    after = RincianBelanja.objects.count()
    if after != before:
        raise SystemExit(f"rincian count changed from {before} to {after}: the rollback did not hold")
    log(
        f"  parse {result['parse_s']} s ({result['parse_rows_per_s']:,} rows/s); dry run {result['dry_run_s']} s "
        f"({result['dry_run_rows_per_s']:,} rows/s); apply {result['apply_s']} s "
        f"({result['apply_rows_per_s']:,} rows/s, {result['rka_created']:,} RKA); rolled back"
    )
    return result


def measure_dashboard(rounds: int, log=print) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import floor_views_chain as floor
    from bench import scenarios_chain as sc
    from terpadu.accounts.models import User
    from terpadu.monev import evaluasi

    user = User.objects.get(username=sc.LEADER)
    cases = [
        ("kota", None, None, None),
        ("opd", str(sc.UNIT), sc.UNIT, None),
        ("program", f"{sc.UNIT}:{sc.PROGRAM}", sc.UNIT, sc.PROGRAM),
    ]
    out = []
    for level, parent, unit, kode in cases:
        evaluasi.dashboard_data(user, sc.TAHUN, level, parent, sc.BULAN)  # warm
        floor.monev_rows(sc.TAHUN, sc.BULAN, level, unit, kode)
        real, raw = [], []
        for i in range(rounds):  # alternate, so that other load hits both alike
            for which in (0, 1) if i % 2 else (1, 0):
                started = time.perf_counter()
                if which == 0:
                    with CaptureQueriesContext(connection) as captured:
                        data = evaluasi.dashboard_data(user, sc.TAHUN, level, parent, sc.BULAN)
                    real.append((time.perf_counter() - started) * 1000)
                else:
                    figures = floor.monev_rows(sc.TAHUN, sc.BULAN, level, unit, kode)
                    raw.append((time.perf_counter() - started) * 1000)
        if len(data["rows"]) != len(figures["rows"]):
            log(f"  note: {level}: dashboard_data has {len(data['rows'])} rows, the floor {len(figures['rows'])}")
        row = {
            "level": level,
            "rows": len(data["rows"]),
            "queries": len(captured),
            "p50_ms": round(_percentile(real, 0.5), 1),
            "p95_ms": round(_percentile(real, 0.95), 1),
            "sql_floor_p50_ms": round(_percentile(raw, 0.5), 1),
            "sql_floor_p95_ms": round(_percentile(raw, 0.95), 1),
        }
        row["ratio_p50"] = round(row["p50_ms"] / row["sql_floor_p50_ms"], 2)
        out.append(row)
        log(
            f"dashboard_data {level:<8} {row['rows']:>3} rows {row['queries']:>2} queries  "
            f"p50 {row['p50_ms']:>7.1f} ms  p95 {row['p95_ms']:>7.1f} ms   raw SQL floor p50 "
            f"{row['sql_floor_p50_ms']:>7.1f} ms  p95 {row['sql_floor_p95_ms']:>7.1f} ms  ({row['ratio_p50']:.2f}×)"
        )
    return out


def main(argv: list[str] | None = None) -> None:
    from bench import generate

    parser = argparse.ArgumentParser(prog="python -m bench.measure_chain", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=("import", "dashboard"), help="run only these measurements")
    parser.add_argument("--lines", type=int, default=LINES, help="rincian lines to import (default 100,000)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="dashboard_data calls per level")
    parser.add_argument("--database-url", help=f"default: {generate.DEFAULT_SERVER}/{generate.DB_PREFIX}")
    args = parser.parse_args(argv)
    generate.prepare(args.database_url or generate.default_database_url(1), 1)
    from bench import generate_chain

    generate_chain.prepare(1)
    only = set(args.only or ("import", "dashboard"))
    results: dict = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    if "dashboard" in only:
        results["dashboard"] = measure_dashboard(args.rounds)
    if "import" in only:
        results["import"] = measure_import(args.lines)
    results["load_average"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "chain-latest.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"wrote bench/results/chain-latest.json (load average {', '.join(f'{x:.1f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
