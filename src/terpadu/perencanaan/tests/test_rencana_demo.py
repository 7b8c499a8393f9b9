"""The demo seed builds an adopted RPJMD, Renstra and Renja for every OPD that has demo codes, through the
services (codes stubbed: two small editions instead of the master part's generated ones)."""

from __future__ import annotations

import datetime as dt
import re

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.perencanaan import demo_master, demo_rencana
from terpadu.perencanaan.models import Renja, RenjaSubKegiatan, Renstra, Rpjmd, Status
from terpadu.perencanaan.tests.rencana_fixtures import make_editions


def test_the_demo_seed_plans_every_opd_with_codes_and_is_idempotent(city, monkeypatch):
    codes = make_editions()
    per_unit = {
        city.dinas_a.pk: ["2.16.03.2.02.0021", "2.16.03.2.02.0023"],
        city.dinas_b.pk: ["2.16.02.2.01.0014"],
    }

    def codes_for_unit(unit, tahun):
        return [codes[tahun][RENUMBERED.get(k, k) if tahun == 2026 else k] for k in per_unit.get(unit.pk, [])]

    RENUMBERED = {"2.16.03.2.02.0021": "2.16.03.2.02.0025"}  # noqa: N806
    monkeypatch.setattr(demo_master, "codes_for_unit", codes_for_unit)
    monkeypatch.setattr(demo_rencana, "OPD_CODE", re.compile(r"^400\.\d$"))
    with acting(None, via="command"):
        demo_rencana.seed(dt.date(2026, 6, 1))
        demo_rencana.seed(dt.date(2026, 6, 1))
    rpjmd = Rpjmd.objects.get()
    assert (rpjmd.tahun_awal, rpjmd.tahun_akhir, rpjmd.status) == (2025, 2029, Status.DITETAPKAN)
    assert set(Renstra.objects.values_list("unit", "status")) == {
        (city.dinas_a.pk, Status.DITETAPKAN),
        (city.dinas_b.pk, Status.DITETAPKAN),
    }
    assert Renja.objects.filter(tahun=2026, status=Status.DITETAPKAN).count() == 2
    subs = RenjaSubKegiatan.objects.filter(unit=city.dinas_a, tahun=2026)
    assert set(subs.values_list("sub_kegiatan__kode", flat=True)) == {"2.16.03.2.02.0023", "2.16.03.2.02.0025"}
    assert all(s.pagu_indikatif > 0 and s.indikator.filter(target__tahun=2026).exists() for s in subs)
    assert AuditEvent.objects.filter(object_type="perencanaan.renja", action="adopt").count() == 2
