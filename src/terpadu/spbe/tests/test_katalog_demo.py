"""The katalog demo seeds through the services and shows each kind of flag."""

from __future__ import annotations

import pytest
from django.utils import timezone

from terpadu.core.context import acting
from terpadu.spbe import demo_katalog, services_katalog
from terpadu.spbe.models import Aplikasi, IntegrasiAplikasi
from terpadu.spbe.tests.katalog_fixtures import layanan_elemen

pytestmark = pytest.mark.django_db


def test_demo_seed_shows_every_flag(city, monkeypatch):
    # The test city has none of Kota Sukamaju's unit codes: every owned application goes to Dinas Alfa.
    monkeypatch.setattr(demo_katalog, "_unit", lambda key: None if key is None else city.dinas_a)
    layanan_elemen("L.DEMO.1", unit=city.dinas_a, nama="Layanan persuratan")
    today = timezone.localdate()
    with acting(None, via="command"):
        demo_katalog.seed(today)
        demo_katalog.seed(today)  # idempotent
    assert Aplikasi.objects.count() == len(demo_katalog.APPS)
    assert IntegrasiAplikasi.objects.count() == len(demo_katalog.INTEGRATIONS)
    found = {
        a.nama: {f.code for f in flags} for a, flags in services_katalog.flagged_applications(Aplikasi.objects.all())
    }
    assert "duplikasi_umum" in found["e-Office Dinkes"]
    assert "tanpa_pemilik" in found["Kios Informasi Balai Kota"]
    assert "tanpa_layanan" in found["Aplikasi Bank Sampah"]
    assert "umur_pendek" in found["Parkir Elektronik"]
    assert "audit_kedaluwarsa" in found["SIMDA BMD"]
    assert "time_eliminate" in found["e-Monev Pembangunan"]
    assert "Terpadu" not in found
    srikandi = Aplikasi.objects.get(nama="SRIKANDI")
    assert srikandi.jenis == "umum" and srikandi.aplikasi_nasional.nama == "SRIKANDI"
    summary = services_katalog.ringkasan()
    assert summary["umum"] == 6 and summary["terintegrasi_splp"] > 0
    # The evidence provider for SPBE 2020 #4/#15/#18 and PEMDI #13/#16 proposes these figures.
    from types import SimpleNamespace

    from terpadu.spbe import register_katalog, services_evaluasi

    assert "spbe.katalog.ringkasan" in services_evaluasi.PROVIDERS
    (proposal,) = register_katalog.evidence(SimpleNamespace(tahun=today.year), None)
    figures = {row["figure"]: row["value"] for row in proposal.rows}
    assert figures["aplikasi umum"] == 6 and figures["integrated through the SPLP"] == summary["terintegrasi_splp"]
