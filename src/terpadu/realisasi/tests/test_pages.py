"""Pages and API per persona: bud records SP2D pemda-wide, pimpinan sees its OPD, the OPD operator reports
progress (phone form with the camera), another OPD sees nothing; bad input gets a form error or a 4xx JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import login_as
from django.test import Client
from django.urls import reverse

from terpadu.core.context import acting
from terpadu.realisasi import services, views
from terpadu.realisasi.models import ProgresFisik, Sp2d
from terpadu.realisasi.tests.conftest import give_role

ATK = "5.1.02.01.01.0024"


@pytest.fixture
def booked(chain):
    with acting(None, via="command"):
        sp2d = services.book(dpa_baris=chain.dpa[ATK], nilai=1000, tanggal=dt.date(2026, 3, 1), nomor="P/1", uraian="x")
        other = services.book(
            dpa_baris=chain.dpa_b[ATK], nilai=500, tanggal=dt.date(2026, 3, 1), nomor="P/2", uraian="y"
        )
    return sp2d, other


def test_bud_records_an_sp2d_through_the_form(city, chain):
    give_role(city.staff_other, "bud")
    client = login_as(Client(), city.staff_other)
    assert client.get(reverse("realisasi:sp2d_create")).status_code == 200
    options = client.get(reverse("realisasi:dpa_options"), {"unit": city.dinas_a.pk, "tahun": 2026})
    assert chain.dpa[ATK].kode in options.content.decode()
    line = chain.dpa[ATK]
    data = {
        "nomor": "F/1", "tanggal": "2026-03-05", "jenis": "LS", "unit": city.dinas_a.pk, "uraian": "Form",
        "baris-TOTAL_FORMS": "3", "baris-INITIAL_FORMS": "0", "baris-MIN_NUM_FORMS": "1", "baris-MAX_NUM_FORMS": "50",
        "baris-0-baris": line.kode, "baris-0-nilai": "2500",
    }  # fmt: skip
    response = client.post(reverse("realisasi:sp2d_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    sp2d = Sp2d.objects.get(nomor="F/1")
    assert sp2d.dicatat_oleh == city.staff_other and sp2d.sumber == "manual"
    over = dict(data, nomor="F/2", **{"baris-0-nilai": str(line.pagu)})
    response = client.post(reverse("realisasi:sp2d_create"), over)
    assert response.status_code == 200 and line.kode in response.content.decode()
    assert not Sp2d.objects.filter(nomor="F/2").exists()
    unknown = dict(data, nomor="F/3", **{"baris-0-baris": "1.2.3"})
    assert "is not a DPA line" in client.post(reverse("realisasi:sp2d_create"), unknown).content.decode()
    # cancel from the detail page
    response = client.post(reverse("realisasi:sp2d_cancel", args=[sp2d.pk]), {"alasan": "Salah input"})
    assert response.status_code == 302
    sp2d.refresh_from_db()
    assert sp2d.dibatalkan is not None


def test_pimpinan_sees_its_opd_only_and_cannot_record(city, chain, booked):
    mine, theirs = booked
    client = login_as(Client(), city.pimpinan)
    listing = client.get(reverse("realisasi:sp2d_list"), {"tahun": 2026}).content.decode()
    assert "P/1" in listing and "P/2" not in listing
    assert client.get(reverse("realisasi:sp2d_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("realisasi:sp2d_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("realisasi:sp2d_create")).status_code == 403
    assert client.post(reverse("realisasi:sp2d_cancel", args=[mine.pk]), {"alasan": "x"}).status_code == 403
    lra = client.get(reverse("realisasi:lra"), {"tahun": 2026}).content.decode()
    assert city.dinas_a.nama in lra and city.dinas_b.nama not in lra
    detail = client.get(reverse("realisasi:lra"), {"tahun": 2026, "unit": city.dinas_a.pk}).content.decode()
    assert ATK in detail
    export = client.get(reverse("realisasi:lra_export"), {"tahun": 2026, "format": "csv"}).content.decode("utf-8-sig")
    assert ATK in export and "2.16.02.2.01.0014" not in export
    csv_export = client.get(reverse("realisasi:sp2d_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "P/1" in csv_export and "P/2" not in csv_export
    assert client.get(reverse("realisasi:progres_saya")).status_code == 403


def test_staff_without_role_is_refused(city, chain, booked):
    client = login_as(Client(), city.staff_same)
    assert client.get(reverse("realisasi:sp2d_list")).status_code == 403
    assert client.get(reverse("realisasi:progres_entry", args=[chain.sub.pk])).status_code == 404


def test_operator_reports_progress_on_the_phone_form(city, chain, upload):
    give_role(city.staff_same, "operator-opd", city.dinas_a)
    client = login_as(Client(), city.staff_same)
    mine = client.get(reverse("realisasi:progres_saya"), {"tahun": 2026}).content.decode()
    assert chain.sub.sub_kegiatan.kode in mine and chain.sub_b.sub_kegiatan.kode not in mine
    page = client.get(reverse("realisasi:progres_entry", args=[chain.sub.pk])).content.decode()
    assert 'accept="image/*"' in page and 'capture="environment"' in page and 'type="range"' in page
    url = reverse("realisasi:progres_entry", args=[chain.sub.pk])
    response = client.post(url, {"bulan": 3, "persen": "35", "narasi": "Kabel terpasang", "foto": [upload()]})
    assert response.status_code == 302
    progres = ProgresFisik.objects.get(sub_kegiatan=chain.sub, bulan=3)
    assert progres.persen == Decimal("35") and progres.foto.count() == 1
    foto = progres.foto.get()
    thumb = client.get(reverse("realisasi:foto_file", args=[foto.pk]), {"thumb": 1})
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    bad = client.post(url, {"bulan": 4, "persen": "20"})  # lower without a reason
    assert bad.status_code == 200 and "give the reason" in bad.content.decode()
    pdf = upload("x.jpg", b"%PDF-1.4 x", "image/jpeg")
    assert client.post(url, {"bulan": 4, "persen": "40", "foto": [pdf]}).status_code == 200
    assert not ProgresFisik.objects.filter(bulan=4).exists()
    # another OPD's sub kegiatan: not visible, no report
    assert client.get(reverse("realisasi:progres_entry", args=[chain.sub_b.pk])).status_code == 404
    # the panel for the perencanaan hub page
    html = client.get(reverse("realisasi:panel", args=[chain.sub.pk])).content.decode()
    assert "35" in html and "realisasi-panel" in html


def test_panel_callable_hides_from_other_opd(city, chain, rf):
    request = rf.get("/")
    request.user = city.staff_other
    assert views.sub_kegiatan_panel(request, chain.sub) is None
    request.user = city.pimpinan
    assert "realisasi-panel" in views.sub_kegiatan_panel(request, chain.sub)


def test_api(city, chain, booked):
    give_role(city.staff_other, "bud")
    client = login_as(Client(), city.staff_other)
    line = chain.dpa[ATK]
    body = {"nomor": "API/1", "tanggal": "2026-04-01", "jenis": "LS", "uraian": "api",
            "rincian": [{"dpa_baris": line.pk, "nilai": "100.00"}]}  # fmt: skip
    created = client.post("/api/v1/realisasi/sp2d/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["rincian"][0]["dpa_baris_kode"] == line.kode
    over = dict(body, nomor="API/2", rincian=[{"dpa_baris": line.pk, "nilai": str(line.pagu)}])
    refused = client.post("/api/v1/realisasi/sp2d/", over, content_type="application/json")
    assert refused.status_code == 400 and line.kode in str(refused.json()["error"])
    missing = client.post("/api/v1/realisasi/sp2d/", dict(body, nomor="API/3", rincian=[{"dpa_baris": 0, "nilai": 1}]),
                          content_type="application/json")  # fmt: skip
    assert missing.status_code == 400 and "error" in missing.json()
    listing = client.get("/api/v1/realisasi/sp2d/", {"tahun": 2026}).json()
    assert listing["count"] == 3
    per_line = client.get("/api/v1/realisasi/per-baris/", {"sub_kegiatan": chain.sub.pk}).json()["results"]
    atk = next(r for r in per_line if r["kode_rekening"] == ATK)
    assert Decimal(atk["realisasi"]) == Decimal("1100") and Decimal(atk["sisa"]) == line.pagu - 1100
    sp2d_pk = created.json()["id"]
    cancelled = client.post(
        f"/api/v1/realisasi/sp2d/{sp2d_pk}/batal/", {"alasan": "uji"}, content_type="application/json"
    )
    assert cancelled.status_code == 200 and cancelled.json()["dibatalkan"]
    assert client.get("/api/v1/realisasi/sp2d/ekspor/").status_code == 200
    # progress through the API: bud has no realisasi.progress
    progress = {"sub_kegiatan": chain.sub.pk, "bulan": 3, "persen": "10"}
    assert client.post("/api/v1/realisasi/progres/", progress, content_type="application/json").status_code == 403


def test_api_progress_for_operator(city, chain):
    give_role(city.staff_same, "operator-opd", city.dinas_a)
    client = login_as(Client(), city.staff_same)
    ok = client.post("/api/v1/realisasi/progres/", {"sub_kegiatan": chain.sub.pk, "bulan": 3, "persen": "10"},
                     content_type="application/json")  # fmt: skip
    assert ok.status_code == 201, ok.content
    other = client.post("/api/v1/realisasi/progres/", {"sub_kegiatan": chain.sub_b.pk, "bulan": 3, "persen": "10"},
                        content_type="application/json")  # fmt: skip
    assert other.status_code == 400 and "error" in other.json()
    bad = client.post("/api/v1/realisasi/progres/", {"sub_kegiatan": chain.sub.pk, "bulan": 3, "persen": "150"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert client.get("/api/v1/realisasi/progres/").json()["count"] == 1
    assert client.post("/api/v1/realisasi/sp2d/", {}, content_type="application/json").status_code == 403
