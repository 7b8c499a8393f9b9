"""Concurrent signing on PostgreSQL: parallel workers, each with its own connection, some rolling back on purpose,
give committed numbers without duplicates and without gaps."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection, transaction

from terpadu.core.context import acting
from terpadu.naskah import penomoran
from terpadu.naskah.models import Naskah, NomorCadangan, UrutanNomor
from terpadu.naskah.tests.test_penomoran import make_naskah

THREADS = 16
PER_THREAD = 8
ROLLBACK_EVERY = 3  # every third allocation of a worker fails after taking its number


class SignatureFailed(Exception):
    pass


def _worker(naskah_ids: list[int], start: threading.Barrier, errors: list) -> None:
    try:
        start.wait()
        for index, pk in enumerate(naskah_ids):
            naskah = Naskah.objects.select_related("unit", "jenis", "klasifikasi").get(pk=pk)
            try:
                with acting(None, via="command"), transaction.atomic():
                    penomoran.allocate(naskah, tahun=2026)
                    if index % ROLLBACK_EVERY == ROLLBACK_EVERY - 1:
                        raise SignatureFailed
            except SignatureFailed:
                pass
    except Exception as exc:  # reported by the test thread
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_signers_give_no_duplicates_and_no_gaps(city, jenis, klasifikasi):
    surat, kode = jenis["surat_dinas"], klasifikasi["000.1.5"]
    ids = [make_naskah(city, surat, kode).pk for _ in range(THREADS * PER_THREAD)]
    with acting(None, via="command"):
        reserved = penomoran.reserve(city.dinas_a, surat, 2026, "Cadangan sebelum tanda tangan", None)
    start, errors = threading.Barrier(THREADS), []
    workers = [
        threading.Thread(target=_worker, args=(ids[n::THREADS], start, errors), daemon=True) for n in range(THREADS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    close_old_connections()
    assert not errors, errors
    assert not any(worker.is_alive() for worker in workers)

    committed = list(Naskah.objects.filter(pk__in=ids, nomor_urut__isnull=False).values_list("nomor_urut", flat=True))
    expected_commits = THREADS * (PER_THREAD - PER_THREAD // ROLLBACK_EVERY)
    assert len(committed) == expected_commits
    duplicates = [urut for urut, times in Counter(committed).items() if times > 1]
    assert duplicates == []
    # Number 1 was reserved before the signers started; the signed ones fill 2 … n+1 without a hole.
    assert sorted(committed) == list(range(2, expected_commits + 2))
    counter = UrutanNomor.objects.get(unit=city.dinas_a, lingkup="", tahun=2026)
    assert counter.terakhir == expected_commits + 1
    assert NomorCadangan.objects.get(pk=reserved.pk).urut == 1
    statuses = Counter(row.status for row in penomoran.gap_report(city.dinas_a, 2026))
    assert statuses == {"given": expected_commits, "reserved": 1}
