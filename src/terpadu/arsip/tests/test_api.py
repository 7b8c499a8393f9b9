"""The arsip API: scoped reads, actions through the services, JSON errors."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.test import Client

from terpadu.arsip import services
from terpadu.arsip.models import Berkas, IsiBerkas
from terpadu.arsip.tests.conftest import make_arsiparis, make_naskah


@pytest.fixture
def arsiparis(city):
    make_arsiparis(city.staff_same, city.dinas_a)
    return login_as(Client(), city.staff_same)


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["status"] == status and body["code"] and body["message"]
    return body


def test_klasifikasi_filter_by_prefix_and_edition(city, klasifikasi):
    client = login_as(Client(), city.staff_other)
    rows = client.get("/api/v1/arsip/klasifikasi/", {"prefix": "000"}).json()["results"]
    assert {r["kode"] for r in rows} == {"000", "000.1.5"}
    assert all("jra_lengkap" in r and "keyakinan" in r for r in rows)
    versi = klasifikasi["000"].versi_id
    assert client.get("/api/v1/arsip/klasifikasi/", {"versi": versi}).json()["count"] == 3
    assert Client().get("/api/v1/arsip/klasifikasi/").status_code in (401, 403)


def test_berkas_create_confirm_and_close(city, klasifikasi, jenis, arsiparis):
    rapat = klasifikasi["000.1.5"]
    created = arsiparis.post(
        "/api/v1/arsip/berkas/",
        {"unit": city.bidang_a.pk, "klasifikasi": rapat.pk, "uraian": "Rapat API", "tahun": 2025},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    berkas_id = created.json()["id"]
    assert created.json()["nomor"] == 1
    naskah = make_naskah(city.bidang_a, city.pegawai_same, rapat, jenis["nota_dinas"], isi={"kegiatan": "Rapat API"})
    item = services.propose_for(naskah, city.bidang_a)
    assert item.berkas_id == berkas_id
    confirmed = arsiparis.post(f"/api/v1/arsip/berkas/{berkas_id}/confirm/", {}, content_type="application/json")
    assert confirmed.json()["confirmed"] == 1
    item.refresh_from_db()
    assert item.status == IsiBerkas.Status.DIKONFIRMASI
    closed = arsiparis.post(f"/api/v1/arsip/berkas/{berkas_id}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "aktif"
    again = arsiparis.post(f"/api/v1/arsip/berkas/{berkas_id}/close/")
    _error(again, 400)


def test_berkas_api_errors_are_json(city, klasifikasi, arsiparis):
    rapat = klasifikasi["000.1.5"]
    _error(arsiparis.post("/api/v1/arsip/berkas/", {"uraian": ""}, content_type="application/json"), 400)
    other_unit = arsiparis.post(
        "/api/v1/arsip/berkas/",
        {"unit": city.dinas_b.pk, "klasifikasi": rapat.pk, "uraian": "Bukan unitku"},
        content_type="application/json",
    )
    assert "unit" in _error(other_unit, 400)["details"]
    assert not Berkas.objects.exists()
    beta = services.create_berkas(None, {"unit": city.dinas_b, "klasifikasi": rapat, "uraian": "Beta"})
    _error(arsiparis.get(f"/api/v1/arsip/berkas/{beta.pk}/"), 404)
    _error(arsiparis.post(f"/api/v1/arsip/berkas/{beta.pk}/close/"), 404)
    _error(login_as(Client(), city.staff_other).get("/api/v1/arsip/berkas/"), 403)


def test_retention_summary_and_list(city, klasifikasi, arsiparis, freeze_today):
    rapat = klasifikasi["000.1.5"]
    berkas = services.create_berkas(
        None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "Lama", "tahun": 2019}
    )
    services.close_berkas(berkas, on=dt.date(2019, 6, 1))
    freeze_today(dt.date(2026, 1, 1))
    services.run_retention_clock()
    summary = arsiparis.get("/api/v1/arsip/retensi/ringkasan/").json()
    assert summary["usul_musnah"] == 1 and summary["aktif"] == 0
    rows = arsiparis.get("/api/v1/arsip/retensi/", {"status": "usul_musnah"}).json()["results"]
    assert [r["id"] for r in rows] == [berkas.pk]
    assert arsiparis.get("/api/v1/arsip/berita-acara/").json()["count"] == 0


def test_a_berita_acara_through_the_api(city, klasifikasi, arsiparis, freeze_today, pdf_upload):
    rapat = klasifikasi["000.1.5"]
    berkas = services.create_berkas(
        None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "Lama", "tahun": 2019}
    )
    services.close_berkas(berkas, on=dt.date(2019, 6, 1))
    beta = services.create_berkas(None, {"unit": city.dinas_b, "klasifikasi": rapat, "uraian": "Beta", "tahun": 2019})
    services.close_berkas(beta, on=dt.date(2019, 6, 1))
    freeze_today(dt.date(2026, 1, 1))
    services.run_retention_clock()
    data = {"jenis": "pemusnahan", "nomor": "BA/API/1", "tanggal": "2025-12-01", "dasar": "Persetujuan"}
    foreign = arsiparis.post("/api/v1/arsip/berita-acara/", {**data, "berkas": [beta.pk], "dokumen": pdf_upload()})
    assert "berkas" in _error(foreign, 400)["details"]
    bad_pdf = arsiparis.post(
        "/api/v1/arsip/berita-acara/", {**data, "berkas": [berkas.pk], "dokumen": pdf_upload("x.pdf", b"nope")}
    )
    assert "dokumen" in _error(bad_pdf, 400)["details"]
    created = arsiparis.post("/api/v1/arsip/berita-acara/", {**data, "berkas": [berkas.pk], "dokumen": pdf_upload()})
    assert created.status_code == 201, created.content
    assert created.json()["berkas"] == [berkas.pk] and len(created.json()["dokumen_sha256"]) == 64
    berkas.refresh_from_db()
    assert berkas.status == Berkas.Status.MUSNAH
    _error(login_as(Client(), city.pimpinan).post("/api/v1/arsip/berita-acara/", data), 403)
