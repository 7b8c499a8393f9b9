"""Kode rekening and standar harga pages, API and pickers: anggaran.view in any scope reads them,
anggaran.configure changes them."""

from __future__ import annotations

import pytest
from conftest import login_as
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terpadu.anggaran import services_master as anggaran
from terpadu.anggaran.models import KodeRekening, StandarHarga, VersiRekening
from terpadu.core import pickers
from terpadu.core.context import acting
from terpadu.perencanaan.tests import master_fixtures
from terpadu.perencanaan.tests.master_fixtures import TAHUN, csv_bytes, give_role

pytestmark = pytest.mark.django_db
city = master_fixtures.city
rekening_edition = master_fixtures.rekening_edition


@pytest.fixture
def ssh(rekening_edition):
    with acting(None, via="command"):
        item, _created = anggaran.save_standar_harga(
            TAHUN,
            {
                "kode": "SSH.1",
                "uraian": "Kertas HVS",
                "satuan": "rim",
                "harga": "1250000",
                "rekening": "5.1.02.01.01.0025",
            },
        )
    return item


def test_unit_scoped_viewer_reads_everything_others_are_refused(client, city, rekening_edition, ssh):
    code = KodeRekening.objects.get(versi=rekening_edition, kode="5.1.02.01.01.0024")
    login_as(client, city.pimpinan)  # anggaran.view over Dinas Alfa only
    page = client.get(reverse("anggaran:rekening_list"), {"tahun": TAHUN})
    assert page.status_code == 200 and "5.1.02.01.01.0024" in page.content.decode()
    assert client.get(reverse("anggaran:rekening_detail", args=[code.pk])).status_code == 200
    listing = client.get(reverse("anggaran:ssh_list"), {"tahun": TAHUN, "q": "kertas"})
    assert listing.status_code == 200 and "1,250,000.00" in listing.content.decode()
    assert client.get(reverse("anggaran:ssh_detail", args=[ssh.pk])).status_code == 200
    export = client.get(reverse("anggaran:ssh_export"), {"tahun": TAHUN, "format": "csv"})
    assert export.status_code == 200 and b"SSH.1" in export.content
    assert client.get(reverse("anggaran:ssh_import")).status_code == 403
    assert client.get("/api/v1/anggaran/standar-harga/", {"tahun": TAHUN}).json()["results"][0]["harga"] == "1250000.00"
    api = client.get("/api/v1/anggaran/kode-rekening/", {"tahun": TAHUN, "level": "sub_rincian_objek"})
    assert [r["kode"] for r in api.json()["results"]] == ["5.1.02.01.01.0024", "5.1.02.01.01.0025"]
    assert all(r["dapat_dianggarkan"] for r in api.json()["results"])
    client.logout()
    login_as(client, city.staff_same)  # no anggaran.view
    assert client.get(reverse("anggaran:rekening_list")).status_code == 403
    assert client.get(reverse("anggaran:ssh_detail", args=[ssh.pk])).status_code == 403
    denied = client.get("/api/v1/anggaran/kode-rekening/")
    assert denied.status_code == 403 and "error" in denied.json()


def test_pickers_offer_budgetable_codes_and_items_to_an_opd_operator(city, rekening_edition, ssh):
    operator = give_role(city.staff_same, "operator-opd", city.dinas_a)
    labels = [label for _pk, label in pickers.options(operator, "rekening", "5.1.02")]
    assert labels == ["5.1.02.01.01.0024 — ATK", "5.1.02.01.01.0025 — Kertas dan Cover"]
    items = [label for _pk, label in pickers.options(operator, "standar_harga", "Kertas")]
    assert len(items) == 1 and items[0].startswith("SSH.1 — Kertas HVS / rim")
    assert pickers.options(city.staff_other, "rekening", "5.1") == []


def test_admin_anggaran_imports_prices_and_manages_editions(client, city, rekening_edition):
    admin = give_role(city.staff_other, "admin-anggaran")
    login_as(client, admin)
    data = csv_bytes(
        ["kode", "uraian", "spesifikasi", "satuan", "harga", "kode_rekening"],
        [["SSH.9", "Map", "", "buah", "3500", "5.1.02.01.01"]],
    )
    response = client.post(
        reverse("anggaran:ssh_import"), {"tahun": TAHUN, "file": SimpleUploadedFile("s.csv", data, "text/csv")}
    )
    assert "1 problem found" in response.content.decode() and "kode_rekening" in response.content.decode()
    assert not StandarHarga.objects.exists()
    response = client.post(
        reverse("anggaran:rekening_versi_create"),
        {"tahun": TAHUN + 1, "nama": "Kode rekening baru", "dasar_hukum": "", "copy_from": rekening_edition.pk},
    )
    assert response.status_code == 302
    new = VersiRekening.objects.get(tahun=TAHUN + 1)
    assert KodeRekening.objects.filter(versi=new).count() == KodeRekening.objects.filter(versi=rekening_edition).count()
    code = KodeRekening.objects.get(versi=new, kode="5.1.02.01.01.0025")
    response = client.post(reverse("anggaran:rekening_edit", args=[code.pk]), {"nama": "Kertas", "keyakinan": "local"})
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.nama == "Kertas"
    client.post(reverse("anggaran:rekening_retire", args=[code.pk]))
    with pytest.raises(Exception, match="unknown or retired"):
        anggaran.rekening(TAHUN + 1, "5.1.02.01.01.0025")
    worklist = client.get(reverse("anggaran:rekening_pemetaan"), {"dari": TAHUN, "ke": TAHUN + 1})
    assert worklist.status_code == 200
