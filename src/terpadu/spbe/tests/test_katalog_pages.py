"""Catalogue pages and API per persona: Diskominfo (admin-spbe) everywhere, an OPD operator its own entries,
pimpinan reads its OPD, others nothing. Bad input is a form error or a 4xx JSON error, never a half write."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terpadu.spbe.models import Aplikasi, AplikasiNasional, DataAplikasi, IntegrasiAplikasi
from terpadu.spbe.tests import katalog_fixtures
from terpadu.spbe.tests.katalog_fixtures import layanan_elemen, make_app

pytestmark = pytest.mark.django_db
katalog = katalog_fixtures.katalog


@pytest.fixture
def apps(katalog):
    alfa = make_app(katalog.dinas_a, nama="e-Office Alfa", fungsi_bisnis="Persuratan")
    beta = make_app(katalog.dinas_b, nama="Sistem Beta")
    ownerless = make_app(None, nama="Kios Tanpa Pemilik")
    return alfa, beta, ownerless


def names(response) -> set[str]:
    return {a.nama for a in response.context["page"].object_list}


def test_list_scope_per_persona(client, katalog, apps):
    alfa, beta, ownerless = apps
    url = reverse("spbe:aplikasi_list")
    assert names(login_as(client, katalog.admin).get(url)) == {alfa.nama, beta.nama, ownerless.nama}
    assert names(login_as(client, katalog.staff_same).get(url)) == {alfa.nama}  # own OPD, no ownerless apps
    assert names(login_as(client, katalog.pimpinan).get(url)) == {alfa.nama}
    assert login_as(client, katalog.staff_other).get(url).status_code == 403
    response = login_as(client, katalog.admin).get(url, {"flag": "tanpa_pemilik"})
    assert names(response) == {ownerless.nama}
    assert names(login_as(client, katalog.admin).get(url, {"q": "beta"})) == {beta.nama}
    flags = login_as(client, katalog.admin).get(reverse("spbe:aplikasi_flags"), {"flag": "duplikasi_umum"})
    assert [a.nama for a, _f in flags.context["page"].object_list] == [alfa.nama]


def test_the_list_queries_do_not_grow_with_its_rows(client, katalog, apps):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_as(client, katalog.admin)
    url = reverse("spbe:aplikasi_list")
    client.get(url)  # the first signed-in request also records session activity and computes the grants

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    few = count()
    umum = AplikasiNasional.objects.create(nama="SRIKANDI Uji", bidang="Kearsipan Dinamis", aplikasi_umum=True)
    for number in range(8):
        make_app(katalog.dinas_a if number % 2 else None, nama=f"Aplikasi Tambahan {number}", jenis="umum",
                 aplikasi_nasional=umum, status="operasi", hosting="dc_kota", time="tolerate",
                 tanggal_operasi=dt.date(2020, 1, 1), tanggal_dihentikan=None)  # fmt: skip
    html = client.get(url).content.decode()  # the new audit events also make the grants be recomputed once
    assert count() == few
    assert "Aplikasi Tambahan 7" in html and "SRIKANDI Uji" in html and katalog.dinas_a.nama in html


def test_the_list_rows_show_every_column_escaped(client, katalog):
    from html import escape

    from django.utils import translation
    from django.utils.text import Truncator

    from terpadu.spbe import services_katalog

    odd = make_app(katalog.dinas_a, nama='Sistem <b>& "Kutip"', bidang="Kearsipan Dinamis")  # duplicates SRIKANDI
    lapor = AplikasiNasional.objects.get(nama="SP4N-LAPOR!")
    umum = make_app(None, nama="Kanal Aduan Kota", jenis="umum", aplikasi_nasional=lapor, status="operasi",
                    tanggal_operasi=dt.date(2020, 1, 1), hosting="pdn", time="eliminate",
                    layanan=[layanan_elemen()])  # fmt: skip
    katalog.admin.language = "en"
    katalog.admin.save(update_fields=["language"])
    html = login_as(client, katalog.admin).get(reverse("spbe:aplikasi_list")).content.decode()
    unit = escape(katalog.dinas_a.singkatan or katalog.dinas_a.nama)
    assert (
        f'<tr>\n<td data-label="Application"><a href="/spbe/aplikasi/{odd.pk}/">Sistem &lt;b&gt;&amp; &quot;Kutip&quot;'
        '</a><div class="small text-secondary">Kearsipan Dinamis</div></td>\n'
        '<td data-label="Kind"><span class="badge bg-secondary-lt">khusus</span></td>\n'
        f'<td data-label="Owner OPD">{unit}</td>\n<td data-label="Status">Proposed</td>\n'
        '<td data-label="Hosting">—</td>\n<td data-label="TIME">—</td>\n'
    ) in html
    assert (
        f'<a href="/spbe/aplikasi/{umum.pk}/">Kanal Aduan Kota</a></td>\n'
        '<td data-label="Kind"><span class="badge bg-blue-lt">umum</span> <span class="small">SP4N-LAPOR!</span></td>\n'
        '<td data-label="Owner OPD">—</td>\n<td data-label="Status">In operation</td>\n'
        '<td data-label="Hosting">Pusat Data Nasional (PDN)</td>\n<td data-label="TIME">Eliminate</td>\n'
    ) in html
    with translation.override("en"):
        found = {a.pk: services_katalog.flags(a) for a in (odd, umum)}
    for flag in found[odd.pk] + found[umum.pk]:  # each a badge: the whole message as its title, cut at 60 characters
        note = ' <span class="text-secondary">(rule unconfirmed)</span>' if flag.unconfirmed else ""
        assert (
            f'title="{escape(flag.message)}" data-flag="{flag.code}">{escape(Truncator(flag.message).chars(60))}'
            f"{note}</span>"
        ) in html
    assert {f.code for f in found[odd.pk]} >= {"duplikasi_umum", "tanpa_layanan"}
    assert any(len(f.message) > 60 for f in found[odd.pk])  # the duplicate's message is cut
    assert "tanpa_layanan" not in {f.code for f in found[umum.pk]}  # the row knows its layanan
    assert any(f.unconfirmed for f in found[umum.pk])  # the audit period of an aplikasi umum is unconfirmed


def test_the_list_pages(client, katalog, monkeypatch):
    from terpadu.spbe import views_katalog

    monkeypatch.setattr(views_katalog, "PER_PAGE", 2)
    for number in range(5):
        make_app(katalog.dinas_a, nama=f"Aplikasi {number}")
    login_as(client, katalog.admin)
    url = reverse("spbe:aplikasi_list")

    def page(number):
        found = client.get(url, {"page": number, "status": "usulan"}).context["page"]
        return found.number, [a.nama for a in found.object_list], found.has_previous(), found.has_next

    assert page(1) == (1, ["Aplikasi 0", "Aplikasi 1"], False, True)
    assert page(2) == (2, ["Aplikasi 2", "Aplikasi 3"], True, True)
    assert page(3) == (3, ["Aplikasi 4"], True, False)
    assert page(4) == page(0) == page(10**30) == page(3)  # beyond the last page or below 1: the last page
    assert page("x") == page("") == page(1)  # not a number: the first
    html = client.get(url, {"page": 2, "status": "usulan"}).content.decode()
    assert "?status=usulan&page=1" in html and "?status=usulan&page=3" in html
    empty = client.get(url, {"q": "tidak ada", "page": 3}).context["page"]
    assert (empty.number, empty.object_list, empty.has_other_pages()) == (1, [], False)


def test_detail_and_edit_per_persona(client, katalog, apps):
    alfa, beta, _ownerless = apps
    login_as(client, katalog.staff_same)
    page = client.get(reverse("spbe:aplikasi_detail", args=[alfa.pk]))
    assert page.status_code == 200 and page.context["can_edit"]
    assert any(f.code == "duplikasi_umum" for f in page.context["temuan"])
    assert client.get(reverse("spbe:aplikasi_detail", args=[beta.pk])).status_code == 404
    assert client.get(reverse("spbe:aplikasi_edit", args=[beta.pk])).status_code == 404
    login_as(client, katalog.pimpinan)  # reads, does not change
    assert client.get(reverse("spbe:aplikasi_edit", args=[alfa.pk])).status_code == 403
    login_as(client, katalog.staff_same)
    form = client.get(reverse("spbe:aplikasi_edit", args=[alfa.pk]))
    assert "Kearsipan Dinamis" in form.context["bidang_list"]  # the bidang datalist
    data = {"nama": alfa.nama, "jenis": "khusus", "unit": katalog.dinas_a.pk, "fungsi_bisnis": "Persuratan",
            "status": "operasi", "tanggal_operasi": "2999-01-01", "publik": "on"}  # fmt: skip
    response = client.post(reverse("spbe:aplikasi_edit", args=[alfa.pk]), data)
    assert response.status_code == 200 and "tanggal_operasi" in response.context["form"].errors
    assert Aplikasi.objects.get(pk=alfa.pk).status == "usulan"
    data["tanggal_operasi"] = dt.date.today().isoformat()
    response = client.post(reverse("spbe:aplikasi_edit", args=[alfa.pk]), data)
    assert response.status_code == 302 and Aplikasi.objects.get(pk=alfa.pk).status == "operasi"


def test_create_as_operator_and_as_diskominfo(client, katalog):
    login_as(client, katalog.staff_same)
    data = {
        "nama": "Baru Alfa",
        "jenis": "khusus",
        "unit": katalog.dinas_b.pk,
        "fungsi_bisnis": "x",
        "status": "usulan",
    }
    response = client.post(reverse("spbe:aplikasi_create"), data)
    assert response.status_code == 200 and "unit" in response.context["form"].errors  # not its OPD
    data["unit"] = katalog.dinas_a.pk
    assert client.post(reverse("spbe:aplikasi_create"), data).status_code == 302
    login_as(client, katalog.admin)
    data = {"nama": "SRIKANDI Kota", "jenis": "umum", "fungsi_bisnis": "Naskah", "status": "usulan",
            "aplikasi_nasional": AplikasiNasional.objects.get(nama="SRIKANDI").pk}  # fmt: skip
    assert client.post(reverse("spbe:aplikasi_create"), data).status_code == 302  # ownerless: Diskominfo only
    assert Aplikasi.objects.get(nama="SRIKANDI Kota").unit is None
    login_as(client, katalog.pimpinan)
    assert client.get(reverse("spbe:aplikasi_create")).status_code == 403


def test_status_data_and_integration_pages(client, katalog, apps):
    alfa, beta, _ownerless = apps
    login_as(client, katalog.staff_same)
    response = client.post(reverse("spbe:aplikasi_status", args=[alfa.pk]), {"status": "operasi"})
    assert response.status_code == 302 and Aplikasi.objects.get(pk=alfa.pk).tanggal_operasi == dt.date.today()
    response = client.post(reverse("spbe:aplikasi_status", args=[alfa.pk]), {"status": "usulan"})
    assert response.status_code == 400 and "alasan" in response.context["form"].errors
    client.post(reverse("spbe:aplikasi_data_add", args=[alfa.pk]), {"nama": "Surat", "klasifikasi": "terbatas"})
    assert DataAplikasi.objects.filter(aplikasi=alfa).count() == 1
    client.post(reverse("spbe:aplikasi_integrasi_add", args=[alfa.pk]), {"ke": beta.pk, "metode": "splp"})
    assert IntegrasiAplikasi.objects.filter(dari=alfa, ke=beta).exists()
    response = client.post(reverse("spbe:aplikasi_integrasi_add", args=[beta.pk]), {"ke": alfa.pk, "metode": "api"})
    assert response.status_code == 404 and not IntegrasiAplikasi.objects.filter(dari=beta).exists()
    login_as(client, katalog.admin)
    detail = client.get(reverse("spbe:aplikasi_detail", args=[beta.pk]))
    assert [i.dari for i in detail.context["masuk"]] == [alfa]  # integrations both ways
    assert client.get(reverse("spbe:aplikasi_map")).context["edges"][0].ke == beta


def test_import_page_dry_run(client, katalog):
    login_as(client, katalog.staff_same)
    content = b"nama,jenis,unit,fungsi_bisnis\nImpor Alfa,khusus,400.1,Uji\nImpor Beta,khusus,400.2,Uji\n"
    upload = SimpleUploadedFile("aplikasi.csv", content, content_type="text/csv")
    response = client.post(reverse("spbe:aplikasi_import"), {"file": upload, "dry_run": "on"})
    report = response.context["report"]
    assert not report.ok and [(e.row, e.column) for e in report.errors] == [(3, "unit")]
    assert not Aplikasi.objects.exists()


def test_export_and_national_list(client, katalog, apps):
    login_as(client, katalog.staff_same)
    content = client.get(reverse("spbe:aplikasi_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "e-Office Alfa" in content and "Sistem Beta" not in content
    assert client.get(reverse("spbe:aplikasi_export"), {"format": "pdf"}).status_code == 400
    page = client.get(reverse("spbe:nasional_list"))
    lapor = next(n for n in page.context["items"] if n.nama == "SP4N-LAPOR!")
    assert lapor.badge and b"unconfirmed" in page.content
    overlap = client.get(reverse("spbe:aplikasi_overlap"), {"nama": "e-Surat", "bidang": "Kearsipan Dinamis"})
    assert overlap.context["rows"][0]["nama"] == "SRIKANDI"


def test_api_crud_and_errors(client, katalog, apps):
    alfa, beta, _ownerless = apps
    login_as(client, katalog.staff_same)
    listed = client.get("/api/v1/spbe/aplikasi/").json()
    assert [a["nama"] for a in listed["results"]] == [alfa.nama]
    assert any(f["code"] == "duplikasi_umum" for f in listed["results"][0]["flags"])
    bad = client.post("/api/v1/spbe/aplikasi/", {"nama": "X", "jenis": "khusus", "fungsi_bisnis": "x",
                      "unit": katalog.dinas_b.pk}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "unit" in bad.json()["error"]["details"]
    bad = client.post("/api/v1/spbe/aplikasi/", {"nama": "X", "jenis": "khusus", "fungsi_bisnis": "x",
                      "unit": katalog.dinas_a.pk, "status": "operasi"}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "tanggal_operasi" in bad.json()["error"]["details"]
    ok = client.post("/api/v1/spbe/aplikasi/", {"nama": "API Alfa", "jenis": "khusus", "fungsi_bisnis": "x",
                     "unit": katalog.dinas_a.pk}, content_type="application/json")  # fmt: skip
    assert ok.status_code == 201 and ok.json()["status"] == "usulan"
    pk = ok.json()["id"]
    patched = client.patch(f"/api/v1/spbe/aplikasi/{pk}/", {"hosting": "pdn"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["hosting"] == "pdn"
    assert client.patch(f"/api/v1/spbe/aplikasi/{beta.pk}/", {"hosting": "pdn"},
                        content_type="application/json").status_code == 404  # fmt: skip
    assert client.delete(f"/api/v1/spbe/aplikasi/{pk}/").status_code == 204
    assert client.get(f"/api/v1/spbe/aplikasi/{alfa.pk}/flags/").status_code == 200
    assert client.get("/api/v1/spbe/aplikasi/temuan/").json()["count"] == 1
    assert len(client.get("/api/v1/spbe/aplikasi-nasional/").json()["results"]) == AplikasiNasional.objects.count()
    login_as(client, katalog.pimpinan)
    denied = client.post("/api/v1/spbe/aplikasi/", {"nama": "P", "jenis": "khusus", "fungsi_bisnis": "x",
                         "unit": katalog.dinas_a.pk}, content_type="application/json")  # fmt: skip
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    login_as(client, katalog.staff_other)
    assert client.get("/api/v1/spbe/aplikasi/").status_code == 403


def test_layanan_linked_and_retired_refused(client, katalog):
    layanan = layanan_elemen("L.9", unit=katalog.dinas_a)
    retired = layanan_elemen("L.10", unit=katalog.dinas_a, status="dihentikan")
    app = make_app(katalog.dinas_a, nama="Berlayanan", layanan=[layanan])
    assert list(app.layanan.all()) == [layanan]
    with pytest.raises(Exception, match="retired"):
        make_app(katalog.dinas_a, nama="Pensiun", layanan=[retired])
    assert not Aplikasi.objects.filter(nama="Pensiun").exists()
