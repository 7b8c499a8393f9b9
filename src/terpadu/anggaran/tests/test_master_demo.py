"""The demo seeds of both master parts: two editions with a mapping, demo codes per OPD, SSH items."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from terpadu.anggaran import demo_master as anggaran_demo
from terpadu.anggaran import services_master as anggaran
from terpadu.anggaran.models import StandarHarga
from terpadu.core.context import acting
from terpadu.perencanaan import demo_master
from terpadu.perencanaan import services_master as master
from terpadu.perencanaan.models import Keyakinan, Nomenklatur

pytestmark = pytest.mark.django_db
TODAY = dt.date(2031, 5, 1)


def test_seeds_build_both_years_mapping_codes_per_opd_and_prices():
    with acting(None, via="command"):
        demo_master.seed(TODAY)
        anggaran_demo.seed(TODAY)
        demo_master.seed(TODAY)  # idempotent
    tree = master.NOMENKLATUR
    old, new = master.versi_of(tree, 2030), master.versi_of(tree, 2031)
    assert old and new
    worklist = [c.kode for c in master.worklist(tree, old, new)]
    assert worklist == [demo_master.DROPPED]
    renumbered = Nomenklatur.objects.get(versi=old, kode=demo_master.RENUMBERED[0])
    assert master.map_forward(renumbered, 2031).kode == demo_master.RENUMBERED[1]
    for unit_kode, row in demo_master.opd_bidang().items():
        codes = demo_master.codes_for_unit(SimpleNamespace(kode=unit_kode), 2031)
        assert 3 <= len(codes) <= 5, unit_kode
        assert all(c.kode.startswith(row["kode_bidang"] + ".") and c.aktif for c in codes)
    copy_codes = demo_master.codes_for_unit(SimpleNamespace(kode="401.101-2"), 2031)
    assert copy_codes == demo_master.codes_for_unit(SimpleNamespace(kode="401.101"), 2031)
    assert demo_master.codes_for_unit(SimpleNamespace(kode="999"), 2031) == []
    assert Nomenklatur.objects.get(versi=new, kode="1.01.02.2.01.0001").keyakinan == Keyakinan.DEMO
    kominfo = demo_master.codes_for_unit(SimpleNamespace(kode="401.106"), 2031)
    assert all(c.keyakinan != Keyakinan.DEMO for c in kominfo)
    assert anggaran.rekening(2030, "5.1.02.01.01.0024") and anggaran.rekening(2031, "5.2.04.01.01.0003")
    assert 35 <= StandarHarga.objects.filter(tahun=2031).count() <= 45
