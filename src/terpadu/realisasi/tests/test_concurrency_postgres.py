"""Concurrent bookings on PostgreSQL: parallel workers, each with its own connection, cannot together exceed a
DPA line (the line rows are locked while what is realised is summed)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.db.models import Sum

from terpadu.core.context import acting
from terpadu.realisasi import services
from terpadu.realisasi.models import Realisasi, Sp2d

THREADS = 12
AMOUNT = Decimal("1000000")


def _worker(line_ids: list[int], index: int, start: threading.Barrier, outcome: dict) -> None:
    from terpadu.anggaran.models import DpaBaris

    try:
        lines = [DpaBaris.objects.select_related("sub_kegiatan__sub_kegiatan", "unit").get(pk=pk) for pk in line_ids]
        start.wait()
        with acting(None, via="command"):
            services.record_sp2d(
                {"nomor": f"PAR/{index}", "tanggal": dt.date(2026, 4, 1), "jenis": "LS", "uraian": "paralel"},
                [(line, AMOUNT, None) for line in lines],
            )
        outcome.setdefault("ok", []).append(index)
    except ValidationError:
        outcome.setdefault("refused", []).append(index)
    except Exception as exc:  # reported by the test thread
        outcome.setdefault("errors", []).append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_never_exceed_a_line(chain):
    atk, mamin = chain.dpa["5.1.02.01.01.0024"], chain.dpa["5.1.02.01.01.0052"]  # 5.500.000 and 16.000.000
    # half of the workers book ATK alone, the other half MAMIN then ATK (lines locked in pk order: no deadlock)
    plans = [[atk.pk] if n % 2 else [mamin.pk, atk.pk] for n in range(THREADS)]
    start, outcome = threading.Barrier(THREADS), {}
    workers = [
        threading.Thread(target=_worker, args=(plans[n], n, start, outcome), daemon=True) for n in range(THREADS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    close_old_connections()
    assert not outcome.get("errors"), outcome.get("errors")
    assert not any(worker.is_alive() for worker in workers)
    realised = Realisasi.objects.filter(dpa_baris=atk).aggregate(t=Sum("nilai"))["t"]
    assert realised == AMOUNT * 5 <= atk.pagu  # 5 of the 12 fit in 5.500.000
    assert len(outcome["ok"]) == 5 and len(outcome["refused"]) == THREADS - 5
    assert Sp2d.objects.count() == 5
    # a refused two-line SP2D left nothing on its first line either
    mamin_sp2d = Realisasi.objects.filter(dpa_baris=mamin).count()
    assert mamin_sp2d == len([n for n in outcome["ok"] if n % 2 == 0])
