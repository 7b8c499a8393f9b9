"""Planning pages and API per persona: readers, the OPD operator (perencanaan.plan in its OPD), Bappeda
(perencanaan.change); the panel registry of the sub kegiatan page; the JSON pohon kinerja."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import login_as
from django.test import Client
from django.urls import reverse

from terpadu.core.models import AuditEvent
from terpadu.perencanaan import register_rencana
from terpadu.perencanaan import services_rencana as services
from terpadu.perencanaan.models import Renja, RenstraItem, Status
from terpadu.perencanaan.tests.rencana_fixtures import adopt_all, english_plan, give_role


@pytest.fixture
def plan(city):
    return english_plan(city)


@pytest.fixture
def operator(city):
    """staff_same as OPD operator of Dinas Alfa."""
    return give_role(city.staff_same, "operator-opd", city.dinas_a)


@pytest.fixture
def bappeda(city):
    """pimpinan also holds the perencana role (Bappeda, whole pemda)."""
    return give_role(city.pimpinan, "perencana")


def test_every_planning_page_renders_for_a_reader(chain, city):
    client = login_as(Client(), city.staff_other)
    sasaran = chain.sasaran
    for url in (
        reverse("perencanaan:rpjmd_list"),
        reverse("perencanaan:rpjmd_detail", args=[chain.rpjmd.pk]),
        reverse("perencanaan:sasaran_detail", args=[sasaran.pk]) + "?tahun=2026",
        reverse("perencanaan:renstra_list") + f"?unit={city.dinas_a.pk}",
        reverse("perencanaan:renstra_detail", args=[chain.renstra.pk]),
        reverse("perencanaan:renja_list") + "?tahun=2026",
        reverse("perencanaan:renja_detail", args=[chain.renja.pk]),
        reverse("perencanaan:sub_kegiatan_detail", args=[chain.sub.pk]),
        reverse("perencanaan:sub_kegiatan_detail", args=[chain.sub_b.pk]),
        reverse("perencanaan:rkpd") + "?tahun=2026",
        reverse("perencanaan:pohon") + f"?rpjmd={chain.rpjmd.pk}&tahun=2026&sasaran={sasaran.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("perencanaan:sub_kegiatan_detail", args=[chain.sub.pk])).content.decode()
    assert chain.sasaran.uraian in page and chain.sasaran.tujuan.misi.uraian in page  # the cascade up
    assert 'id="sub-kegiatan-panels"' in page
    assert reverse("perencanaan:sub_kegiatan_edit", args=[chain.sub.pk]) not in page  # a reader gets no buttons
    tree = client.get(reverse("perencanaan:sasaran_detail", args=[sasaran.pk]) + "?tahun=2026").content.decode()
    assert chain.sub.sub_kegiatan.kode in tree and "Dinas Alfa" in tree
    export = client.get(reverse("perencanaan:rkpd_export") + "?tahun=2026&format=csv")
    assert export.status_code == 200 and b"2.16.03.2.02.0023" in export.content
    assert client.get(reverse("perencanaan:rkpd_export") + "?format=pdf").status_code == 400


def test_a_reader_cannot_draft_or_adopt(plan, city):
    client = login_as(Client(), city.staff_same)
    assert client.get(reverse("perencanaan:rpjmd_create")).status_code == 403
    assert client.get(reverse("perencanaan:item_create", args=[plan.renstra.pk])).status_code == 403
    assert client.post(reverse("perencanaan:rpjmd_adopt", args=[plan.rpjmd.pk])).status_code == 403
    plan.rpjmd.refresh_from_db()
    assert plan.rpjmd.status == Status.DRAFT


def test_the_opd_operator_drafts_its_own_renstra_but_not_another_opds_nor_adopts(plan, city, operator):
    client = login_as(Client(), city.staff_same)
    url = reverse("perencanaan:item_create", args=[plan.renstra.pk]) + f"?parent={plan.program.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kode": "2.16.03.2.99"})  # not in the edition: a form error, nothing written
    assert response.status_code == 200 and "2.16.03.2.99" in response.content.decode()
    assert not RenstraItem.objects.filter(nomenklatur__kode="2.16.03.2.99").exists()
    response = client.post(url, {"kode": "2.16.02.2.01"})  # wrong parent: names the prefix
    assert "2.16.03." in response.content.decode()
    other = services.create_renstra(plan.rpjmd, city.dinas_b)
    assert client.get(reverse("perencanaan:item_create", args=[other.pk])).status_code == 403
    assert client.post(reverse("perencanaan:renstra_adopt", args=[plan.renstra.pk])).status_code == 403
    assert client.get(reverse("perencanaan:rpjmd_edit", args=[plan.rpjmd.pk])).status_code == 403  # RPJMD: Bappeda


def test_bappeda_adopts_and_the_operator_then_meets_the_lock(plan, city, operator, bappeda):
    bappeda_client = login_as(Client(), city.pimpinan)
    assert bappeda_client.post(reverse("perencanaan:rpjmd_adopt", args=[plan.rpjmd.pk])).status_code == 302
    assert bappeda_client.post(reverse("perencanaan:renstra_adopt", args=[plan.renstra.pk])).status_code == 302
    plan.renstra.refresh_from_db()
    assert plan.renstra.status == Status.DITETAPKAN
    client = login_as(Client(), city.staff_same)
    item = plan.items["2.16.03.2.02.0023"]
    response = client.post(reverse("perencanaan:item_pagu", args=[item.pk]), {"pagu_2026": "1"}, follow=True)
    assert "adopted" in response.content.decode()
    assert item.pagu.get(tahun=2026).nilai == Decimal("240000000")
    # the operator draws the Renja of its OPD; unmapped codes are listed on the result page
    response = client.post(reverse("perencanaan:renja_draw"), {"unit": city.dinas_a.pk, "tahun": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2.16.03.2.02.0030" in body and "2.16.03.2.02.0025" in body
    renja = Renja.objects.get(unit=city.dinas_a, tahun=2026)
    # a reason is required to remove a sub kegiatan
    sub = renja.sub_kegiatan.get(sub_kegiatan__kode="2.16.03.2.02.0023")
    response = client.post(reverse("perencanaan:sub_kegiatan_remove", args=[sub.pk]), {"alasan": ""})
    assert response.status_code == 200 and renja.sub_kegiatan.filter(pk=sub.pk).exists()
    # reopening needs perencanaan.change and a reason
    url = reverse("perencanaan:dokumen_reopen", args=["renstra", plan.renstra.pk])
    assert client.get(url).status_code == 403
    assert bappeda_client.post(url, {"alasan": "Revisi"}).status_code == 302
    assert AuditEvent.objects.filter(object_type="perencanaan.renstra", action="reopen").exists()


def test_the_operator_of_another_opd_cannot_draw_for_dinas_alfa(plan, city):
    adopt_all(plan)
    give_role(city.staff_other, "operator-opd", city.dinas_b)
    client = login_as(Client(), city.staff_other)
    response = client.post(reverse("perencanaan:renja_draw"), {"unit": city.dinas_a.pk, "tahun": 2026})
    assert response.status_code == 200  # dinas_a is not a choice: a form error
    assert not Renja.objects.filter(unit=city.dinas_a).exists()
    api = login_as(Client(), city.staff_other)
    response = api.post(reverse("api-perencanaan-renja-tarik"), {"unit": city.dinas_a.pk, "tahun": 2026})
    assert response.status_code == 403 and "error" in response.json()


def test_panels_of_other_modules_render_in_order_and_a_failing_one_is_skipped(chain, city, monkeypatch):
    calls = []

    def first(request, sub):
        calls.append(sub.pk)
        return '<div class="card" id="panel-one">one</div>'

    def broken(request, sub):
        raise RuntimeError("bug in another module")

    def silent(request, sub):
        return None

    def last(request, sub):
        return '<div class="card" id="panel-two">two</div>'

    monkeypatch.setattr(register_rencana, "SUB_KEGIATAN_PANELS", [first, broken, silent, last])
    client = login_as(Client(), city.staff_same)
    page = client.get(reverse("perencanaan:sub_kegiatan_detail", args=[chain.sub.pk])).content.decode()
    assert calls == [chain.sub.pk]
    assert page.index('id="panel-one"') < page.index('id="panel-two"')


def test_the_api_lists_sub_kegiatan_by_year_unit_and_code_prefix(chain, city):
    client = login_as(Client(), city.staff_other)
    url = reverse("api-perencanaan-sub-kegiatan-list")
    data = client.get(url, {"tahun": 2026, "kode": "2.16.03"}).json()
    assert {row["id"] for row in data["results"]} == {chain.sub.pk, chain.sub2.pk}
    data = client.get(url, {"tahun": 2026, "unit": city.dinas_b.pk}).json()
    assert [row["kode"] for row in data["results"]] == ["2.16.02.2.01.0014"]
    assert client.get(url, {"tahun": 2027}).json()["results"] == []
    up = client.get(reverse("api-perencanaan-sub-kegiatan-pohon", args=[chain.sub.pk])).json()
    assert up["naik"][-1]["type"] == "rpjmd"


def test_the_api_nests_the_rpjmd_and_serves_the_pohon_kinerja_as_json(chain, city):
    client = login_as(Client(), city.staff_same)
    rpjmd = client.get(reverse("api-perencanaan-rpjmd-detail", args=[chain.rpjmd.pk])).json()
    sasaran = rpjmd["misi"][0]["tujuan"][0]["sasaran"][0]
    assert sasaran["kode"] == chain.sasaran.kode
    assert sasaran["indikator"][0]["target"] == [{"tahun": 2026, "target": "3.2000"}]
    tree = client.get(reverse("api-perencanaan-sasaran-pohon", args=[chain.sasaran.pk]), {"tahun": 2026}).json()
    kegiatan = tree["pohon"]["children"][0]["children"][0]["children"][0]
    assert {s["id"] for s in kegiatan["children"]} == {chain.sub.pk, chain.sub2.pk}
    bad = client.get(reverse("api-perencanaan-sasaran-pohon", args=[chain.sasaran.pk]), {"tahun": 2040})
    assert bad.status_code == 400 and "tahun" in bad.json()["error"]["details"]
    renstra = client.get(reverse("api-perencanaan-renstra-detail", args=[chain.renstra.pk])).json()
    assert [i["kode"] for i in renstra["items"]][:2] == ["2.16.03", "2.16.03.2.02"]
    inds = client.get(reverse("api-perencanaan-indikator-list"), {"renja_sub_kegiatan": chain.sub.pk}).json()
    assert [i["uraian"] for i in inds["results"]] == ["Jumlah layanan terintegrasi"]


def test_the_operator_draws_through_the_api(plan, city, operator):
    adopt_all(plan)
    client = login_as(Client(), city.staff_same)
    response = client.post(reverse("api-perencanaan-renja-tarik"), {"unit": city.dinas_a.pk, "tahun": 2026})
    assert response.status_code == 201
    body = response.json()
    assert sorted(body["created"]) == ["2.16.03.2.02.0023", "2.16.03.2.02.0025"]
    assert body["unmapped"][0]["kode"] == "2.16.03.2.02.0030"
    response = client.post(reverse("api-perencanaan-renja-tarik"), {"unit": city.dinas_a.pk, "tahun": 2031})
    assert response.status_code == 400 and "error" in response.json()
