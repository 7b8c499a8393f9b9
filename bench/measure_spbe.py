"""SPBE measurements that are not request/floor pairs (issue 5), on the bench database with the SPBE rows loaded
(bench/generate_spbe.py):

    python -m bench.measure_spbe [--only index whatif flags katalog] [--rounds 200] [--skip-prepare]

- index: the index of a fully scored self-assessment under each framework — SPBE 2020 (47 indicators, levels,
  4 domains / 8 aspects) and PEMDI 2026 (20 indicators, decimal scores, 7 aspects): `services_evaluasi.hitung`
  (framework from the database, score rows, index, predikat, aspect and domain breakdowns), and the engine alone
  (`engine_evaluasi.hasil` + `aspect_indices` + `domain_indices` on the loaded model); median and p95 ms.
- whatif: every indicator raised one level (capped at the maximum) at once, `services_evaluasi.what_if`, and the
  engine alone; the sweep "each indicator raised one level on its own" (47 / 20 what-ifs on one loaded model);
  `services_evaluasi.gains` (the list of greatest index gain per level step).
- flags: the catalogue's flag rules (`services_katalog.flags_by_pk`) for one list page of 50 and for all
  2,000 applications.
- katalog: the catalogue list view (`spbe:aplikasi_list`) in-process through the Django test client as the
  pengelola SPBE (ms, queries), next to the raw SQL of its floor (bench/floor_views_spbe.katalog_rows).

Nothing is written. Results: printed, and bench/results/spbe-latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROUNDS = 200
FRAMEWORKS = ("SPBE_2020", "PEMDI_2026")


def _percentile(values: list[float], q: float) -> float:
    from bench.run import percentile

    return percentile(values, q)


def _timed(fn, rounds: int) -> dict:
    """ms per call: median, p95 (after 3 unmeasured calls), and the queries of one call."""
    from django.db import connection

    for _ in range(3):
        fn()
    executed = []

    def count(execute, sql, params, many, context):  # robust across requests (the test client resets the log)
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(_percentile(times, 0.5), 3),
        "p95_ms": round(_percentile(times, 0.95), 3),
        "queries": len(executed),
        "rounds": rounds,
    }


def _penilaian(kode: str):
    """The latest fully scored self-assessment under the framework (bench/generate_spbe.py made it)."""
    from terpadu.spbe.models import Penilaian

    penilaian = (
        Penilaian.objects.filter(kerangka__kode=kode, jenis=Penilaian.Jenis.MANDIRI)
        .select_related("kerangka")
        .order_by("-tahun")
        .first()
    )
    if penilaian is None:
        raise SystemExit(f"no {kode} self-assessment in the bench database: run python -m bench.generate_spbe")
    return penilaian


def _log_row(label: str, row: dict, log) -> None:
    log(f"  {label:<52} p50 {row['p50_ms']:>9.3f} ms  p95 {row['p95_ms']:>9.3f} ms  {row['queries']:>3} queries")


def measure_index(rounds: int, log=print) -> list[dict]:
    from terpadu.spbe import engine_evaluasi as engine
    from terpadu.spbe import services_evaluasi as sv
    from terpadu.spbe.models import Penilaian

    out = []
    for kode in FRAMEWORKS:
        penilaian = _penilaian(kode)
        model = sv.model_of(penilaian.kerangka)
        scores, info = sv.skor_untuk_hitung(model, penilaian)
        result = sv.hitung(penilaian)
        log(
            f"{kode} {penilaian.tahun}: {len(model.indikator)} indicators, index {result['tampil']} "
            f"({result['predikat']}), {len(result['aspek'])} aspects, {len(result['domain'])} domains"
            + (f", missing {info['missing']}" if info["missing"] else "")
        )

        def service(pk=penilaian.pk):
            sv.hitung(Penilaian.objects.select_related("kerangka").get(pk=pk))

        def engine_only(model=model, scores=scores):
            engine.hasil(model.indikator, scores, model.pita)
            engine.aspect_indices(model.indikator, scores)
            engine.domain_indices(model.indikator, scores)

        for label, fn in (("hitung (service, from the database)", service), ("engine only", engine_only)):
            row = {"framework": kode, "tahun": penilaian.tahun, "indicators": len(model.indikator),
                   "what": f"index: {label}", **_timed(fn, rounds)}  # fmt: skip
            row["indeks"] = str(result["indeks"])
            row["predikat"] = result["predikat"]
            _log_row(row["what"], row, log)
            out.append(row)
    return out


def measure_whatif(rounds: int, log=print) -> list[dict]:
    from terpadu.spbe import engine_evaluasi as engine
    from terpadu.spbe import services_evaluasi as sv
    from terpadu.spbe.models import Penilaian

    out = []
    for kode in FRAMEWORKS:
        penilaian = _penilaian(kode)
        model = sv.model_of(penilaian.kerangka)
        scores, _info = sv.skor_untuk_hitung(model, penilaian)
        top = model.skala.nilai_maks
        raised = {n: min(s + 1, top) for n, s in scores.items()}
        check = sv.what_if(penilaian, raised)
        log(
            f"{kode} {penilaian.tahun}: every indicator one level up: {engine.tampil(check['sebelum'].indeks)} "
            f"({check['sebelum'].predikat}) → {engine.tampil(check['sesudah'].indeks)} ({check['sesudah'].predikat})"
        )

        def service(pk=penilaian.pk, raised=raised):
            sv.what_if(Penilaian.objects.select_related("kerangka").get(pk=pk), raised)

        def engine_all(model=model, scores=scores, raised=raised):
            engine.what_if(model.indikator, scores, raised, model.skala, model.pita)

        def engine_sweep(model=model, scores=scores, raised=raised):
            for nomor, target in raised.items():
                engine.what_if(model.indikator, scores, {nomor: target}, model.skala, model.pita)

        def gains(pk=penilaian.pk):
            sv.gains(Penilaian.objects.select_related("kerangka").get(pk=pk))

        for label, fn in (
            ("what-if all raised (service, from the database)", service),
            ("what-if all raised (engine only)", engine_all),
            (f"what-if each of {len(raised)} alone (engine, sweep)", engine_sweep),
            ("gains per level step (service)", gains),
        ):
            row = {"framework": kode, "tahun": penilaian.tahun, "indicators": len(model.indikator), "what": label,
                   **_timed(fn, rounds)}  # fmt: skip
            _log_row(label, row, log)
            out.append(row)
    return out


def measure_flags(rounds: int, log=print) -> list[dict]:
    from terpadu.spbe import services_katalog
    from terpadu.spbe.models import Aplikasi

    page = list(Aplikasi.objects.order_by("nama", "pk").values_list("pk", flat=True)[:50])
    everything = Aplikasi.objects.all()
    flagged = services_katalog.flags_by_pk(everything)
    log(f"flags: {len(flagged)} of {everything.count()} applications have at least one flag")
    out = []
    for label, fn, n in (
        ("flags_by_pk, one list page (50)", lambda: services_katalog.flags_by_pk(Aplikasi.objects.filter(pk__in=page)),
         rounds),
        ("flags_by_pk, every application", lambda: services_katalog.flags_by_pk(everything), max(rounds // 20, 5)),
    ):  # fmt: skip
        row = {"what": label, **_timed(fn, n)}
        _log_row(label, row, log)
        out.append(row)
    return out


def measure_katalog(rounds: int, log=print) -> list[dict]:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.floor_views_spbe import katalog_rows
    from bench.generate_spbe import PERSONA
    from terpadu.accounts.models import User

    user = User.objects.get(username=PERSONA)
    client = Client()

    def sign_in():
        client.force_login(user, backend="terpadu.accounts.backends.NipOrUsernameBackend")
        session = client.session
        session["otp_device_id"] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
        session.save()

    sign_in()

    def view(path="/spbe/aplikasi/"):
        response = client.get(path)
        if response.status_code != 200:  # a concurrent `make bench` empties the session table: sign in again
            sign_in()
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} gave {response.status_code}")

    out = []
    for label, fn in (
        ("catalogue list view, page 1 (test client)", view),
        ("catalogue list view, page 20 (test client)", lambda: view("/spbe/aplikasi/?page=20")),
        ("floor SQL, page 1 (4 queries)", lambda: katalog_rows(1)),
        ("floor SQL, page 20", lambda: katalog_rows(20)),
    ):
        row = {"what": label, **_timed(fn, rounds)}
        _log_row(label, row, log)
        out.append(row)
    return out


MEASUREMENTS = {"index": measure_index, "whatif": measure_whatif, "flags": measure_flags, "katalog": measure_katalog}


def main(argv: list[str] | None = None) -> None:
    from bench import generate

    parser = argparse.ArgumentParser(prog="python -m bench.measure_spbe", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=tuple(MEASUREMENTS), help="run only these measurements")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="calls per measurement (default 200)")
    parser.add_argument(
        "--skip-prepare", action="store_true", help="do not migrate / check the generated rows (they exist)"
    )
    parser.add_argument("--database-url", help=f"default: {generate.DEFAULT_SERVER}/{generate.DB_PREFIX}")
    args = parser.parse_args(argv)
    url = args.database_url or generate.default_database_url(1)
    if args.skip_prepare:
        generate.setup_django(url)
    else:
        generate.prepare(url, 1)
        from bench import generate_chain, generate_spbe

        generate_chain.prepare(1)
        generate_spbe.prepare(1)
    results: dict = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "rounds": args.rounds}
    for name, fn in MEASUREMENTS.items():
        if not args.only or name in args.only:
            print(f"{name}:")
            results[name] = fn(args.rounds)
    results["load_average"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "spbe-latest.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"wrote bench/results/spbe-latest.json (load average {', '.join(f'{x:.1f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
