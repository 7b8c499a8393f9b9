"""The demo seed: SP2D through the services up to today's month, contract termin paid, progress reported."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from terpadu.core.context import acting
from terpadu.realisasi import demo_realisasi, services
from terpadu.realisasi.models import ProgresFisik, Realisasi, Sp2d
from terpadu.realisasi.tests.conftest import make_kontrak


def test_seed_without_dpa_does_nothing(db):
    with acting(None, via="command"):
        demo_realisasi.seed(dt.date(2026, 6, 15))
    assert not Sp2d.objects.exists()


def test_seed(chain):
    line = chain.dpa["5.2.02.10.02.0004"]
    kontrak, termins = make_kontrak(line, "40000000", ["20000000", "20000000"])
    today = dt.date(2026, 6, 15)
    with acting(None, via="command"):
        demo_realisasi.seed(today)
    assert Sp2d.objects.exists() and not Sp2d.objects.filter(tanggal__gt=today).exists()
    for row in Realisasi.objects.values("dpa_baris").annotate(t=Sum("nilai")):
        assert row["t"] <= type(line).objects.get(pk=row["dpa_baris"]).pagu
    assert services.terbayar_kontrak(kontrak) == sum(t.nilai for t in termins)  # due in March and May
    assert ProgresFisik.objects.filter(sub_kegiatan=chain.sub, bulan=6).exists()
    count = Sp2d.objects.count()
    with acting(None, via="command"):
        demo_realisasi.seed(today)  # a second run adds nothing
    assert Sp2d.objects.count() == count
