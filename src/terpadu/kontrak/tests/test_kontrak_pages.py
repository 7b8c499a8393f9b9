"""Pages and API of the kontrak module for the people who use them: a PPK of Dinas Alfa (staff_same), the head of
Dinas Alfa (view only), staff of Dinas Beta (nothing). Bad input gets a form error or a 4xx JSON body, no record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import login_as
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from terpadu.core.models import AuditEvent
from terpadu.kontrak import services
from terpadu.kontrak.models import Adendum, Kontrak, Paket, Penyedia
from terpadu.kontrak.tests.conftest import ATK, PDF, SWITCH, make_ppk


@pytest.fixture
def ppk(city):
    return login_as(Client(), make_ppk(city.staff_same, city.dinas_a))


def test_ppk_records_a_package_a_contract_and_an_adendum_through_the_pages(city, chain, ppk, penyedia):
    start = ppk.get(reverse("kontrak:paket_create"))
    assert start.status_code == 200
    assert list(start.context["form"].fields["unit"].queryset) == [city.dinas_a]  # not Dinas Beta
    url = reverse("kontrak:paket_create") + f"?unit={city.dinas_a.pk}&tahun=2026"
    page = ppk.get(url)
    assert page.status_code == 200 and chain.dpa[SWITCH].kode_rekening in page.content.decode()
    line = chain.dpa[SWITCH]
    data = {"nama": "Switch", "metode": "tender", "jenis": "barang", "pagu": "60000000", f"dpa_{line.pk}": "60000000"}
    response = ppk.post(url, data)
    assert response.status_code == 200 and not Paket.objects.exists()
    assert line.kode in response.content.decode()  # the over-the-line error names the line
    response = ppk.post(url, dict(data, pagu="45000000", **{f"dpa_{line.pk}": "45000000"}))
    paket = Paket.objects.get()
    assert response.status_code == 302 and response["Location"] == paket.get_absolute_url()

    form = {
        "nomor": "027/SPK/2026",
        "tanggal": "2026-03-02",
        "penyedia": penyedia.pk,
        "jenis_kontrak": "lumsum",
        "nilai": "46000000",
        "mulai": "2026-03-03",
        "selesai": "2026-05-31",
        "dokumen": SimpleUploadedFile("k.pdf", PDF, content_type="application/pdf"),
    }
    response = ppk.post(reverse("kontrak:kontrak_create", args=[paket.pk]), form)
    assert response.status_code == 200 and not Kontrak.objects.exists()
    assert "Switch" in response.context["form"].errors["nilai"][0]
    form["dokumen"] = SimpleUploadedFile("k.pdf", PDF, content_type="application/pdf")
    response = ppk.post(reverse("kontrak:kontrak_create", args=[paket.pk]), dict(form, nilai="44000000"))
    kontrak = Kontrak.objects.get()
    assert response.status_code == 302 and kontrak.dokumen is not None
    assert ppk.get(reverse("kontrak:kontrak_dokumen", args=[kontrak.pk])).status_code == 200

    response = ppk.post(
        reverse("kontrak:adendum_create", args=[kontrak.pk]),
        {"jenis": "waktu", "nomor": "A1", "tanggal": "2026-04-01", "selesai": "2026-06-30", "alasan": "Cuaca"},
    )
    assert response.status_code == 302
    response = ppk.post(
        reverse("kontrak:termin_create", args=[kontrak.pk]),
        {"jenis": "termin", "persen_fisik": "100", "nilai": "50000000"},
    )
    assert response.status_code == 200 and not kontrak.termin.exists()
    ppk.post(
        reverse("kontrak:termin_create", args=[kontrak.pk]),
        {"jenis": "termin", "persen_fisik": "100", "nilai": "44000000"},
    )
    ppk.post(
        reverse("kontrak:jaminan_create", args=[kontrak.pk]),
        {"jenis": "pelaksanaan", "penerbit": "Bank", "nomor": "J1", "nilai": "2200000", "berlaku_sampai": "2026-07-31"},
    )
    detail = ppk.get(reverse("kontrak:kontrak_detail", args=[kontrak.pk]))
    assert detail.status_code == 200
    assert [t.nilai for t in detail.context["termin"]] == [Decimal("44000000")]
    assert detail.context["riwayat"][0]["perubahan"][0]["sesudah"] == "2026-06-30"
    for name in ("kontrak_list", "paket_list", "penyedia_list"):
        assert ppk.get(reverse(f"kontrak:{name}")).status_code == 200
    for name in ("kontrak_edit", "kontrak_status", "adendum_create", "kontrak_riwayat", "kontrak_ocds"):
        assert ppk.get(reverse(f"kontrak:{name}", args=[kontrak.pk])).status_code == 200, name
    export = ppk.get(reverse("kontrak:kontrak_export") + "?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].endswith("sheet")
    csv_text = ppk.get(reverse("kontrak:kontrak_export") + "?format=csv").content.decode("utf-8-sig")
    assert "027/SPK/2026" in csv_text and "44000000" in csv_text
    response = ppk.post(
        reverse("kontrak:kontrak_status", args=[kontrak.pk]),
        {"status": "selesai", "tanggal": "2026-06-30", "alasan": ""},
    )
    assert response.status_code == 200 and Kontrak.objects.get().status == "berjalan"


def test_penyedia_form_validates_npwp(city, ppk, penyedia):
    response = ppk.post(reverse("kontrak:penyedia_create"), {"nama": "PT X", "npwp": "12345"})
    assert response.status_code == 200 and "this one has 5" in response.context["form"].errors["npwp"][0]
    response = ppk.post(reverse("kontrak:penyedia_create"), {"nama": "PT X", "npwp": "01.234.567.8-901.000"})
    assert "CV Maju Jaya" in response.context["form"].errors["npwp"][0]
    response = ppk.post(reverse("kontrak:penyedia_create"), {"nama": "PT X", "npwp": "3201234567890001"})
    assert response.status_code == 302 and Penyedia.objects.filter(npwp="3201234567890001").exists()
    listing = ppk.get(reverse("kontrak:penyedia_list") + "?q=01.234.567")
    assert [p.nama for p in listing.context["page"].object_list] == ["CV Maju Jaya"]


def test_gate_per_persona(city, chain, kontrak):
    """pimpinan of Dinas Alfa reads but cannot change; staff of Dinas Beta sees nothing; a PPK of Dinas Beta
    sees Dinas Beta only; staff_same without the role sees nothing."""
    paket = kontrak.paket
    head = login_as(Client(), city.pimpinan)
    assert head.get(reverse("kontrak:kontrak_detail", args=[kontrak.pk])).status_code == 200
    assert head.get(reverse("kontrak:penyedia_list")).status_code == 200
    assert head.get(reverse("kontrak:kontrak_edit", args=[kontrak.pk])).status_code == 404
    assert head.get(reverse("kontrak:penyedia_create")).status_code == 403
    assert (
        head.post(
            reverse("api-kontrak-kontrak-status", args=[kontrak.pk]), {"status": "selesai", "alasan": "x"}
        ).status_code
        == 403
    )

    same = login_as(Client(), city.staff_same)
    assert same.get(reverse("kontrak:kontrak_list")).status_code == 403
    assert same.get(reverse("api-kontrak-kontrak-list")).status_code == 403

    other = login_as(Client(), make_ppk(city.staff_other, city.dinas_b))
    assert other.get(reverse("kontrak:kontrak_detail", args=[kontrak.pk])).status_code == 404
    assert other.get(reverse("kontrak:paket_edit", args=[paket.pk])).status_code == 404
    assert other.get(reverse("api-kontrak-kontrak-list")).json()["count"] == 0
    assert other.get(reverse("kontrak:penyedia_list")).status_code == 200  # suppliers are shared
    response = other.post(
        reverse("api-kontrak-termin-list"),
        {"kontrak": kontrak.pk, "persen_fisik": "10", "nilai": "1000"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "kontrak" in response.json()["error"]["details"]
    assert not kontrak.termin.exists()
    response = other.post(
        reverse("api-kontrak-paket-list"),
        {
            "unit": city.dinas_a.pk,
            "tahun": 2026,
            "nama": "X",
            "metode": "tender",
            "jenis": "barang",
            "alokasi": [{"dpa_baris": chain.dpa[ATK].pk, "nilai": "1000"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and Paket.objects.count() == 1
    anon = Client()
    assert anon.get(reverse("api-kontrak-penyedia-list")).status_code in (401, 403)


def test_api_writes_and_4xx_json_errors(city, chain, ppk, penyedia):
    line = chain.dpa[SWITCH]
    body = {
        "unit": city.dinas_a.pk,
        "tahun": 2026,
        "nama": "Switch API",
        "metode": "tender",
        "jenis": "barang",
        "pagu": "10000000",
        "alokasi": [{"dpa_baris": line.pk, "nilai": "9000000"}],
    }
    response = ppk.post(reverse("api-kontrak-paket-list"), body, content_type="application/json")
    assert response.status_code == 400 and "pagu" in response.json()["error"]["details"]
    body["alokasi"][0]["nilai"] = "10000000"
    response = ppk.post(reverse("api-kontrak-paket-list"), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    paket_id = response.json()["id"]
    kontrak = {
        "paket": paket_id,
        "nomor": "K-API",
        "tanggal": "2026-03-01",
        "penyedia": penyedia.pk,
        "jenis_kontrak": "lumsum",
        "nilai": "10000000.01",
        "mulai": "2026-03-02",
        "selesai": "2026-04-30",
    }
    response = ppk.post(reverse("api-kontrak-kontrak-list"), kontrak, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    response = ppk.post(
        reverse("api-kontrak-kontrak-list"), dict(kontrak, nilai="9500000"), content_type="application/json"
    )
    assert response.status_code == 201
    kontrak_id = response.json()["id"]
    url = reverse("api-kontrak-kontrak-adendum", args=[kontrak_id])
    response = ppk.post(
        url,
        {"jenis": "nilai", "nomor": "A1", "tanggal": "2026-03-10", "alasan": "Tambah", "nilai": "10000001"},
        content_type="application/json",
    )
    assert response.status_code == 400 and Adendum.objects.count() == 0
    response = ppk.post(
        url,
        {"jenis": "nilai", "nomor": "A1", "tanggal": "2026-03-10", "alasan": "Tambah", "nilai": "10000000"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["sesudah"] == {"nilai": "10000000.00"}
    history = ppk.get(reverse("api-kontrak-kontrak-riwayat", args=[kontrak_id])).json()
    assert [h["jenis"] for h in history] == ["nilai"]
    response = ppk.post(
        reverse("api-kontrak-kontrak-status", args=[kontrak_id]),
        {"status": "penghentian", "alasan": "Force majeure", "tanggal": "2026-04-01"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "penghentian"
    response = ppk.post(
        reverse("api-kontrak-penyedia-list"), {"nama": "PT Y", "npwp": "1"}, content_type="application/json"
    )
    assert response.status_code == 400 and "npwp" in response.json()["error"]["details"]
    listing = ppk.get(reverse("api-kontrak-paket-list") + "?status_kontrak=berkontrak&tahun=2026").json()
    assert [p["nama"] for p in listing["results"]] == ["Switch API"]
    assert (
        ppk.get(reverse("api-kontrak-kontrak-ocds", args=[kontrak_id])).json()["contracts"][0]["value"]["amount"]
        == "10000000.00"
    )
    assert AuditEvent.objects.filter(object_type="kontrak.kontrak", object_id=str(kontrak_id)).count() == 3


def test_sub_kegiatan_panel_lists_packages_and_contracts(city, chain, kontrak, rf):
    from terpadu.kontrak.views import sub_kegiatan_panel

    request = rf.get("/")
    request.user = city.pimpinan
    html = sub_kegiatan_panel(request, chain.sub)
    assert kontrak.nomor in html and kontrak.paket.nama in html
    assert sub_kegiatan_panel(request, chain.sub2) is None
    request.user = city.staff_other
    assert sub_kegiatan_panel(request, chain.sub) is None


def test_paket_list_filters(city, chain, paket, kontrak, ppk):
    services.create_paket(
        city.dinas_a,
        2026,
        {"nama": "ATK", "metode": "e_purchasing", "jenis": "barang"},
        [(chain.dpa[ATK], Decimal("1000000"))],
    )
    names = lambda query: [p.nama for p in ppk.get(reverse("kontrak:paket_list") + query).context["page"].object_list]  # noqa: E731
    assert names("?status_kontrak=belum") == ["ATK"]
    assert names("?status_kontrak=berkontrak") == [paket.nama]
    assert names("?metode=e_purchasing") == ["ATK"]
    assert names(f"?unit={city.dinas_b.pk}") == []
    assert sorted(names("?tahun=2026")) == sorted(["ATK", paket.nama])
    assert dt.date  # (dates in the fixtures are 2026)
