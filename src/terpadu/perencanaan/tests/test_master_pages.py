"""Nomenklatur pages, API and picker: who sees and who changes, and that changes go through the services."""

from __future__ import annotations

import pytest
from conftest import login_as
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terpadu.core.models import AuditEvent
from terpadu.perencanaan import services_master as master
from terpadu.perencanaan.models import Nomenklatur, PemetaanNomenklatur, VersiNomenklatur
from terpadu.perencanaan.tests import master_fixtures
from terpadu.perencanaan.tests.master_fixtures import TAHUN, csv_bytes, give_role

pytestmark = pytest.mark.django_db
city = master_fixtures.city
edition = master_fixtures.edition


@pytest.fixture
def perencana(city):
    return give_role(city.staff_other, "perencana")


def test_every_employee_sees_the_list_detail_and_export_but_cannot_change(client, city, edition):
    code = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0023")
    login_as(client, city.staff_same)
    page = client.get(reverse("perencanaan:nomenklatur_list"), {"tahun": TAHUN, "q": "Cerdas"})
    assert page.status_code == 200
    assert "2.16.03.2.02.0023" in page.content.decode() and "2.16.03.2.02.0021" not in page.content.decode()
    by_level = client.get(reverse("perencanaan:nomenklatur_list"), {"tahun": TAHUN, "level": "program"})
    assert "2.16.03" in by_level.content.decode() and "2.16.03.2.02.0023" not in by_level.content.decode()
    detail = client.get(reverse("perencanaan:nomenklatur_detail", args=[code.pk]))
    assert detail.status_code == 200 and "Where used" in detail.content.decode()
    export = client.get(reverse("perencanaan:nomenklatur_export"), {"tahun": TAHUN, "format": "csv"})
    assert export.status_code == 200 and b"kode_sub_kegiatan" in export.content
    assert client.get(reverse("perencanaan:nomenklatur_create"), {"tahun": TAHUN}).status_code == 403
    assert client.post(reverse("perencanaan:nomenklatur_retire", args=[code.pk])).status_code == 403
    assert client.get(reverse("perencanaan:nomenklatur_import")).status_code == 403
    code.refresh_from_db()
    assert code.aktif


def test_anonymous_is_sent_to_login(client, edition):
    response = client.get(reverse("perencanaan:nomenklatur_list"))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_perencana_creates_retires_and_maps_through_the_pages(client, city, edition, perencana):
    login_as(client, perencana)
    response = client.post(
        reverse("perencanaan:nomenklatur_create") + f"?tahun={TAHUN}",
        {"level": "sub_kegiatan", "kode": "2.16.03.2.02.0035", "nama": "Literasi SPBE", "parent_kode": ""},
    )
    assert response.status_code == 302
    made = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0035")
    assert AuditEvent.objects.filter(action="create", object_id=str(made.pk)).exists()
    bad = client.post(
        reverse("perencanaan:nomenklatur_create") + f"?tahun={TAHUN}",
        {"level": "sub_kegiatan", "kode": "2.16.03.2.02.35", "nama": "Bentuk salah", "parent_kode": ""},
    )
    assert bad.status_code == 200 and "not a valid" in bad.content.decode()
    client.post(reverse("perencanaan:nomenklatur_retire", args=[made.pk]))
    made.refresh_from_db()
    assert not made.aktif
    response = client.post(
        reverse("perencanaan:nomenklatur_versi_create"),
        {"tahun": TAHUN + 1, "nama": "Edisi baru", "dasar_hukum": "", "copy_from": edition.pk},
    )
    assert response.status_code == 302
    new = VersiNomenklatur.objects.get(tahun=TAHUN + 1)
    assert not Nomenklatur.objects.filter(versi=new, kode="2.16.03.2.02.0035").exists()
    worklist = client.get(reverse("perencanaan:nomenklatur_pemetaan"), {"dari": TAHUN, "ke": TAHUN + 1})
    assert worklist.status_code == 200
    old = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0023")
    copy = Nomenklatur.objects.get(versi=new, kode="2.16.03.2.02.0023")
    mapping = PemetaanNomenklatur.objects.get(dari=old, ke=copy)
    client.post(reverse("perencanaan:nomenklatur_pemetaan_delete", args=[mapping.pk]))
    page = client.get(reverse("perencanaan:nomenklatur_pemetaan"), {"dari": TAHUN, "ke": TAHUN + 1})
    assert "2.16.03.2.02.0023" in page.content.decode()
    client.post(
        reverse("perencanaan:nomenklatur_pemetaan_create"),
        {"dari_tahun": TAHUN, "ke_tahun": TAHUN + 1, "dari": "2.16.03.2.02.0023", "ke": "2.16.03.2.02.0023"},
    )
    assert master.map_forward(old, TAHUN + 1) == copy


def test_import_page_reports_a_dry_run_and_row_errors(client, city, edition, perencana):
    login_as(client, perencana)
    header = ["level", "code", "name", "parent_code"]
    good = csv_bytes(header, [["sub_kegiatan", "2.16.03.2.02.0040", "Baru", "2.16.03.2.02"]])
    response = client.post(
        reverse("perencanaan:nomenklatur_import"),
        {"versi": edition.pk, "file": SimpleUploadedFile("n.csv", good, "text/csv"), "dry_run": "on"},
    )
    assert response.status_code == 200 and "Nothing was written" in response.content.decode()
    assert not Nomenklatur.objects.filter(kode="2.16.03.2.02.0040").exists()
    bad = csv_bytes(header, [["sub_kegiatan", "2.16.03.2.02.0041", "Baru", "2.16.09.2.02"]])
    response = client.post(
        reverse("perencanaan:nomenklatur_import"),
        {"versi": edition.pk, "file": SimpleUploadedFile("n.csv", bad, "text/csv")},
    )
    content = response.content.decode()
    assert "1 problem found" in content and "parent_code" in content
    response = client.post(
        reverse("perencanaan:nomenklatur_import"),
        {"versi": edition.pk, "file": SimpleUploadedFile("n.csv", good, "text/csv")},
    )
    assert "Imported: 1 created" in response.content.decode()
    assert Nomenklatur.objects.filter(versi=edition, kode="2.16.03.2.02.0040").exists()


def test_api_lists_a_year_and_exports(client, city, edition):
    login_as(client, city.staff_other)
    response = client.get("/api/v1/perencanaan/nomenklatur/", {"tahun": TAHUN, "level": "sub_kegiatan"})
    assert response.status_code == 200
    codes = [row["kode"] for row in response.json()["results"]]
    assert codes == ["2.16.03.2.02.0021", "2.16.03.2.02.0023"]
    export = client.get("/api/v1/perencanaan/nomenklatur/export/", {"tahun": TAHUN, "shape": "flat", "fmt": "xlsx"})
    assert export.status_code == 200 and export.content[:2] == b"PK"
    export = client.get("/api/v1/perencanaan/nomenklatur/export/", {"tahun": TAHUN, "shape": "flat"})
    assert export.content.decode("utf-8-sig").startswith("level,code,name")
    wrong = client.get("/api/v1/perencanaan/nomenklatur/export/", {"tahun": TAHUN, "fmt": "pdf"})
    assert wrong.status_code == 400 and "error" in wrong.json()
    client.logout()
    assert client.get("/api/v1/perencanaan/nomenklatur/").status_code in (401, 403)


def test_sub_kegiatan_picker_offers_current_codes_in_use(client, city, edition):
    from terpadu.core import pickers

    with_retired = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0021")
    from terpadu.core.context import acting

    with acting(None, via="command"):
        master.retire_kode(master.NOMENKLATUR, with_retired)
    options = pickers.options(city.staff_same, "sub_kegiatan", "2.16.03")
    labels = [label for _pk, label in options]
    assert labels == ["2.16.03.2.02.0023 — Kota Cerdas"]
    login_as(client, city.staff_same)
    response = client.get(reverse("core:pick", args=["sub_kegiatan"]), {"q": "Cerdas"})
    assert response.status_code == 200 and "2.16.03.2.02.0023" in response.content.decode()
