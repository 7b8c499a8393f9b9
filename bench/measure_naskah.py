"""Naskah measurements that are not request/floor pairs (the HTTP scenarios are in bench/scenarios_naskah.py):

    python -m bench.measure_naskah [--scale 1] [--naskah N] [--only fts numbering sign] [--signers 32]

- fts: the full-text search (the raw FTS query, and the search page's own queryset for the pimpinan) against
  an ILIKE '%word%' scan over hal/ringkasan/teks on the same rows; target: FTS ≥ 50× faster.
- numbering: 32 concurrent signers (threads, each with its own connection; `--signer-mode processes` runs 32
  processes instead) allocate numbers through
  penomoran.allocate, some rolling back on purpose; target: 0 duplicate or skipped numbers, ≥ 200 allocations/s.
- sign: render + sign ms per naskah against pyHanko signing the same pre-rendered PDF
  (naskah.rendering.render_pdf_with_layout, tte.services.sign_pdf).

Results are printed and written to bench/results/naskah-latest.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import threading
import time

SEARCH_WORD = "irigasi"
PIMPINAN = "kadis.kominfo"


def _timed(function, rounds: int) -> tuple[float, object]:
    """Median milliseconds of `rounds` calls (after one warm-up call) and the last result."""
    result = function()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def measure_fts(word: str = SEARCH_WORD) -> dict:
    from django.test import RequestFactory

    from bench.floor_views_naskah import raw_fts, raw_ilike
    from terpadu.accounts.models import User
    from terpadu.naskah import views_cari

    user = User.objects.get(username=PIMPINAN)

    def page():
        request = RequestFactory().get("/naskah/cari/", {"q": word})
        request.user = user
        _filterset, queryset = views_cari.searched(request)
        found = views_cari.page_of(queryset, 1)
        return found.paginator.count, list(found)

    fts_ms, (fts_count, _rows) = _timed(lambda: raw_fts(word), 20)
    page_ms, (page_count, _rows) = _timed(page, 20)
    ilike_ms, (ilike_count, _rows) = _timed(lambda: raw_ilike(word), 3)
    return {
        "word": word,
        "fts_raw_ms": round(fts_ms, 2),
        "fts_raw_matches": fts_count,
        "page_queryset_ms": round(page_ms, 2),
        "page_matches_for_pimpinan": page_count,
        "ilike_ms": round(ilike_ms, 1),
        "ilike_matches": ilike_count,
        "ilike_over_fts": round(ilike_ms / fts_ms, 1),
        "target": "ilike_over_fts >= 50",
    }


def measure_numbering(
    signers: int = 32,
    per_signer: int = 40,
    rollback_every: int = 10,
    unit_kode: str = "401.106",
    mode: str = "threads",
) -> dict:
    """Concurrent allocations for one unit's sequence in a year no generated naskah uses (2099).

    mode "threads" (the default, as since the measure was written): the signers are threads of this interpreter,
    each with its own connection, as in threaded web workers. mode "processes": each signer is a process with its
    own connection, as in 32 sync worker processes; on a 2-core machine 32 processes and their 32 database backends
    contend for the CPUs, the holder of the chain head waits for one between its round trips, and the figure swings
    widely from run to run."""
    from django.db import connection

    from terpadu.naskah.models import Naskah, UrutanNomor
    from terpadu.organisasi.models import Pegawai, UnitKerja

    year, marker = 2099, "Bench penomoran (concurrent signers)"
    unit = UnitKerja.objects.get(kode=unit_kode)
    template = Naskah.objects.filter(unit=unit).first()
    Naskah.objects.filter(hal=marker).delete()
    UrutanNomor.objects.filter(unit=unit, tahun=year).delete()
    pembuat = Pegawai.objects.filter(unit=unit).first()
    rows = [
        Naskah(
            jenis_id=template.jenis_id,
            klasifikasi_id=template.klasifikasi_id,
            unit=unit,
            pembuat=pembuat,
            hal=marker,
            status=Naskah.Status.SIAP_TTD,
        )
        for _ in range(signers * per_signer)
    ]
    ids = [n.pk for n in Naskah.objects.bulk_create(rows)]
    batches = [ids[n::signers] for n in range(signers)]
    if mode == "threads":
        seconds, rolled_back, errors = _run_threads(batches, year, rollback_every)
    else:
        connection.close()  # the signer processes must not share this process's connection
        seconds, rolled_back, errors = _run_processes(batches, year, rollback_every)
    numbers = sorted(Naskah.objects.filter(pk__in=ids, nomor_urut__isnull=False).values_list("nomor_urut", flat=True))
    committed = len(numbers)
    result = {
        "signers": signers,
        "mode": mode,
        "attempts": len(ids),
        "rolled_back_on_purpose": len(rolled_back),
        "committed": committed,
        "duplicates": committed - len(set(numbers)),
        "skipped": len(set(range(1, committed + 1)) - set(numbers)),
        "seconds": round(seconds, 2),
        "allocations_per_second": round(committed / seconds, 1),
        "errors": errors[:5],
        "target": "duplicates == skipped == 0, allocations_per_second >= 200",
    }
    Naskah.objects.filter(pk__in=ids).delete()
    UrutanNomor.objects.filter(unit=unit, tahun=year).delete()
    return result


def _allocate_batch(mine: list[int], year: int, rollback_every: int, barrier) -> tuple[list[int], list[str]]:
    """One signer: load its naskah, wait for the others, then allocate one number per naskah, each in its own
    transaction; every `rollback_every`-th signature fails on purpose (the transaction rolls back)."""
    from django.db import connection, transaction

    from terpadu.core.context import acting
    from terpadu.naskah import penomoran
    from terpadu.naskah.models import Naskah

    rolled_back, errors = [], []
    try:
        batch = list(Naskah.objects.select_related("unit", "jenis", "klasifikasi").filter(pk__in=mine))
        barrier.wait()
        for index, naskah in enumerate(batch):
            try:
                with acting(None, via="command"), transaction.atomic():
                    penomoran.allocate(naskah, tahun=year)
                    if index % rollback_every == rollback_every - 1:
                        raise RuntimeError("signature failed on purpose")
            except RuntimeError:
                rolled_back.append(naskah.pk)
    except Exception as exc:  # reported by the caller
        errors.append(repr(exc))
    finally:
        connection.close()
    return rolled_back, errors


def _run_threads(batches: list[list[int]], year: int, rollback_every: int) -> tuple[float, list, list]:
    barrier, rolled_back, errors = threading.Barrier(len(batches) + 1), [], []

    def signer(mine: list[int]) -> None:
        done, failed = _allocate_batch(mine, year, rollback_every, barrier)
        rolled_back.extend(done)
        errors.extend(failed)

    threads = [threading.Thread(target=signer, args=(mine,)) for mine in batches]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, rolled_back, errors


def _signer_process(mine, year, rollback_every, barrier, results) -> None:
    results.put(_allocate_batch(mine, year, rollback_every, barrier))


def _run_processes(batches: list[list[int]], year: int, rollback_every: int) -> tuple[float, list, list]:
    context = multiprocessing.get_context("fork")  # the children inherit the set-up Django, not a connection
    barrier, results = context.Barrier(len(batches) + 1), context.Queue()
    processes = [
        context.Process(target=_signer_process, args=(mine, year, rollback_every, barrier, results)) for mine in batches
    ]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    outcomes = [results.get() for _ in processes]  # before join(): a full queue would keep a child alive
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    rolled_back = [pk for done, _failed in outcomes for pk in done]
    errors = [error for _done, failed in outcomes for error in failed]
    return seconds, rolled_back, errors


def measure_sign(rounds: int = 10) -> dict:
    try:
        from terpadu.naskah.rendering import render_pdf_with_layout  # noqa: F401
        from terpadu.tte.services import sign_pdf  # noqa: F401
    except ImportError as exc:
        return {"skipped": f"not available yet: {exc}"}
    return _measure_sign(rounds)


SIGN_PASSPHRASE = "bench-passphrase-0123456789"


def _signer():
    """kadis.kominfo's pegawai with a certificate of the instance CA (made once in the bench database)."""
    from terpadu.accounts.models import User
    from terpadu.core.context import acting
    from terpadu.tte import services as tte
    from terpadu.tte.models import SertifikatPenandatangan

    pegawai = User.objects.get(username=PIMPINAN).pegawai
    with acting(None, via="command"):
        if tte.active_ca() is None:
            tte.init_ca()
        if not SertifikatPenandatangan.objects.filter(pegawai=pegawai, backend="ca").exists():
            tte.enrol(pegawai, SIGN_PASSPHRASE)
    return pegawai


def _measure_sign(rounds: int) -> dict:
    """Per naskah: render (WeasyPrint, PDF/A) + sign (pyHanko, visible stamp), against signing the same
    pre-rendered PDF only. The key is decrypted with the passphrase in both, as in a real signature."""
    from terpadu.naskah.models import Naskah
    from terpadu.naskah.rendering import render_pdf_with_layout
    from terpadu.tte.services import sign_pdf
    from terpadu.tte.types import Stamp

    pegawai = _signer()
    naskah = Naskah.objects.filter(unit=pegawai.unit, arah="keluar").exclude(nomor="").order_by("pk").first()

    def render():
        return render_pdf_with_layout(naskah, nomor=naskah.nomor, draft=False)

    def sign(rendered):
        box = rendered.signature_box or (rendered.page_count - 1, 300.0, 80.0, 540.0, 180.0)
        stamp = Stamp(page=box[0], box=box[1:], qr_url="http://127.0.0.1/v/bench", lines=["Bench"])
        return sign_pdf(
            rendered.pdf,
            pegawai=pegawai,
            backend="ca",
            passphrase=SIGN_PASSPHRASE,
            stamp=stamp,
            reason="Bench",
            location="Sukamaju",
        )

    rendered = render()
    render_ms, _r = _timed(render, rounds)
    sign_ms, signed = _timed(lambda: sign(rendered), rounds)
    both_ms, _b = _timed(lambda: sign(render()), rounds)
    return {
        "naskah_id": naskah.pk,
        "pages": rendered.page_count,
        "pdf_kb": round(len(rendered.pdf) / 1024, 1),
        "signed_kb": round(len(signed.data) / 1024, 1),
        "render_ms": round(render_ms, 1),
        "sign_prerendered_ms": round(sign_ms, 1),
        "render_and_sign_ms": round(both_ms, 1),
        "render_and_sign_over_sign": round(both_ms / sign_ms, 2),
        "rounds": rounds,
    }


def main(argv: list[str] | None = None) -> None:
    from bench import generate, generate_naskah

    parser = argparse.ArgumentParser(prog="python -m bench.measure_naskah", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--naskah", type=int, help="naskah to bulk-load (default 1,000,000 × scale)")
    parser.add_argument("--only", nargs="+", choices=("fts", "numbering", "sign"), default=["fts", "numbering", "sign"])
    parser.add_argument("--signers", type=int, default=32)
    parser.add_argument("--signer-mode", choices=("threads", "processes"), default="threads")
    parser.add_argument("--word", default=SEARCH_WORD)
    args = parser.parse_args(argv)
    generate.prepare(generate.default_database_url(args.scale), args.scale)
    generate_naskah.prepare(args.scale, args.naskah)
    results = {}
    if "fts" in args.only:
        results["fts"] = measure_fts(args.word)
        print(json.dumps(results["fts"], indent=2), flush=True)
    if "numbering" in args.only:
        results["numbering"] = measure_numbering(args.signers, mode=args.signer_mode)
        print(json.dumps(results["numbering"], indent=2), flush=True)
    if "sign" in args.only:
        results["sign"] = measure_sign()
        print(json.dumps(results["sign"], indent=2), flush=True)
    out = generate.REPO / "bench" / "results" / "naskah-latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(generate.REPO)}")


if __name__ == "__main__":
    main()
