"""Concurrent packages on PostgreSQL: workers with their own connections each try to take 30% of the same DPA line;
the row lock on DpaBaris lets exactly three through and the line is never overcommitted."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.db.models import Sum

from terpadu.core.context import acting
from terpadu.kontrak import services
from terpadu.kontrak.models import PaketDpa
from terpadu.kontrak.tests.conftest import SWITCH

THREADS = 8


def _worker(n: int, unit_id: int, line_id: int, share: Decimal, start: threading.Barrier, results: list) -> None:
    from terpadu.anggaran.models import DpaBaris
    from terpadu.organisasi.models import UnitKerja

    try:
        unit, line = UnitKerja.objects.get(pk=unit_id), DpaBaris.objects.get(pk=line_id)
        start.wait()
        with acting(None, via="command"):
            services.create_paket(
                unit, 2026, {"nama": f"Paket {n}", "metode": "tender", "jenis": "barang"}, [(line, share)]
            )
        results.append("ok")
    except ValidationError:
        results.append("refused")
    except Exception as exc:  # reported by the test thread
        results.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_packages_cannot_overcommit_a_dpa_line(chain):
    line = chain.dpa[SWITCH]
    share = (line.pagu * Decimal("0.3")).quantize(Decimal("0.01"))
    start, results = threading.Barrier(THREADS), []
    workers = [
        threading.Thread(target=_worker, args=(n, line.unit_id, line.pk, share, start, results), daemon=True)
        for n in range(THREADS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    close_old_connections()
    assert not any(worker.is_alive() for worker in workers)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count("ok") == 3 and results.count("refused") == THREADS - 3
    taken = PaketDpa.objects.filter(dpa_baris=line).aggregate(total=Sum("nilai"))["total"]
    assert taken == share * 3 <= line.pagu
    assert services.tersedia(line) == line.pagu - share * 3
