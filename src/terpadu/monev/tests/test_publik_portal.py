"""The public transparency portal and its open API: published figures, what is never published, exceptions."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terpadu.monev import publik, services_publik
from terpadu.monev.tests.publik_fixtures import PNG, except_item, make_kontrak, make_progres, make_realisasi

pytestmark = pytest.mark.django_db

API = "/api/v1/publik/anggaran/"
SUB_COLUMNS = [
    "tahun", "unit_id", "unit_kode", "unit_nama", "pagu", "realisasi", "persen_realisasi", "persen_fisik", "id",
    "unit_singkatan", "kode_program", "nama_program", "kode_kegiatan", "nama_kegiatan", "kode_sub_kegiatan",
    "nama_sub_kegiatan", "sumber_pagu", "bulan_fisik", "lokasi", "sumber_dana",
]  # fmt: skip


def _dpa_total(*lines: dict) -> Decimal:
    return sum((b.pagu for d in lines for b in d.values()), Decimal(0))


@pytest.fixture
def ledger(chain, settings, tmp_path):
    """Realisation, progress and contracts on top of the chain."""
    settings.MEDIA_ROOT = tmp_path
    atk = chain.dpa["5.1.02.01.01.0024"]
    switch = chain.dpa["5.2.02.10.02.0004"]
    make_realisasi(atk, "1500000", bulan=2)
    make_realisasi(switch, "25000000", bulan=4)
    make_realisasi(chain.dpa2["5.1.02.01.01.0052"], "3000000", bulan=3)
    make_realisasi(chain.dpa_b["5.1.02.01.01.0024"], "700000", bulan=5)
    make_progres(chain.sub, 3, "20")
    make_progres(chain.sub, 5, "45", foto=True)
    make_progres(chain.sub2, 4, "30")
    kontrak = make_kontrak(switch, "48000000", penyedia="PT Jaringan Nusantara", adendum=2)
    kontrak_b = make_kontrak(chain.dpa_b["5.1.02.01.01.0024"], "5000000", penyedia="CV Relasi Media")
    return {"kontrak": kontrak, "kontrak_b": kontrak_b}


def _rows(client, name, **params):
    params.setdefault("tahun", 2026)
    response = client.get(f"{API}{name}/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _csv(client, name, **params):
    params.setdefault("tahun", 2026)
    response = client.get(f"{API}{name}.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# -- figures ---------------------------------------------------------------------------------------------


def test_published_figures_are_the_sums_of_the_ledger(client, chain, ledger):
    subs = {r["kode_sub_kegiatan"]: r for r in _rows(client, "sub-kegiatan")}
    sub = subs["2.16.03.2.02.0023"]
    assert Decimal(sub["pagu"]) == _dpa_total(chain.dpa)
    assert Decimal(sub["realisasi"]) == Decimal("26500000")
    assert sub["sumber_pagu"] == "dpa"
    assert Decimal(sub["persen_fisik"]) == Decimal("45") and sub["bulan_fisik"] == 5  # the latest month
    expected_pct = (Decimal("26500000") * 100 / _dpa_total(chain.dpa)).quantize(Decimal("0.01"))
    assert Decimal(sub["persen_realisasi"]) == expected_pct

    programs = {(r["unit_kode"], r["kode_program"]): r for r in _rows(client, "program")}
    alfa = programs[(chain.sub.unit.kode, "2.16.03")]
    assert Decimal(alfa["pagu"]) == _dpa_total(chain.dpa, chain.dpa2)
    assert Decimal(alfa["realisasi"]) == Decimal("29500000")
    assert alfa["jumlah_sub_kegiatan"] == 2
    # physical progress rolled up weighted by pagu
    pagu1, pagu2 = _dpa_total(chain.dpa), _dpa_total(chain.dpa2)
    weighted = ((pagu1 * 45 + pagu2 * 30) / (pagu1 + pagu2)).quantize(Decimal("0.01"))
    assert Decimal(alfa["persen_fisik"]) == weighted

    ringkasan = client.get(f"{API}ringkasan/", {"tahun": 2026}).json()
    assert Decimal(ringkasan["total"]["pagu"]) == _dpa_total(chain.dpa, chain.dpa2, chain.dpa_b)
    assert Decimal(ringkasan["total"]["realisasi"]) == Decimal("30200000")
    assert ringkasan["dikecualikan"]["jumlah_sub_kegiatan"] == 0
    assert 2026 in ringkasan["tahun_tersedia"]


def test_a_cancelled_sp2d_offset_by_its_reversing_row_is_not_counted(client, chain):
    from terpadu.realisasi.models import Realisasi

    original = make_realisasi(chain.dpa["5.1.02.01.01.0024"], "900000", bulan=2)
    fields = {"membatalkan": original} if hasattr(Realisasi, "membatalkan") else {}
    Realisasi.objects.create(
        sp2d=original.sp2d, dpa_baris=original.dpa_baris, sub_kegiatan=original.sub_kegiatan, unit=original.unit,
        tahun=original.tahun, bulan=2, nilai=Decimal("-900000"), **fields,
    )  # fmt: skip
    subs = {r["kode_sub_kegiatan"]: r for r in _rows(client, "sub-kegiatan")}
    assert Decimal(subs["2.16.03.2.02.0023"]["realisasi"]) == 0


def test_before_the_dpa_the_renja_indicative_ceiling_is_shown_and_said_so(client, chain):
    from terpadu.perencanaan.models import RenjaSubKegiatan

    extra = RenjaSubKegiatan.objects.create(
        renja=chain.sub_b.renja, unit=chain.sub_b.unit, tahun=2026, sub_kegiatan=chain.kode["2.16.03.2.02.0021"],
        kode_program="2.16.03", kode_kegiatan="2.16.03.2.02", pagu_indikatif=Decimal("75000000"),
    )  # fmt: skip
    subs = {r["id"]: r for r in _rows(client, "sub-kegiatan")}
    assert subs[extra.pk]["sumber_pagu"] == "renja"
    assert Decimal(subs[extra.pk]["pagu"]) == Decimal("75000000")
    opd = {r["unit_id"]: r for r in _rows(client, "opd")}
    assert opd[chain.sub_b.unit_id]["jumlah_pagu_indikatif"] == 1
    page = client.get(reverse("transparansi:sub_kegiatan", args=[extra.pk]))
    assert "Indicative ceiling (Renja)" in page.content.decode()


def test_drafts_rka_under_verification_and_tapd_notes_are_never_published(client, chain, city):
    from terpadu.anggaran.models import RincianBelanja, Rka
    from terpadu.perencanaan.models import Renja, RenjaSubKegiatan

    chain.rka.catatan_verifikasi = "CATATAN-TAPD-RAHASIA"
    chain.rka.save()
    RincianBelanja.objects.filter(rka=chain.rka).update(catatan_verifikasi="BARIS-TAPD-RAHASIA")
    draft = Renja.objects.create(unit=city.dinas_b, tahun=2027, status="draft")
    draft_sub = RenjaSubKegiatan.objects.create(
        renja=draft, unit=city.dinas_b, tahun=2027, sub_kegiatan=chain.kode["2.16.02.2.01.0014"],
        kode_program="2.16.02", kode_kegiatan="2.16.02.2.01", pagu_indikatif=Decimal("123456789"),
    )  # fmt: skip
    Rka.objects.create(tahap=chain.tahap, sub_kegiatan=draft_sub, unit=city.dinas_b, tahun=2027, status="diajukan")

    assert _rows(client, "sub-kegiatan", tahun=2027) == []
    assert client.get(reverse("transparansi:sub_kegiatan", args=[draft_sub.pk])).status_code == 404
    assert 2027 not in publik.years()
    pages = [
        client.get(reverse("transparansi:sub_kegiatan", args=[chain.sub.pk])),
        client.get(reverse("transparansi:opd", args=[2026, chain.sub.unit_id])),
        client.get(f"{API}sub-kegiatan/", {"tahun": 2026}),
        client.get(f"{API}sub-kegiatan.csv", {"tahun": 2026}),
    ]
    for response in pages:
        body = response.content.decode("utf-8-sig")
        assert response.status_code == 200
        assert "TAPD-RAHASIA" not in body
        assert "123456789" not in body


# -- pages ----------------------------------------------------------------------------------------------------


def test_anonymous_visitors_see_every_page_in_bahasa_indonesia(client, chain, ledger):
    client.cookies.clear()
    urls = [
        reverse("transparansi:index"),
        reverse("transparansi:overview", args=[2026]),
        reverse("transparansi:opd", args=[2026, chain.sub.unit_id]),
        reverse("transparansi:sub_kegiatan_list", args=[2026]) + "?kode=2.16.03",
        reverse("transparansi:kontrak_list", args=[2026]),
        reverse("transparansi:sub_kegiatan", args=[chain.sub.pk]),
        reverse("transparansi:kontrak", args=[ledger["kontrak"].pk]),
        reverse("transparansi:pengecualian", args=[2026]),
        reverse("portal:home"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="id">' in response.content.decode(), url


def test_the_sub_kegiatan_page_shows_indicators_dpa_lines_contracts_months_and_photos(client, chain, ledger):
    body = client.get(reverse("transparansi:sub_kegiatan", args=[chain.sub.pk])).content.decode()
    assert chain.indikator_sub.uraian in body
    for kode in chain.dpa:
        assert kode in body
    assert "PT Jaringan Nusantara" in body
    foto = chain.sub.progres_fisik.get(bulan=5).foto.get()
    assert reverse("transparansi:foto", args=[foto.pk]) in body
    assert "Pekerjaan berjalan" in body


def test_the_contract_page_shows_the_addendum_history(client, ledger):
    body = client.get(reverse("transparansi:kontrak", args=[ledger["kontrak"].pk])).content.decode()
    assert "PT Jaringan Nusantara" in body
    assert "Cuaca buruk 1" in body and "Cuaca buruk 2" in body
    assert body.count('class="list-group-item adendum"') == 2


def test_the_landing_page_has_the_budget_section(client, chain):
    body = client.get(reverse("portal:home")).content.decode()
    assert reverse("transparansi:overview", args=[2026]) in body


def test_the_photo_view_serves_only_images_of_published_items(client, chain, city, settings, tmp_path):
    from terpadu.perencanaan.models import Renja, RenjaSubKegiatan

    settings.MEDIA_ROOT = tmp_path
    shown = make_progres(chain.sub, 6, "50", foto=True).foto.get()
    response = client.get(reverse("transparansi:foto", args=[shown.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG

    not_image = make_progres(chain.sub, 7, "55", foto=True, content=b"%PDF-1.4", content_type="application/pdf")
    assert client.get(reverse("transparansi:foto", args=[not_image.foto.get().pk])).status_code == 404

    draft = Renja.objects.create(unit=city.dinas_b, tahun=2027, status="draft")
    draft_sub = RenjaSubKegiatan.objects.create(
        renja=draft, unit=city.dinas_b, tahun=2027, sub_kegiatan=chain.kode["2.16.02.2.01.0014"],
        kode_program="2.16.02", kode_kegiatan="2.16.02.2.01",
    )  # fmt: skip
    hidden_draft = make_progres(draft_sub, 2, "5", foto=True).foto.get()
    assert client.get(reverse("transparansi:foto", args=[hidden_draft.pk])).status_code == 404

    except_item(2026, "2.16.03.2.02.0023")
    assert client.get(reverse("transparansi:foto", args=[shown.pk])).status_code == 404


# -- exceptions -----------------------------------------------------------------------------------------------


def test_an_excepted_program_hides_itself_and_everything_under_it_everywhere(client, chain, ledger):
    reason = "Belanja intelijen daerah (UU 14/2008 Pasal 17 huruf c)"
    except_item(2026, "2.16.03", unit=chain.sub.unit, alasan=reason)
    names = [chain.sub.sub_kegiatan.nama, chain.sub2.sub_kegiatan.nama, "PT Jaringan Nusantara"]

    api_bodies = [client.get(f"{API}{n}/", {"tahun": 2026}).content.decode() for n in
                  ("opd", "program", "kegiatan", "sub-kegiatan", "kontrak")]  # fmt: skip
    csv_bodies = [client.get(f"{API}{n}.csv", {"tahun": 2026}).content.decode("utf-8-sig") for n in
                  ("program", "kegiatan", "sub-kegiatan", "kontrak")]  # fmt: skip
    web_bodies = [
        client.get(reverse("transparansi:overview", args=[2026])).content.decode(),
        client.get(reverse("transparansi:sub_kegiatan_list", args=[2026])).content.decode(),
        client.get(reverse("transparansi:kontrak_list", args=[2026])).content.decode(),
        client.get(reverse("transparansi:pengecualian", args=[2026])).content.decode(),
    ]
    for body in api_bodies + csv_bodies + web_bodies:
        for name in names:
            assert name not in body
        assert "2.16.03.2.02" not in body
    # the other OPD stays published
    assert chain.sub_b.sub_kegiatan.nama in api_bodies[3]
    assert "CV Relasi Media" in api_bodies[4]
    for url in (
        reverse("transparansi:sub_kegiatan", args=[chain.sub.pk]),
        reverse("transparansi:sub_kegiatan", args=[chain.sub2.pk]),
        reverse("transparansi:opd", args=[2026, chain.sub.unit_id]),
        reverse("transparansi:kontrak", args=[ledger["kontrak"].pk]),
    ):
        assert client.get(url).status_code == 404, url

    # the headline keeps the city total and says how much is excepted
    ringkasan = client.get(f"{API}ringkasan/", {"tahun": 2026}).json()
    assert ringkasan["dikecualikan"]["jumlah_sub_kegiatan"] == 2
    assert Decimal(ringkasan["dikecualikan"]["pagu"]) == _dpa_total(chain.dpa, chain.dpa2)
    assert Decimal(ringkasan["total"]["pagu"]) == _dpa_total(chain.dpa, chain.dpa2, chain.dpa_b)
    assert Decimal(ringkasan["dipublikasikan"]["pagu"]) == _dpa_total(chain.dpa_b)
    assert 'id="dikecualikan"' in web_bodies[0]

    # the public list: how many and why, never what
    listed = client.get(f"{API}pengecualian/", {"tahun": 2026}).json()
    assert listed == [
        {"tahun": 2026, "level": "Program", "jumlah_sub_kegiatan": 2, "alasan": reason, "tanggal": listed[0]["tanggal"]}
    ]
    assert reason in web_bodies[3]


def test_an_exception_for_one_opd_leaves_the_same_code_of_another_opd_published(client, chain, city):
    except_item(2026, "2.16.02.2.01.0014", unit=city.dinas_a)
    assert chain.sub_b.sub_kegiatan.kode in [r["kode_sub_kegiatan"] for r in _rows(client, "sub-kegiatan")]
    except_item(2026, "2.16.02.2.01.0014")
    assert chain.sub_b.sub_kegiatan.kode not in [r["kode_sub_kegiatan"] for r in _rows(client, "sub-kegiatan")]


def test_dikecualikan_covers_the_code_and_every_code_under_it(chain, city):
    except_item(2026, "2.16.03.2.02", unit=city.dinas_a)
    assert services_publik.dikecualikan(2026, "2.16.03.2.02", city.dinas_a)
    assert services_publik.dikecualikan(2026, "2.16.03.2.02.0023", city.dinas_a)
    assert not services_publik.dikecualikan(2026, "2.16.03", city.dinas_a)  # the program above is not
    assert not services_publik.dikecualikan(2026, "2.16.03.2.02.0023", city.dinas_b)
    assert not services_publik.dikecualikan(2025, "2.16.03.2.02.0023", city.dinas_a)
    assert not services_publik.dikecualikan(2026, "2.16.03.2.020", city.dinas_a)  # a prefix ends at a dot


# -- API shape, filters, errors, queries ----------------------------------------------------------------------


def test_json_and_csv_have_the_same_columns_and_rows(client, chain, ledger):
    response = client.get(f"{API}sub-kegiatan/", {"tahun": 2026})
    data = response.json()
    assert set(data) >= {"count", "next", "previous", "results"}
    assert data["count"] == 3
    assert list(data["results"][0]) == SUB_COLUMNS
    rows = _csv(client, "sub-kegiatan")
    assert list(rows[0]) == SUB_COLUMNS
    assert [r["kode_sub_kegiatan"] for r in rows] == [r["kode_sub_kegiatan"] for r in data["results"]]
    via_format = client.get(f"{API}sub-kegiatan/", {"tahun": 2026, "format": "csv"})
    assert via_format["Content-Type"].startswith("text/csv")
    assert via_format.content == client.get(f"{API}sub-kegiatan.csv", {"tahun": 2026}).content
    kontrak = _csv(client, "kontrak")
    assert {r["penyedia"] for r in kontrak} == {"PT Jaringan Nusantara", "CV Relasi Media"}
    jaringan = next(r for r in kontrak if r["penyedia"] == "PT Jaringan Nusantara")
    assert jaringan["jumlah_adendum"] == "2" and Decimal(jaringan["nilai"]) == Decimal("48000000")
    assert "npwp" not in jaringan


def test_filters_by_unit_and_code_prefix_and_paginates(client, chain, city):
    assert {r["unit_id"] for r in _rows(client, "sub-kegiatan", unit=city.dinas_b.pk)} == {city.dinas_b.pk}
    assert [r["kode_sub_kegiatan"] for r in _rows(client, "sub-kegiatan", kode="2.16.03.2.02.0021")] == [
        "2.16.03.2.02.0021"
    ]
    assert len(_rows(client, "kegiatan", kode="2.16.03")) == 1
    page = client.get(f"{API}sub-kegiatan/", {"tahun": 2026, "page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]


@pytest.mark.parametrize("params", [{"tahun": "dua ribu"}, {"tahun": "2026", "unit": "999999"}])
def test_bad_parameters_answer_400_with_the_error_body(client, chain, params):
    for suffix in ("/", ".csv"):
        response = client.get(f"{API}sub-kegiatan{suffix}", params)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["status"] == 400 and error["details"]


def test_lists_take_a_constant_number_of_queries(client, chain, ledger):
    from terpadu.perencanaan.models import RenjaSubKegiatan

    def count(name):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}{name}/", {"tahun": 2026}).status_code == 200
        return len(queries)

    before = {n: count(n) for n in ("program", "kegiatan", "sub-kegiatan", "kontrak")}
    for code in ("2.16.03.2.02.0021", "2.16.03.2.02.0023"):
        RenjaSubKegiatan.objects.create(
            renja=chain.sub_b.renja, unit=chain.sub_b.unit, tahun=2026, sub_kegiatan=chain.kode[code],
            kode_program=code[:7], kode_kegiatan=code[:12], pagu_indikatif=Decimal("1000"),
        )  # fmt: skip
    make_kontrak(chain.dpa2["5.1.02.04.01.0001"], "1000000", adendum=1)
    after = {n: count(n) for n in before}
    assert after == before


def test_the_openapi_schema_still_generates_with_the_public_endpoints(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("ringkasan", "program", "kegiatan", "sub-kegiatan", "kontrak", "pengecualian"):
        assert f"/publik/anggaran/{name}/" in body


def test_the_sub_kegiatan_page_shows_submitted_evaluations_never_drafts(client, chain):
    import datetime as dt

    from terpadu.monev.models import EvaluasiSubKegiatan, PeriodeMonev

    tw1 = PeriodeMonev.objects.create(tahun=2026, triwulan=1, batas_waktu=dt.date(2026, 4, 8), status="dikunci")
    tw2 = PeriodeMonev.objects.create(tahun=2026, triwulan=2, batas_waktu=dt.date(2026, 7, 8))
    common = {"sub_kegiatan": chain.sub, "unit": chain.sub.unit}
    EvaluasiSubKegiatan.objects.create(periode=tw1, kategori="Sangat Tinggi", status="dikirim", **common)
    EvaluasiSubKegiatan.objects.create(periode=tw2, kategori="KATEGORI-DRAFT", status="draft", **common)
    body = client.get(reverse("transparansi:sub_kegiatan", args=[chain.sub.pk])).content.decode()
    assert "Sangat Tinggi" in body
    assert "KATEGORI-DRAFT" not in body
