"""The demo seed of the rka part on top of the chain's Renja (a year without a round)."""

from __future__ import annotations

import datetime as dt

import pytest

from terpadu.anggaran import demo_rka
from terpadu.anggaran.models import DpaBaris, Rka, TahapAnggaran
from terpadu.core.context import acting

pytestmark = pytest.mark.django_db


def test_demo_seed_adopts_murni_and_leaves_a_pergeseran_with_a_returned_rka(chain):
    from terpadu.anggaran.models import StandarHarga

    item = StandarHarga.objects.create(tahun=2026, kode="SSH.01.004", uraian="Map", satuan="buah", harga=3500)
    item.rekening.add(chain.rekening["5.1.02.01.01.0024"])
    Rka.objects.all().delete()
    DpaBaris.objects.all().delete()
    TahapAnggaran.objects.all().delete()
    with acting(None, via="command"):
        demo_rka.seed(dt.date(2026, 5, 1))
        demo_rka.seed(dt.date(2026, 5, 1))  # idempotent
    murni, pergeseran = TahapAnggaran.objects.filter(tahun=2026).order_by("urutan")
    assert murni.status == "ditetapkan" and pergeseran.status == "penyusunan"
    assert set(murni.rka.values_list("status", flat=True)) == {"disetujui"}
    assert pergeseran.rka.filter(status="dikembalikan").count() == 1
    assert DpaBaris.objects.filter(tahun=2026).exists()
    for rka in murni.rka.all():
        assert 3 <= rka.rincian.count() <= 8
        assert sum(k.nilai for k in rka.anggaran_kas.all()) == rka.total
