"""The evaluasi demo seed runs through the services and is idempotent."""

from __future__ import annotations

import datetime as dt

from terpadu.core.context import acting
from terpadu.spbe import demo_evaluasi
from terpadu.spbe.models import Penilaian


def test_demo_seed(city):
    today = dt.date(2026, 11, 23)
    with acting(None, via="command"):
        demo_evaluasi.seed(today)
        demo_evaluasi.seed(today)
    resmi = Penilaian.objects.filter(jenis="resmi")
    assert resmi.count() == 4 and all("DEMO" in p.sumber for p in resmi)
    locked = Penilaian.objects.get(kerangka__kode="SPBE_2020", tahun=2025, jenis="mandiri")
    assert locked.status == "terkunci" and locked.indeks is not None and locked.predikat
    pemdi = Penilaian.objects.get(kerangka__kode="PEMDI_2026", tahun=2026, jenis="mandiri")
    assert pemdi.status == "draft" and pemdi.nilai.filter(nilai__isnull=False).count() == 7
