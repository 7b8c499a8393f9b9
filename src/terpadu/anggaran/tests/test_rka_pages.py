"""The budgeting pages and API per persona: operator-opd of Dinas Alfa vs Dinas Beta, tapd, admin-anggaran."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import login_as

from terpadu.anggaran import services_rka as svc
from terpadu.anggaran.models import DpaBaris, Pagu, RincianBelanja, Rka
from terpadu.anggaran.tests.rka_helpers import give_role, line, make_drafting
from terpadu.core.context import acting

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(city):
    from terpadu.accounts.models import User

    User.objects.update(language="en")  # the pages are read in English (the catalogue is tested in core)
    return city


@pytest.fixture(autouse=True)
def _english_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def drafting(chain):
    return make_drafting(chain)


@pytest.fixture
def operator_alfa(city):
    return give_role(city.staff_same, "operator-opd", city.dinas_a)


@pytest.fixture
def operator_beta(city):
    return give_role(city.staff_other, "operator-opd", city.dinas_b)


def test_operator_adds_edits_and_deletes_lines_of_own_opd_only(client, drafting, operator_alfa, operator_beta):
    chain, tahap, rka = drafting
    login_as(client, operator_alfa)
    url = f"/anggaran/rka/{rka.pk}/rincian/"
    response = client.post(url, line(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"Map plastik" in response.content
    made = RincianBelanja.objects.get(rka=rka, uraian="Map plastik")
    assert made.jumlah == Decimal("150000")
    response = client.post(url, line(justifikasi=""), HTTP_HX_REQUEST="true")
    assert b"justification is required" in response.content
    response = client.post(f"/anggaran/rincian/{made.pk}/ubah/", line(volume="20"), HTTP_HX_REQUEST="true")
    made.refresh_from_db()
    assert response.status_code == 200 and made.jumlah == Decimal("300000")
    assert client.get(f"/anggaran/rka/{rka.pk}/").status_code == 200
    client.post(f"/anggaran/rincian/{made.pk}/hapus/", HTTP_HX_REQUEST="true")
    assert not RincianBelanja.objects.filter(pk=made.pk).exists()

    login_as(client, operator_beta)
    assert client.post(url, line()).status_code == 404
    assert client.get(f"/anggaran/rka/{rka.pk}/").status_code == 404
    rka_b = tahap.rka.get(sub_kegiatan=chain.sub_b)
    assert client.post(f"/anggaran/rka/{rka_b.pk}/rincian/", line()).status_code == 302


def test_over_pagu_shows_the_excess_on_the_page(client, drafting, operator_alfa, city):
    chain, tahap, rka = drafting
    Pagu.objects.filter(tahap=tahap, unit=city.dinas_a).update(nilai=svc.total_opd(tahap.pk, city.dinas_a.pk))
    login_as(client, operator_alfa)
    response = client.post(f"/anggaran/rka/{rka.pk}/rincian/", line())
    assert response.status_code == 400 and b"by Rp 150,000" in response.content


def test_submit_verify_return_and_approve_by_tapd(client, drafting, operator_alfa, city):
    chain, tahap, rka = drafting
    tapd = give_role(city.pimpinan, "tapd")
    login_as(client, operator_alfa)
    assert client.get(f"/anggaran/rka/{rka.pk}/verifikasi/").status_code == 404
    client.post(f"/anggaran/rka/{rka.pk}/ajukan/")
    assert Rka.objects.get(pk=rka.pk).status == "diajukan"
    login_as(client, tapd)
    page = client.get(f"/anggaran/rka/{rka.pk}/verifikasi/")
    assert page.status_code == 200
    first = rka.rincian.order_by("pk").first()
    client.post(f"/anggaran/rka/{rka.pk}/verifikasi/", {"decision": "return", f"catatan_{first.pk}": "Harga?"})
    first.refresh_from_db()
    assert first.perlu_perbaikan and Rka.objects.get(pk=rka.pk).status == "dikembalikan"
    login_as(client, operator_alfa)
    client.post(f"/anggaran/rka/{rka.pk}/ajukan/")
    login_as(client, tapd)
    client.post(f"/anggaran/rka/{rka.pk}/verifikasi/", {"decision": "approve"})
    assert Rka.objects.get(pk=rka.pk).status == "disetujui"
    assert client.get(f"/anggaran/rka/{rka.pk}/dpa/").status_code == 200


def test_cash_plan_editor_refuses_a_plan_that_does_not_sum(client, drafting, operator_alfa):
    chain, tahap, rka = drafting
    login_as(client, operator_alfa)
    data = {f"bulan_{b}": "1000" for b in range(1, 13)}
    response = client.post(f"/anggaran/rka/{rka.pk}/kas/", data)
    assert response.status_code == 400 and b"difference" in response.content
    response = client.post(f"/anggaran/rka/{rka.pk}/kas/", {"ratakan": "1"})
    assert response.status_code == 200
    months = svc.ratakan(rka.total)
    response = client.post(f"/anggaran/rka/{rka.pk}/kas/", {f"bulan_{b}": str(v) for b, v in enumerate(months, 1)})
    assert response.status_code == 302


def test_admin_anggaran_opens_adopts_and_sets_pagu(client, chain, city):
    admin = give_role(city.staff_other, "admin-anggaran")
    login_as(client, admin)
    response = client.post("/anggaran/tahap/buka/", {"tahun": 2026, "jenis": "pergeseran"})
    tahap = chain.tahap.__class__.objects.get(tahun=2026, urutan=2)
    assert response.status_code == 302 and tahap.rka.count() == 3
    response = client.post(f"/anggaran/tahap/{tahap.pk}/pagu/", {"unit": city.dinas_b.pk, "nilai": "10"})
    assert response.status_code == 200 and b"already budgets" in response.content
    client.post(f"/anggaran/tahap/{tahap.pk}/pagu/", {"unit": city.dinas_b.pk, "nilai": "600000000"})
    assert Pagu.objects.get(tahap=tahap, unit=city.dinas_b).nilai == Decimal("600000000")
    client.post(f"/anggaran/tahap/{tahap.pk}/tetapkan/")
    tahap.refresh_from_db()
    assert tahap.status == "penyusunan"  # RKA are pending
    assert client.get(f"/anggaran/tahap/{tahap.pk}/").status_code == 200
    assert client.get(f"/anggaran/perbandingan/?a={chain.tahap.pk}&b={tahap.pk}&semua=1").status_code == 200
    export = client.get(f"/anggaran/perbandingan/?a={chain.tahap.pk}&b={tahap.pk}&format=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_lists_are_scoped(client, drafting, operator_alfa):
    login_as(client, operator_alfa)
    page = client.get("/anggaran/rka/?tahap=" + str(drafting[1].pk))
    assert page.status_code == 200
    assert b"2.16.03.2.02.0023" in page.content and b"2.16.02.2.01.0014" not in page.content
    csv = client.get(f"/anggaran/rincian/ekspor/?tahap={drafting[1].pk}&format=csv").content.decode("utf-8-sig")
    assert "Kertas HVS" in csv and "Alat tulis kantor" not in csv


# -- API ---------------------------------------------------------------------------------------------------


def test_api_drafting_lines_with_json_errors(client, drafting, operator_alfa, operator_beta):
    chain, tahap, rka = drafting
    login_as(client, operator_alfa)
    response = client.post("/api/v1/anggaran/rincian/", {"rka": rka.pk, **line(jumlah="1")}, "application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["jumlah"] == "150000.00"
    response = client.patch(f"/api/v1/anggaran/rincian/{body['id']}/", {"volume": "0"}, "application/json")
    assert response.status_code == 400 and "volume" in response.json()["error"]["details"]
    response = client.post("/api/v1/anggaran/rincian/", {"rka": chain.rka.pk, **line()}, "application/json")
    assert response.status_code == 400 and "locked" in str(response.json()["error"]["details"])
    assert client.get(f"/api/v1/anggaran/rka/{rka.pk}/").json()["rincian"]
    assert client.delete(f"/api/v1/anggaran/rincian/{body['id']}/").status_code == 204
    login_as(client, operator_beta)
    response = client.post("/api/v1/anggaran/rincian/", {"rka": rka.pk, **line()}, "application/json")
    assert response.status_code == 404 and response.json()["error"]["status"] == 404
    assert client.get(f"/api/v1/anggaran/rka/{rka.pk}/").status_code == 404


def test_api_dpa_lines_and_comparison(client, drafting, city):
    chain, tahap, rka = drafting
    with acting(None, via="command"):
        svc.tambah_rincian(None, rka, line())
    viewer = give_role(city.staff_same, "operator-opd", city.dinas_a)
    login_as(client, viewer)
    rows = client.get("/api/v1/anggaran/dpa/?tahun=2026").json()["results"]
    assert {r["kode_rekening"] for r in rows} == set(
        DpaBaris.objects.filter(unit=city.dinas_a).values_list("kode_rekening", flat=True)
    )
    rows = client.get(f"/api/v1/anggaran/dpa/?sub_kegiatan={chain.sub.pk}").json()["results"]
    assert len(rows) == 4
    data = client.get(f"/api/v1/anggaran/perbandingan/?a={chain.tahap.pk}&b={tahap.pk}").json()
    assert [b["status"] for b in data["baris"]] == ["added"] and data["baris"][0]["jumlah"] == [None, "150000.00"]
    assert client.get("/api/v1/anggaran/perbandingan/?a=999999").status_code == 400
    anonymous = client.__class__()
    assert anonymous.get("/api/v1/anggaran/rka/").status_code in (401, 403)


def test_api_cash_plan_submit_return_and_approve(client, drafting, operator_alfa, city):
    """The whole TAPD cycle through the API, each step by its persona; wrong input is a 400 with its reason."""
    chain, tahap, rka = drafting
    tapd = give_role(city.pimpinan, "tapd")
    api = f"/api/v1/anggaran/rka/{rka.pk}"
    login_as(client, operator_alfa)
    response = client.put(f"{api}/anggaran-kas/", {"nilai": ["1000"] * 12}, "application/json")
    assert response.status_code == 400 and "difference" in str(response.json()["error"])
    response = client.put(f"{api}/anggaran-kas/", {"nilai": ["1"] * 11}, "application/json")
    assert response.status_code == 400 and "nilai" in response.json()["error"]["details"]
    months = [str(v) for v in svc.ratakan(rka.total)]
    response = client.put(f"{api}/anggaran-kas/", {"nilai": months}, "application/json")
    assert response.status_code == 200
    assert [Decimal(k["nilai"]) for k in response.json()["anggaran_kas"]] == [Decimal(m) for m in months]
    assert client.post(f"{api}/setujui/").status_code == 403  # the OPD does not approve its own RKA
    assert client.post(f"{api}/ajukan/").json()["status"] == "diajukan"

    login_as(client, tapd)
    assert client.put(f"{api}/anggaran-kas/", {"nilai": months}, "application/json").status_code == 403
    response = client.post(f"{api}/kembalikan/", {}, "application/json")
    assert response.status_code == 400 and "Say what must be corrected" in str(response.json()["error"])
    response = client.post(f"{api}/kembalikan/", {"catatan_baris": {"999999": "?"}}, "application/json")
    assert response.status_code == 400 and Rka.objects.get(pk=rka.pk).status == "diajukan"
    first = rka.rincian.order_by("pk").first()
    response = client.post(f"{api}/kembalikan/", {"catatan_baris": {str(first.pk): "Harga?"}}, "application/json")
    assert response.status_code == 200 and response.json()["status"] == "dikembalikan"
    first.refresh_from_db()
    assert first.perlu_perbaikan and first.catatan_verifikasi == "Harga?"

    login_as(client, operator_alfa)
    client.post(f"{api}/ajukan/")
    login_as(client, tapd)
    response = client.post(f"{api}/setujui/")
    assert response.status_code == 200 and response.json()["status"] == "disetujui"
    assert DpaBaris.objects.filter(sub_kegiatan=rka.sub_kegiatan).exists()
    assert client.post(f"{api}/setujui/").status_code == 400  # only a submitted RKA


def test_api_admin_anggaran_opens_sets_pagu_and_adopts(client, chain, city, operator_alfa):
    admin = give_role(city.staff_other, "admin-anggaran")
    login_as(client, operator_alfa)
    assert (
        client.post("/api/v1/anggaran/tahap/", {"tahun": 2026, "jenis": "pergeseran"}, "application/json").status_code
        == 403
    )
    login_as(client, admin)
    response = client.post("/api/v1/anggaran/tahap/", {"tahun": 2026, "jenis": "murni"}, "application/json")
    assert response.status_code == 400 and "already has its murni round" in str(response.json()["error"])
    response = client.post("/api/v1/anggaran/tahap/", {"tahun": 2026, "jenis": "pergeseran"}, "application/json")
    assert response.status_code == 201
    tahap = chain.tahap.__class__.objects.get(pk=response.json()["id"])
    assert tahap.rka.count() == 3
    pagu = {"tahap": tahap.pk, "unit": city.dinas_b.pk, "nilai": "10"}
    response = client.post("/api/v1/anggaran/pagu/", pagu, "application/json")
    assert response.status_code == 400 and "already budgets" in str(response.json()["error"])
    response = client.post("/api/v1/anggaran/pagu/", {**pagu, "nilai": "600000000"}, "application/json")
    assert response.status_code == 200 and response.json()["nilai"] == "600000000.00"
    response = client.post(f"/api/v1/anggaran/tahap/{tahap.pk}/tetapkan/", {}, "application/json")
    assert response.status_code == 400 and "not approved yet" in str(response.json()["error"])
    tahap.refresh_from_db()
    assert tahap.status == "penyusunan"
