"""Concurrent line additions on PostgreSQL: the Pagu row lock makes the ceiling check race-safe."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import translation

from terpadu.anggaran import services_rka as svc
from terpadu.anggaran.models import Pagu, Rka
from terpadu.anggaran.tests.rka_helpers import line, make_drafting
from terpadu.core.context import acting

WORKERS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_additions_cannot_together_exceed_the_pagu(chain, city):
    chain, tahap, _rka = make_drafting(chain)
    targets = [tahap.rka.get(sub_kegiatan=chain.sub).pk, tahap.rka.get(sub_kegiatan=chain.sub2).pk]
    room = Decimal("250000")  # room for two lines of 100,000, not three
    Pagu.objects.filter(tahap=tahap, unit=city.dinas_a).update(nilai=svc.total_opd(tahap.pk, city.dinas_a.pk) + room)
    start, results = threading.Barrier(WORKERS), []

    def worker(rka_id):
        try:
            start.wait()
            with acting(None, via="command"), translation.override("en"):  # a thread starts in the default (id)
                svc.tambah_rincian(None, Rka.objects.get(pk=rka_id), line(volume="1", harga_satuan="100000"))
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.messages[0])
        except Exception as exc:  # reported by the test thread
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(targets[n % 2],), daemon=True) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert results.count("ok") == 2, results
    assert all(isinstance(r, str) and ("ok" == r or "over its ceiling" in r) for r in results), results
    pagu = Pagu.objects.get(tahap=tahap, unit=city.dinas_a)
    assert svc.total_opd(tahap.pk, city.dinas_a.pk) == pagu.nilai - Decimal("50000")
