"""The public SPBE pages and their open API: only final assessments, only public catalogue fields, no login."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from terpadu.core import registry
from terpadu.spbe import publik
from terpadu.spbe.models import Aplikasi, DataAplikasi, Domain, ElemenArsitektur, NilaiIndikator, Penilaian

pytestmark = pytest.mark.django_db

API = "/api/v1/publik/spbe/"
PAGE = "/transparansi/spbe/"
APLIKASI_COLUMNS = [
    "id", "nama", "singkatan", "jenis", "jenis_label", "unit_id", "unit_nama", "fungsi_bisnis", "layanan", "url",
    "hosting", "hosting_label", "status", "status_label", "sejak",
]  # fmt: skip
INDEKS_COLUMNS = [
    "id", "kerangka", "kerangka_nama", "tahun", "jenis", "jenis_label", "indeks", "predikat", "keputusan", "sumber",
    "dikunci",
]  # fmt: skip

# What must never leave the building, whatever the page or format.
SECRET_JUSTIFIKASI = "Justifikasi internal yang tidak boleh bocor"
SECRET_TEKNOLOGI = "Laravel 8.83.27 / PHP 7.4.33"
SECRET_DATA = "NIK dan KK penduduk"
SECRET_PENGGUNA = "Operator loket lantai dua"
AUDIT_DATE = dt.date(2019, 11, 29)


@pytest.fixture
def kerangka(db):
    from terpadu.core.context import acting
    from terpadu.spbe import services_evaluasi as sv

    with acting(None, via="command"):
        return {k.kode: k for k, _o in sv.muat_semua()}


def _mandiri(kerangka, tahun, status, indeks, scores: dict[int, str], unit=None, asesor=None):
    """A self-assessment written directly (the evaluasi part's services are proven by its own tests)."""
    p = Penilaian.objects.create(
        kerangka=kerangka, tahun=tahun, jenis=Penilaian.Jenis.MANDIRI, status=status, indeks=Decimal(indeks),
        predikat="Baik" if status == Penilaian.Status.TERKUNCI else "",
        dikunci=timezone.now() if status == Penilaian.Status.TERKUNCI else None,
    )  # fmt: skip
    for ind in kerangka.indikator.order_by("nomor"):
        NilaiIndikator.objects.create(
            penilaian=p, indikator=ind, nilai=Decimal(scores.get(ind.nomor, "1")), unit=unit, asesor=asesor,
            justifikasi=SECRET_JUSTIFIKASI, status=NilaiIndikator.Status.DITERIMA,
        )  # fmt: skip
    return p


@pytest.fixture
def riwayat(city, kerangka):
    from terpadu.core.context import acting
    from terpadu.spbe import services_evaluasi as sv

    spbe, pemdi = kerangka["SPBE_2020"], kerangka["PEMDI_2026"]
    with acting(None, via="command"):
        resmi = sv.catat_hasil_resmi(
            spbe, 2024, "2.87654321", keputusan="KepmenPANRB 99/2024", sumber="https://example.test/hasil-2024"
        )
    locked = _mandiri(spbe, 2025, Penilaian.Status.TERKUNCI, "2.61000000", {1: "3", 2: "3", 3: "2"},
                      unit=city.dinas_a, asesor=city.pegawai_same)  # fmt: skip
    draft = _mandiri(pemdi, 2026, Penilaian.Status.DRAFT, "4.44440000", {})
    review = _mandiri(spbe, 2023, Penilaian.Status.REVIEW, "4.33330000", {})
    return {"resmi": resmi, "locked": locked, "draft": draft, "review": review}


def _layanan(kode, nama):
    return ElemenArsitektur.objects.create(domain=Domain.LAYANAN, kode=kode, nama=nama)


@pytest.fixture
def katalog(city):
    perizinan = _layanan("L-01", "Perizinan berusaha")
    common = dict(
        teknologi=SECRET_TEKNOLOGI, audit_keamanan_terakhir=AUDIT_DATE, time=Aplikasi.Time.INVEST,
        pengguna=SECRET_PENGGUNA, hosting=Aplikasi.Hosting.DC_KOTA,
    )  # fmt: skip
    operasi = Aplikasi.objects.create(
        nama="Sistem Perizinan Terpadu", singkatan="SIPETA", jenis=Aplikasi.Jenis.KHUSUS, unit=city.dinas_a,
        fungsi_bisnis="Perizinan usaha dan non usaha", url="https://izin.example.test", status=Aplikasi.Status.OPERASI,
        tanggal_operasi=dt.date(2021, 3, 1), **common,
    )  # fmt: skip
    operasi.layanan.add(perizinan)
    DataAplikasi.objects.create(aplikasi=operasi, nama=SECRET_DATA, klasifikasi=DataAplikasi.Klasifikasi.PRIBADI)
    dev = Aplikasi.objects.create(
        nama="Aplikasi Pajak Daerah", jenis=Aplikasi.Jenis.KHUSUS, unit=city.dinas_b, fungsi_bisnis="Pajak",
        url="https://staging-pajak.example.test", status=Aplikasi.Status.PENGEMBANGAN, **common,
    )  # fmt: skip
    hidden = Aplikasi.objects.create(
        nama="Dasbor Internal Rahasia", jenis=Aplikasi.Jenis.KHUSUS, unit=city.dinas_a, fungsi_bisnis="Internal",
        status=Aplikasi.Status.OPERASI, publik=False, **common,
    )  # fmt: skip
    usulan = Aplikasi.objects.create(
        nama="Usulan Aplikasi Parkir", jenis=Aplikasi.Jenis.KHUSUS, unit=city.dinas_a, fungsi_bisnis="Parkir",
        status=Aplikasi.Status.USULAN, **common,
    )  # fmt: skip
    stopped = Aplikasi.objects.create(
        nama="Aplikasi Lama Dihentikan", jenis=Aplikasi.Jenis.KHUSUS, unit=city.dinas_b, fungsi_bisnis="Lama",
        status=Aplikasi.Status.DIHENTIKAN, tanggal_dihentikan=dt.date(2022, 1, 1), **common,
    )  # fmt: skip
    umum = Aplikasi.objects.create(
        nama="SRIKANDI", jenis=Aplikasi.Jenis.UMUM, unit=city.dinas_b, fungsi_bisnis="Tata naskah dinas elektronik",
        status=Aplikasi.Status.OPERASI, hosting=Aplikasi.Hosting.NASIONAL, url="https://srikandi.example.test",
    )  # fmt: skip
    return {"operasi": operasi, "dev": dev, "hidden": hidden, "usulan": usulan, "stopped": stopped, "umum": umum}


def _assert_no_secrets(text: str) -> None:
    for secret in (
        SECRET_JUSTIFIKASI, SECRET_TEKNOLOGI, "7.4.33", SECRET_DATA, SECRET_PENGGUNA, "2019-11-29", "29 November 2019",
        "29/11/2019", "Dasbor Internal Rahasia", "Usulan Aplikasi Parkir", "Aplikasi Lama Dihentikan",
        "staging-pajak", "Staf Alfa",
    ):  # fmt: skip
        assert secret not in text, secret


def _shown(value: str, html: str) -> bool:
    """A number on a page: '2.61' in English, '2,61' in Indonesian (the default for anonymous visitors)."""
    return value in html or value.replace(".", ",") in html


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# -- index history ---------------------------------------------------------------------------------------------


def test_only_locked_and_official_assessments_are_public(client, riwayat):
    rows = client.get(f"{API}indeks/").json()
    assert {(r["kerangka"], r["tahun"], r["jenis"]) for r in rows} == {
        ("SPBE_2020", 2024, "resmi"),
        ("SPBE_2020", 2025, "mandiri"),
    }
    resmi = next(r for r in rows if r["jenis"] == "resmi")
    assert resmi["indeks"] == "2.88"  # display rounding of 2.87654321
    assert resmi["keputusan"] == "KepmenPANRB 99/2024"
    assert resmi["sumber"] == "https://example.test/hasil-2024"
    assert resmi["predikat"] == riwayat["resmi"].predikat and resmi["predikat"]
    mandiri = next(r for r in rows if r["jenis"] == "mandiri")
    assert mandiri["keputusan"] == "" and mandiri["sumber"] == ""
    assert list(rows[0]) == INDEKS_COLUMNS


def test_the_index_page_labels_self_assessments_and_hides_drafts(client, riwayat):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert _shown("2.88", html) and _shown("2.61", html)
    assert not _shown("4.44", html) and not _shown("4.33", html)  # draft and under-review indices
    assert 'data-jenis="mandiri"' in html and 'data-jenis="resmi"' in html
    assert "KepmenPANRB 99/2024" in html
    assert 'id="chart-indeks"' in html and "vendor/echarts/echarts.min.js" in html
    _assert_no_secrets(html)


def test_the_breakdown_is_of_the_latest_locked_self_assessment(client, riwayat):
    from terpadu.spbe import services_evaluasi as sv

    rincian = publik.rincian_terakhir()
    assert rincian["penilaian"]["id"] == riwayat["locked"].pk
    expected = sv.hitung(riwayat["locked"])
    assert [a["tampil"] for a in rincian["aspek"]] == [a["tampil"] for a in expected["aspek"]]
    assert len(rincian["domain"]) == len(expected["domain"]) > 0
    assert set(rincian["aspek"][0]) == {"kode", "nama", "bobot", "tampil", "domain"}
    html = client.get(PAGE).content.decode()
    assert 'id="rincian"' in html
    assert _shown(str(expected["aspek"][0]["tampil"]), html)


def test_frameworks_are_separate_series_with_a_break_between_them(city, kerangka):
    from terpadu.core.context import acting
    from terpadu.spbe import services_evaluasi as sv

    with acting(None, via="command"):
        sv.catat_hasil_resmi(kerangka["SPBE_2020"], 2024, "3.10")
        sv.catat_hasil_resmi(kerangka["PEMDI_2026"], 2026, "2.40")
    _mandiri(kerangka["SPBE_2020"], 2025, Penilaian.Status.TERKUNCI, "3.00", {})
    series = publik.riwayat()
    assert [s["kode"] for s in series] == ["SPBE_2020", "PEMDI_2026"]
    chart = publik.chart(series)
    assert chart["years"] == ["2024", "2025", "2026"]
    by_name = {
        line["name"].split(" — ")[0] + ("/resmi" if line["resmi"] else "/mandiri"): line for line in chart["lines"]
    }
    assert by_name["SPBE_2020/resmi"]["data"] == [3.1, None, None]
    assert by_name["SPBE_2020/mandiri"]["data"] == [None, 3.0, None]
    assert by_name["PEMDI_2026/resmi"]["data"] == [None, None, 2.4]  # its own line, never joined to SPBE 2020
    assert chart["boundaries"] == [{"tahun": 2026, "label": "PEMDI_2026"}]


def test_no_assessment_yet(client, city):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert client.get(f"{API}indeks/").json() == []
    assert client.get(f"{API}ringkasan/").json()["terbaru"] is None


def test_the_indeks_csv_has_the_json_columns(client, riwayat):
    rows = _csv(client.get(f"{API}indeks.csv"))
    assert list(rows[0]) == INDEKS_COLUMNS
    assert {(r["tahun"], r["jenis"]) for r in rows} == {("2024", "resmi"), ("2025", "mandiri")}
    assert _csv(client.get(f"{API}indeks/", {"format": "csv"})) == rows


# -- application catalogue -------------------------------------------------------------------------------------


def test_the_catalogue_lists_public_apps_in_operation_and_labelled_development(client, katalog):
    html = client.get(f"{PAGE}aplikasi/").content.decode()
    assert "Sistem Perizinan Terpadu" in html and "SRIKANDI" in html
    assert "Aplikasi Pajak Daerah" in html
    assert f'data-aplikasi="{katalog["dev"].pk}" data-status="pengembangan"' in html  # labelled by its status
    _assert_no_secrets(html)


def test_the_catalogue_json_has_only_public_fields(client, katalog):
    data = client.get(f"{API}aplikasi/").json()
    assert data["count"] == 3
    names = {r["nama"] for r in data["results"]}
    assert names == {"Sistem Perizinan Terpadu", "SRIKANDI", "Aplikasi Pajak Daerah"}
    row = next(r for r in data["results"] if r["singkatan"] == "SIPETA")
    assert list(row) == APLIKASI_COLUMNS
    assert row["layanan"] == ["Perizinan berusaha"]
    assert row["url"] == "https://izin.example.test" and row["sejak"] == "2021-03-01"
    assert row["unit_nama"] == "Dinas Alfa" and row["hosting"] == "dc_kota"
    dev = next(r for r in data["results"] if r["nama"] == "Aplikasi Pajak Daerah")
    assert dev["status"] == "pengembangan" and dev["url"] == "" and dev["sejak"] is None
    _assert_no_secrets(str(data))
    for field in ("teknologi", "audit_keamanan_terakhir", "time", "pengguna", "data", "klasifikasi", "publik"):
        assert field not in row


def test_the_catalogue_csv_has_the_json_columns_and_every_row(client, katalog):
    response = client.get(f"{API}aplikasi.csv")
    rows = _csv(response)
    assert list(rows[0]) == APLIKASI_COLUMNS
    assert {r["nama"] for r in rows} == {"Sistem Perizinan Terpadu", "SRIKANDI", "Aplikasi Pajak Daerah"}
    _assert_no_secrets(response.content.decode("utf-8-sig"))
    web = client.get(f"{PAGE}aplikasi/", {"format": "csv"})
    assert _csv(web) == rows


def test_the_detail_page_and_json(client, katalog):
    a = katalog["operasi"]
    html = client.get(f"{PAGE}aplikasi/{a.pk}/").content.decode()
    assert "Sistem Perizinan Terpadu" in html and "Perizinan berusaha" in html and "https://izin.example.test" in html
    _assert_no_secrets(html)
    data = client.get(f"{API}aplikasi/{a.pk}/").json()
    assert data["nama"] == "Sistem Perizinan Terpadu" and list(data) == APLIKASI_COLUMNS


@pytest.mark.parametrize("name", ["hidden", "usulan", "stopped"])
def test_non_public_applications_are_not_found(client, katalog, name):
    pk = katalog[name].pk
    assert client.get(f"{PAGE}aplikasi/{pk}/").status_code == 404
    response = client.get(f"{API}aplikasi/{pk}/")
    assert response.status_code == 404
    assert "error" in response.json()


def test_search_and_filters(client, katalog, city):
    def names(**params):
        return {r["nama"] for r in client.get(f"{API}aplikasi/", params).json()["results"]}

    assert names(q="perizinan") == {"Sistem Perizinan Terpadu"}
    assert names(q="berusaha") == {"Sistem Perizinan Terpadu"}  # through the served layanan
    assert names(q="parkir") == set()  # a proposal is never found
    assert names(jenis="umum") == {"SRIKANDI"}
    assert names(unit=city.dinas_b.pk) == {"SRIKANDI", "Aplikasi Pajak Daerah"}
    assert names(status="pengembangan") == {"Aplikasi Pajak Daerah"}
    assert names(hosting="nasional") == {"SRIKANDI"}
    html = client.get(f"{PAGE}aplikasi/", {"q": "srikandi"}).content.decode()
    assert "SRIKANDI" in html and "Sistem Perizinan Terpadu" not in html


def test_bad_filters_are_clear_errors(client, katalog):
    response = client.get(f"{API}aplikasi/", {"status": "usulan"})
    assert response.status_code == 400
    assert "status" in str(response.json()["error"])
    response = client.get(f"{API}aplikasi.csv", {"unit": "bukan-angka"})
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert client.get(f"{PAGE}aplikasi/", {"status": "dihentikan"}).status_code == 200  # form error, not a 500


# -- landing page, anonymous access, schema --------------------------------------------------------------------


def test_the_landing_section_shows_the_latest_index_and_the_catalogue_size(client, riwayat, katalog):
    assert any(s.key == "spbe" for s in registry.PUBLIC_SECTIONS)
    html = client.get("/").content.decode()
    assert 'id="spbe-title"' in html
    assert _shown("2.61", html)  # the 2025 locked self-assessment is newer than the 2024 official result
    ringkasan = client.get(f"{API}ringkasan/").json()
    assert ringkasan["terbaru"]["tahun"] == 2025 and ringkasan["terbaru"]["jenis"] == "mandiri"
    assert ringkasan["katalog"] == {"jumlah": 3, "operasi": 2, "pengembangan": 1}
    assert ringkasan["rincian"]["penilaian"]["tahun"] == 2025


def test_anonymous_visitors_get_everything_without_login(client, riwayat, katalog):
    a = katalog["operasi"]
    for url in (PAGE, f"{PAGE}aplikasi/", f"{PAGE}aplikasi/{a.pk}/", f"{API}indeks/", f"{API}indeks.csv",
                f"{API}aplikasi/", f"{API}aplikasi.csv", f"{API}aplikasi/{a.pk}/", f"{API}ringkasan/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url


def test_anonymous_visitors_read_indonesian(riwayat):
    from django.test import Client

    response = Client().get(PAGE)  # a first visit: no language cookie (the module's tests set English)
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


def test_the_openapi_schema_still_generates(client, katalog):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    for path in ("/api/v1/publik/spbe/aplikasi/", "/api/v1/publik/spbe/indeks/", "/api/v1/publik/spbe/ringkasan/"):
        assert path in schema


def test_the_opd_filter_includes_applications_of_its_sub_units(client, city):
    Aplikasi.objects.create(
        nama="Aplikasi Bidang", jenis=Aplikasi.Jenis.KHUSUS, unit=city.bidang_a, fungsi_bisnis="Uji",
        status=Aplikasi.Status.OPERASI,
    )  # fmt: skip
    rows = client.get(f"{API}aplikasi/", {"unit": city.dinas_a.pk}).json()["results"]
    assert [r["nama"] for r in rows] == ["Aplikasi Bidang"]
    assert client.get(f"{API}aplikasi/", {"unit": city.dinas_b.pk}).json()["count"] == 0
