# ruff: noqa: F811  (pytest fixtures imported from conftest_evaluasi)
"""Pages, API and exports per persona: OPD head (monev.view + evaluate on Dinas Alfa), other staff (nothing),
Bappeda (perencana: whole pemda, monev.manage)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from terpadu.core.models import AuditEvent
from terpadu.monev import services_evaluasi as sv
from terpadu.monev.models import EvaluasiSubKegiatan, PeringatanDini, PeriodeMonev
from terpadu.monev.tests.conftest_evaluasi import as_system, city, fisik, give_role, pay, skala  # noqa: F401


@pytest.fixture
def world(chain, skala, city):
    pay(chain.dpa["5.2.02.10.02.0004"], 2, 30_000_000)
    pay(chain.dpa_b["5.1.02.01.01.0024"], 2, 1_000_000)
    fisik(chain.sub, 3, 40)
    periode = sv.pastikan_periode(2026)[0]
    as_system(sv.siapkan_evaluasi, periode)
    return chain, periode


def test_dashboard_per_persona(client, login, city, world):
    chain, _periode = world
    assert client.get("/monev/").status_code == 302  # anonymous → login
    login(client, city.staff_same)
    assert client.get("/monev/?tahun=2026").status_code == 403
    login(client, city.pimpinan)
    response = client.get("/monev/?tahun=2026&bulan=3")
    assert response.status_code == 200
    assert b"echarts.min.js" in response.content and b"monev-chart-data" in response.content
    assert b'<option value="3" selected>up to March</option>' in response.content  # months by name
    assert b'<option value="2026" selected>2026</option>' in response.content
    assert city.dinas_a.nama.encode() in response.content and city.dinas_b.nama.encode() not in response.content
    assert client.get(f"/monev/?tahun=2026&level=opd&parent={chain.sub_b.unit_id}").status_code == 404
    assert client.get(f"/monev/?tahun=2026&level=sub&parent={chain.sub.pk}").status_code == 200
    assert client.get("/monev/pimpinan/?tahun=2026").status_code == 403
    give_role(city.staff_other, "perencana")
    login(client, city.staff_other)
    response = client.get("/monev/pimpinan/?tahun=2026&bulan=3")
    assert response.status_code == 200 and city.dinas_b.nama.encode() in response.content


def test_api_dashboard_and_lists_are_scoped(client, login, city, world):
    chain, periode = world
    login(client, city.pimpinan)
    body = client.get("/api/v1/monev/dashboard/?tahun=2026&bulan=3").json()
    assert [r["key"] for r in body["rows"]] == [chain.sub.unit_id]
    assert Decimal(body["total"]["realisasi"]) == Decimal(30_000_000)
    rows = client.get("/api/v1/monev/evaluasi/?tahun=2026").json()["results"]
    assert {r["sub_kegiatan"] for r in rows} == {chain.sub.pk, chain.sub2.pk}
    assert client.get("/api/v1/monev/dashboard/?level=opd").status_code == 400
    login(client, city.staff_same)
    response = client.get("/api/v1/monev/evaluasi/")
    assert response.status_code == 403 and "error" in response.json()


def test_opd_fills_in_and_locked_period_refuses(client, login, city, world):
    chain, periode = world
    e = EvaluasiSubKegiatan.objects.get(periode=periode, sub_kegiatan=chain.sub)
    other = EvaluasiSubKegiatan.objects.get(periode=periode, sub_kegiatan=chain.sub_b)
    login(client, city.pimpinan)
    assert client.get(f"/monev/evaluasi/{other.pk}/").status_code == 404
    response = client.post(f"/monev/evaluasi/{e.pk}/", {"faktor_pendorong": "Dukungan", "faktor_penghambat": "",
                                                          "tindak_lanjut": "Percepatan"})  # fmt: skip
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.faktor_pendorong == "Dukungan"
    assert AuditEvent.objects.filter(action="monev.evaluasi_diisi", object_id=str(e.pk)).exists()
    # Bappeda locks the quarter with a reason
    give_role(city.staff_other, "perencana")
    login(client, city.staff_other)
    assert client.post(f"/monev/periode/{periode.pk}/kunci/", {"alasan": ""}).status_code == 302
    assert PeriodeMonev.objects.get(pk=periode.pk).status == "terbuka"  # no reason, no lock
    client.post(f"/monev/periode/{periode.pk}/kunci/", {"alasan": "Batas waktu"})
    assert PeriodeMonev.objects.get(pk=periode.pk).status == "dikunci"
    login(client, city.pimpinan)
    response = client.post(f"/monev/evaluasi/{e.pk}/", {"faktor_pendorong": "Ubah", "tindak_lanjut": "x"}, follow=True)
    assert response.status_code == 400
    assert b"locked" in response.content
    e.refresh_from_db()
    assert e.faktor_pendorong == "Dukungan"


def test_bappeda_early_warning_button(client, login, city, world):
    login(client, city.pimpinan)
    assert client.post("/monev/peringatan/periksa/", {"tahun": 2026, "bulan": 6}).status_code == 403
    give_role(city.staff_other, "perencana")
    login(client, city.staff_other)
    assert client.post("/monev/peringatan/periksa/", {"tahun": 2026, "bulan": 13}).status_code == 302
    assert not PeringatanDini.objects.exists()
    client.post("/monev/peringatan/periksa/", {"tahun": 2026, "bulan": 6})
    n = PeringatanDini.objects.count()
    assert n > 0
    client.post("/monev/peringatan/periksa/", {"tahun": 2026, "bulan": 6})
    assert PeringatanDini.objects.count() == n
    login(client, city.pimpinan)
    response = client.get("/monev/peringatan/")
    assert response.status_code == 200
    visible = PeringatanDini.objects.filter(unit=city.dinas_a).count()
    assert response.content.count(b"/monev/?tahun=2026&level=sub") == visible


def test_exports_open(client, login, city, world):
    from openpyxl import load_workbook

    chain, periode = world
    as_system(sv.simpan_capaian, periode, chain.indikator_sub, 4)
    login(client, city.pimpinan)
    response = client.get(f"/monev/ekspor/renja/?unit={city.dinas_a.pk}&tahun=2026&format=xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert ws.merged_cells.ranges  # merged header cells
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "2.16.03.2.02.0023" in texts and "Jumlah layanan terintegrasi" in texts
    response = client.get(f"/monev/ekspor/renja/?unit={city.dinas_a.pk}&tahun=2026&format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/monev/ekspor/renja/?unit={city.dinas_b.pk}&tahun=2026&format=pdf").status_code == 404
    response = client.get("/monev/ekspor/?tahun=2026&format=xlsx")
    assert response.status_code == 200
    load_workbook(io.BytesIO(response.content))


def test_the_citys_rkpd_evaluation_table(client, login, city, world):
    """Every OPD's Renja table under a row naming the OPD, and the city's total = the sum of the OPDs' money;
    only for whole-pemda monev.view (Bappeda, the leader)."""
    from openpyxl import load_workbook

    chain, _periode = world
    login(client, city.pimpinan)  # monev.view on Dinas Alfa only
    assert client.get("/monev/ekspor/rkpd/?tahun=2026&format=xlsx").status_code == 403
    give_role(city.staff_other, "perencana")
    login(client, city.staff_other)
    assert b"/monev/ekspor/rkpd/" in client.get("/monev/pimpinan/?tahun=2026").content
    response = client.get("/monev/ekspor/rkpd/?tahun=2026&format=xlsx")
    assert response.status_code == 200 and "evaluasi-rkpd-2026.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value.startswith("EVALUASI TERHADAP HASIL RKPD")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=7)]
    opd_rows = {r[2]: r for r in rows if r[2] in (city.dinas_a.nama, city.dinas_b.nama)}
    assert set(opd_rows) == {city.dinas_a.nama, city.dinas_b.nama}
    total = next(r for r in rows if r[2] == "Total")
    pagu_column = 6  # "Rp" under the target (0-based)
    assert total[pagu_column] == sum(r[pagu_column] for r in opd_rows.values())
    assert "2.16.03.2.02.0023" in [r[1] for r in rows]
    response = client.get("/monev/ekspor/rkpd/?tahun=2026&format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get("/monev/ekspor/rkpd/?tahun=2026&format=doc").status_code == 404


def test_periods_page_says_when_a_years_holidays_are_missing(client, login, city, world):
    login(client, city.pimpinan)
    assert b"No national holidays are loaded" not in client.get("/monev/periode/").content  # 2026 and 2027 are
    as_system(sv.pastikan_periode, 2031)
    content = client.get("/monev/periode/").content.decode()
    assert "No national holidays are loaded for 2031, 2032" in content  # TW IV 2031's deadline is in 2032


def test_home_card(client, login, city, world):
    login(client, city.pimpinan)
    response = client.get("/beranda/")
    assert b'data-card="monev"' in response.content
    login(client, city.staff_same)
    assert b'data-card="monev"' not in client.get("/beranda/").content
