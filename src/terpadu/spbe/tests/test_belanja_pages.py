"""ICT spending pages and API per persona: unit scope, registering DPA lines from the suggestion list, links,
the unlinked list, aggregates with exports, import; bad input is a form error or a 4xx JSON, never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import login_as
from django.urls import reverse

from terpadu.spbe.models import BelanjaTik
from terpadu.spbe.tests.belanja_usulan_helpers import architecture, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def who(city, client, settings):
    from terpadu.accounts.models import User

    found = personas(city)
    User.objects.update(language="en")  # the pages are read in the English source texts
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for user in vars(found).values():
        user.refresh_from_db()
    return found


def _line(unit, tahun=2025, nilai="100", **kw):
    return BelanjaTik.objects.create(
        tahun=tahun,
        unit=unit,
        uraian=kw.pop("uraian", "Laptop"),
        kategori="perangkat_keras",
        nilai=Decimal(nilai),
        **kw,
    )


def test_each_opd_sees_its_own_spending(client, city, who):
    mine, theirs = _line(city.dinas_a, uraian="Laptop Alfa"), _line(city.dinas_b, uraian="Modem Beta")
    login_as(client, who.opd_b)
    page = client.get(reverse("spbe:belanja_list")).content.decode()
    assert "Modem Beta" in page and "Laptop Alfa" not in page
    assert client.get(reverse("spbe:belanja_detail", args=[mine.pk])).status_code == 404
    api = client.get("/api/v1/spbe/belanja/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [r["id"] for r in rows] == [theirs.pk]
    login_as(client, who.kominfo)
    page = client.get(reverse("spbe:belanja_list")).content.decode()
    assert "Modem Beta" in page and "Laptop Alfa" in page


def test_dpa_registration_page_and_edit_links(client, chain, city, who):
    arch = architecture(city)
    login_as(client, who.opd_a)
    url = reverse("spbe:belanja_dpa") + f"?tahun={chain.tahun}"
    page = client.get(url).content.decode()
    switch = chain.dpa["5.2.02.10.02.0004"]
    assert switch.kode in page and chain.dpa_b["5.1.02.01.01.0024"].kode not in page  # own OPD only
    response = client.post(url, {"tahun": chain.tahun, "dpa": [switch.pk], "kategori": "", "elemen": arch.infra.pk})
    assert response.status_code == 302
    line = BelanjaTik.objects.get(dpa_baris=switch)
    assert line.kategori == "perangkat_keras" and line.elemen == arch.infra and line.jumlah == switch.pagu
    again = client.post(url, {"tahun": chain.tahun, "dpa": [switch.pk]})
    assert again.status_code == 200 and BelanjaTik.objects.count() == 1  # no longer proposed: unknown/taken
    edit = reverse("spbe:belanja_edit", args=[line.pk])
    bad = client.post(edit, {"uraian": "Switch", "kategori": "perangkat_keras", "elemen": arch.retired.pk})
    assert bad.status_code == 200, bad
    assert "Server lama" in bad.content.decode().split("invalid-feedback")[1], bad.content.decode()[-3000:]
    ok = client.post(edit, {"uraian": "Switch", "kategori": "perangkat_keras", "elemen": arch.infra.pk,
                            "peta_rencana": arch.rencana_infra.pk, "nilai": "1"})  # fmt: skip
    assert ok.status_code == 302
    line.refresh_from_db()
    assert line.peta_rencana == arch.rencana_infra and line.nilai is None  # the DPA amount is not typed
    # the same through the API: an OPD of another unit cannot change it
    login_as(client, who.opd_b)
    patch = client.patch(f"/api/v1/spbe/belanja/{line.pk}/", {"aplikasi": None}, content_type="application/json")
    assert patch.status_code == 404 and "error" in patch.json()


def test_unlinked_list_rekap_and_exports(client, city, who):
    arch = architecture(city)
    linked = _line(city.dinas_a, nilai="300", elemen=arch.app_el, peta_rencana=arch.rencana, uraian="Terpetakan")
    _line(city.dinas_b, nilai="100", uraian="Lonely")
    login_as(client, who.kominfo)
    page = client.get(reverse("spbe:belanja_unlinked")).content.decode()
    assert "Lonely" in page and "Terpetakan" not in page
    rekap = client.get(reverse("spbe:belanja_rekap"))
    assert rekap.status_code == 200 and "echarts.min.js" in rekap.content.decode()
    xlsx = client.get(reverse("spbe:belanja_rekap") + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    listing = client.get(reverse("spbe:belanja_list") + "?tahun=2025&format=xlsx")
    assert listing.status_code == 200 and listing.content[:2] == b"PK"
    api = client.get("/api/v1/spbe/belanja/rekap/?by=domain").json()
    assert {r["elemen__domain"]: r["total"] for r in api["rows"]} == {"aplikasi": "300.00", None: "100.00"}
    assert api["ringkasan"]["persen"] == "75.00"
    assert client.get("/api/v1/spbe/belanja/rekap/?by=warna").status_code == 400
    assert linked.pk


def test_entered_line_and_import_pages(client, city, who):
    login_as(client, who.opd_a)
    bad = client.post(reverse("spbe:belanja_create"), {"tahun": 2024, "unit": city.dinas_a.pk, "uraian": "Lisensi",
                                                       "kategori": "perangkat_lunak", "nilai": "0"})  # fmt: skip
    assert bad.status_code == 200 and "more than zero" in bad.content.decode()
    ok = client.post(reverse("spbe:belanja_create"), {"tahun": 2024, "unit": city.dinas_a.pk, "uraian": "Lisensi",
                                                      "kategori": "perangkat_lunak", "nilai": "5000000"})  # fmt: skip
    assert ok.status_code == 302
    from django.core.files.uploadedfile import SimpleUploadedFile

    garbage = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = client.post(reverse("spbe:belanja_import"), {"berkas": garbage, "dry_run": "on"})
    assert response.status_code == 200 and BelanjaTik.objects.count() == 1
    csv = f"tahun,kode_unit,uraian,kategori,nilai\n2024,{city.dinas_a.kode},Modem,konektivitas,abc\n".encode()
    response = client.post(reverse("spbe:belanja_import"), {"berkas": SimpleUploadedFile("b.csv", csv)})
    assert response.status_code == 200 and "not a number" in response.content.decode()
    assert BelanjaTik.objects.count() == 1


def test_viewer_cannot_write(client, city, who):
    line = _line(city.dinas_a)
    login_as(client, who.viewer)
    assert client.get(reverse("spbe:belanja_detail", args=[line.pk])).status_code == 200
    assert client.get(reverse("spbe:belanja_create")).status_code == 403
    assert client.get(reverse("spbe:belanja_edit", args=[line.pk])).status_code == 403
    assert client.post(reverse("spbe:belanja_delete", args=[line.pk])).status_code == 403
    response = client.post("/api/v1/spbe/belanja/daftar-dpa/", {"dpa_baris": [1]}, content_type="application/json")
    assert response.status_code == 403 and "error" in response.json()
    assert BelanjaTik.objects.filter(pk=line.pk).exists()
