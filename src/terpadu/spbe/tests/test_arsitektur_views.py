"""Pages and API of the arsitektur part, per persona: operator-opd sees its own OPD's elements and roadmap items,
elements without an owner only whole-pemda; admin-spbe changes; bad input is a 4xx with a clear reason."""

from __future__ import annotations

import pytest
from conftest import login_as as _login_as
from django.urls import reverse

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.spbe import services_arsitektur as sa
from terpadu.spbe.models import ElemenArsitektur, PetaRencanaItem, RelasiElemen
from terpadu.spbe.tests import arsitektur_fixtures as fixtures
from terpadu.spbe.tests.arsitektur_fixtures import chain, make_elemen

pytestmark = pytest.mark.django_db
personas, arsi = fixtures.personas, fixtures.arsi


def login_as(client, user):
    """Signed in, pages in English (the source language the assertions read)."""
    from django.conf import settings

    type(user).objects.filter(pk=user.pk).update(language="en")
    _login_as(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def world(arsi):
    own = chain(arsi, "A")
    other = make_elemen(arsi, "layanan", "B-L", unit=arsi.city.dinas_b)
    orphan = make_elemen(arsi, "layanan", "N-L", unit="")
    with acting(None, via="command"):
        item_a = sa.simpan_rencana({"muatan": "aplikasi", "nama": "Item Alfa", "tahun": 2026, "tahun_selesai": 2027,
                                    "unit": arsi.city.dinas_a, "target_keluaran": "T", "perkiraan_biaya": "10",
                                    "elemen": [own["aplikasi"]]})  # fmt: skip
        item_b = sa.simpan_rencana({"muatan": "layanan", "nama": "Item Beta", "tahun": 2027, "unit": arsi.city.dinas_b,
                                    "target_keluaran": "T", "perkiraan_biaya": "20"})  # fmt: skip
    return {"arsi": arsi, "own": own, "other": other, "orphan": orphan, "item_a": item_a, "item_b": item_b}


def test_operator_sees_own_opd_only(client, world):
    city = world["arsi"].city
    login_as(client, city.staff_same)
    page = client.get(reverse("spbe:elemen_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "A-layanan" in text and "B-L" not in text and "N-L" not in text
    assert client.get(world["own"]["data"].get_absolute_url()).status_code == 200
    assert client.get(world["other"].get_absolute_url()).status_code == 404
    assert client.get(world["orphan"].get_absolute_url()).status_code == 404
    assert client.get(world["item_b"].get_absolute_url()).status_code == 404
    timeline = client.get(reverse("spbe:rencana_timeline")).content.decode()
    assert "Item Alfa" in timeline and "Item Beta" not in timeline
    assert client.get(reverse("spbe:referensi_list")).status_code == 200  # reference data: any spbe.view
    api = client.get(reverse("api-spbe-elemen-list")).json()
    assert {e["kode"] for e in api["results"]} == {f"A-{d}" for d in ("layanan", "proses_bisnis", "data", "aplikasi",
                                                                       "infrastruktur", "keamanan")}  # fmt: skip
    # operator-opd has no spbe.manage
    assert client.get(reverse("spbe:elemen_create", args=["layanan"])).status_code == 403
    response = client.post(reverse("api-spbe-elemen-list"), {"domain": "layanan"}, content_type="application/json")
    assert response.status_code == 403 and "error" in response.json()
    assert client.post(reverse("spbe:elemen_retire", args=[world["own"]["data"].pk])).status_code == 403


def test_admin_spbe_sees_everything_including_unowned(client, world):
    login_as(client, world["arsi"].city.admin)
    text = client.get(reverse("spbe:elemen_list")).content.decode()
    assert "B-L" in text and "N-L" in text
    assert client.get(world["orphan"].get_absolute_url()).status_code == 200
    matrix = client.get(reverse("spbe:elemen_matrix")).content.decode()
    assert "Dinas Beta" in matrix and "(no owner)" in matrix


def test_people_without_spbe_view_are_refused(client, world):
    login_as(client, world["arsi"].city.staff_same)  # has it; the plain pegawai below does not
    client.logout()
    from conftest import make_pegawai

    from terpadu.accounts import services as access
    from terpadu.organisasi import services as org

    with acting(None, via="command"):
        user = access.create_user("pegawai.biasa", "Rahasia-Uji-12345", pegawai=make_pegawai(org, "Pegawai Biasa"))
    login_as(client, user)
    assert client.get(reverse("spbe:elemen_list")).status_code == 403
    assert client.get(reverse("spbe:referensi_list")).status_code == 403
    assert client.get(reverse("api-spbe-referensi-list")).status_code == 403


def test_admin_creates_an_element_through_the_form(client, world):
    arsi = world["arsi"]
    login_as(client, arsi.city.admin)
    url = reverse("spbe:elemen_create", args=["data"])
    form = client.get(url).content.decode()
    assert "Sifat data" in form and "meta_jenis_data" in form
    bad = client.post(url, {"kode": "D-9", "nama": "Data baru", "uraian": "u", "status": "saat_ini",
                            "referensi": arsi.kode["RAD"].pk, "unit": arsi.city.dinas_b.pk})  # fmt: skip
    assert bad.status_code == 200 and "Sifat data is required" in bad.content.decode()
    assert not ElemenArsitektur.objects.filter(kode="D-9").exists()
    good = client.post(url, {"kode": "D-9", "nama": "Data baru", "uraian": "u", "status": "saat_ini",
                             "referensi": arsi.kode["RAD"].pk, "unit": arsi.city.dinas_b.pk,
                             "meta_sifat_data": "terbuka", "meta_produsen_data": "Dinas Beta"})  # fmt: skip
    elemen = ElemenArsitektur.objects.get(kode="D-9")
    assert good.status_code == 302 and elemen.metadata == {"sifat_data": "terbuka", "produsen_data": "Dinas Beta"}
    # link it from the detail page: proses bisnis → data is allowed, data → layanan is not
    link = client.post(reverse("spbe:relasi_create", args=[elemen.pk]),
                       {"arah": "masuk", "lain": world["own"]["proses_bisnis"].pk})  # fmt: skip
    assert link.status_code == 302 and RelasiElemen.objects.filter(ke=elemen).count() == 1
    wrong = client.post(reverse("spbe:relasi_create", args=[elemen.pk]),
                        {"arah": "keluar", "lain": world["own"]["layanan"].pk})  # fmt: skip
    assert wrong.status_code == 400 and "cannot be linked to a layanan element" in wrong.content.decode()
    detail = client.get(elemen.get_absolute_url()).content.decode()
    assert world["own"]["proses_bisnis"].nama in detail and world["own"]["layanan"].nama in detail  # up the chain


def test_api_crud_and_clear_errors(client, world):
    arsi = world["arsi"]
    login_as(client, arsi.city.admin)
    url = reverse("api-spbe-elemen-list")
    payload = {"domain": "aplikasi", "kode": "API-1", "nama": "Aplikasi API", "uraian": "u",
               "unit": arsi.city.dinas_a.pk, "referensi": arsi.kode["RAA"].kode,
               "metadata": {"fungsi": "x"}}  # fmt: skip
    created = client.post(url, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["referensi_kode"] == arsi.kode["RAA"].kode
    bad = client.post(url, {**payload, "kode": "API-2", "metadata": {"fungsi": "x", "rahasia": 1}},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "rahasia" in str(bad.json()["error"]["details"]["metadata"])
    typo = client.post(url, {**payload, "kode": "API-3", "nma": "x"}, content_type="application/json")
    assert typo.status_code == 400 and "nma" in str(typo.json()["error"])
    with acting(None, via="command"):
        retired = sa.tambah_kode_kota("RAA.02.02", "Pensiun")
        sa.pensiunkan_kode(retired)
    old = client.post(url, {**payload, "kode": "API-4", "referensi": retired.kode}, content_type="application/json")
    assert old.status_code == 400 and "retired reference code" in str(old.json()["error"]["details"]["referensi"])
    patch = client.patch(reverse("api-spbe-elemen-detail", args=[pk]), {"nama": "Nama baru"},
                         content_type="application/json")  # fmt: skip
    assert patch.status_code == 200 and patch.json()["nama"] == "Nama baru"
    assert ElemenArsitektur.objects.filter(kode__startswith="API-").count() == 1
    # links
    rel = reverse("api-spbe-relasi-list")
    ok = client.post(rel, {"dari": world["own"]["data"].pk, "ke": pk}, content_type="application/json")
    assert ok.status_code == 201
    dup = client.post(rel, {"dari": world["own"]["data"].pk, "ke": pk}, content_type="application/json")
    assert dup.status_code == 400 and "already linked" in str(dup.json())
    forbidden = client.post(rel, {"dari": pk, "ke": world["own"]["layanan"].pk}, content_type="application/json")
    assert forbidden.status_code == 400
    unknown = client.post(rel, {"dari": 999999, "ke": pk}, content_type="application/json")
    assert unknown.status_code == 400 and "Unknown architecture element" in str(unknown.json())
    # gap → need → roadmap through the API
    gap = client.post(reverse("api-spbe-kesenjangan-list"), {"elemen": pk, "uraian": "Belum terintegrasi"},
                      content_type="application/json")  # fmt: skip
    assert gap.status_code == 201
    need = client.post(reverse("api-spbe-kebutuhan-list"), {"kesenjangan": gap.json()["id"], "uraian": "Integrasi",
                                                            "unit": arsi.city.dinas_a.pk, "tahun_target": 2027},
                       content_type="application/json")  # fmt: skip
    assert need.status_code == 201
    item = client.post(reverse("api-spbe-rencana-list"), {"muatan": "aplikasi", "nama": "Integrasi API", "tahun": 2027,
                                                          "unit": arsi.city.dinas_a.pk, "target_keluaran": "1",
                                                          "perkiraan_biaya": "12.50", "elemen": [pk],
                                                          "kebutuhan": need.json()["id"]},
                       content_type="application/json")  # fmt: skip
    assert item.status_code == 201 and item.json()["perkiraan_biaya"] == "12.50"
    bad_item = client.post(reverse("api-spbe-rencana-list"), {"muatan": "dapur", "nama": "", "tahun": 2027,
                                                              "unit": arsi.city.dinas_a.pk, "target_keluaran": "1"},
                           content_type="application/json")  # fmt: skip
    assert bad_item.status_code == 400 and {"muatan", "nama"} <= set(bad_item.json()["error"]["details"])
    timeline = client.get(reverse("api-spbe-rencana-timeline"), {"tahun": 2027}).json()
    assert timeline["years"][0] <= 2027 and "aplikasi" in {s["muatan"] for s in timeline["sections"]}
    filtered = client.get(reverse("api-spbe-elemen-list"), {"domain": "aplikasi", "unit": arsi.city.dinas_a.pk}).json()
    assert {e["kode"] for e in filtered["results"]} == {"A-aplikasi", "API-1"}
    # delete refused while linked, retire instead
    refused = client.delete(reverse("api-spbe-elemen-detail", args=[pk]))
    assert refused.status_code == 400 and "retire it instead" in str(refused.json())
    retired_el = client.post(reverse("api-spbe-elemen-retire", args=[pk]))
    assert retired_el.status_code == 200 and retired_el.json()["status"] == "dihentikan"
    flagged = client.get(reverse("api-spbe-rencana-detail", args=[item.json()["id"]])).json()
    assert flagged["flags"]
    assert AuditEvent.objects.filter(object_type="spbe.elemenarsitektur", object_id=str(pk)).count() == 3


def test_timeline_page_and_exports(client, world):
    login_as(client, world["arsi"].city.admin)
    page = client.get(reverse("spbe:rencana_timeline")).content.decode()
    assert "--pr-years: 2" in page and "grid-column: 2 / 4" in page and "Item Beta" in page
    csv = client.get(reverse("spbe:rencana_export"), {"format": "csv"})
    assert csv.status_code == 200 and "Item Alfa" in csv.content.decode("utf-8-sig")
    assert client.get(reverse("spbe:rencana_export"), {"format": "pdf"}).status_code == 400
    sia = client.get(reverse("spbe:elemen_export"), {"domain": "keamanan"})
    assert sia.status_code == 200 and "Jenis objek keamanan" in sia.content.decode("utf-8-sig")
    assert client.get(reverse("spbe:elemen_export")).status_code == 400
    gaps = client.get(reverse("spbe:kesenjangan_list"))
    assert gaps.status_code == 200


def test_admin_manages_references_and_roadmap_pages(client, world):
    arsi = world["arsi"]
    login_as(client, arsi.city.admin)
    add = client.post(reverse("spbe:referensi_kode_create"), {"parent": "RAB.02.08", "nama": "Perizinan"})
    assert add.status_code == 302 and sa.referensi("RAB.02.08.01").nasional is False
    bad = client.post(reverse("spbe:referensi_kode_create"), {"parent": "RAB.02", "nama": "x"})
    assert bad.status_code == 200 and "level-1 code" in bad.content.decode()
    load = client.post(reverse("spbe:referensi_load"), {"tahun": 2024})
    assert load.status_code == 200 and "already exists" in load.content.decode()
    created = client.post(reverse("spbe:rencana_create"), {"muatan": "keamanan", "nama": "CSIRT", "tahun": 2026,
                                                            "unit": arsi.city.dinas_a.pk, "target_keluaran": "1",
                                                            "perkiraan_biaya": "5", "status": "rencana",
                                                            "elemen": [world["own"]["keamanan"].pk]})  # fmt: skip
    assert created.status_code == 302
    item = PetaRencanaItem.objects.get(nama="CSIRT")
    assert list(item.elemen.all()) == [world["own"]["keamanan"]]
    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.post(reverse("spbe:rencana_delete", args=[item.pk])).status_code == 302
    assert not PetaRencanaItem.objects.filter(nama="CSIRT").exists()


def test_demo_seed(city, monkeypatch):
    import datetime as dt

    from terpadu.spbe import demo_arsitektur as demo
    from terpadu.spbe.evidence_arsitektur import complete_chains

    units = {demo.DUKCAPIL: city.dinas_b}
    monkeypatch.setattr(demo, "_unit", lambda kode: units.get(kode, city.dinas_a))
    with acting(None, via="command"):
        demo.seed(dt.date(2026, 6, 1))
        demo.seed(dt.date(2026, 6, 1))  # idempotent
    assert ElemenArsitektur.objects.count() >= 30
    assert set(ElemenArsitektur.objects.values_list("domain", flat=True)) == {
        "layanan", "proses_bisnis", "data", "aplikasi", "infrastruktur", "keamanan"}  # fmt: skip
    assert complete_chains() >= 2
    items = PetaRencanaItem.objects.all()
    assert items.count() >= 20 and len(set(items.values_list("muatan", flat=True))) == 7
    years = set(items.values_list("tahun", flat=True)) | set(items.values_list("tahun_selesai", flat=True))
    assert min(years) == 2025 and max(years) == 2029
    assert demo.elemen("APL-01").referensi.nasional is False
    assert sa.flagged_rencana(items).get() == demo.rencana("Pengembangan e-Office lama")
    assert demo.referensi("RAL.02.01").level == 2
