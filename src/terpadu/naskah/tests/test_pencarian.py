"""Full-text search over naskah and the secret rule on every path of the 'cari' part: the global search (web
and API), the naskah search page, its API and the export. Rows are made directly with the ORM."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from conftest import login_as
from django.urls import reverse

from terpadu.naskah import pencarian
from terpadu.naskah.models import Naskah, PihakNaskah, Sifat

SECRET_HAL = "Anggaran zamrud rahasia"
OPEN_HAL = "Anggaran zamrud terbuka"


def make_indexed(city, jenis, klasifikasi, **fields) -> Naskah:
    values = {
        "jenis": jenis["surat_dinas"],
        "klasifikasi": klasifikasi["000.1.5"],
        "unit": city.dinas_a,
        "pembuat": city.pegawai_other,
        "tanggal": dt.date(2026, 3, 5),
        **fields,
    }
    naskah = Naskah.objects.create(**values)
    pencarian.index_naskah(naskah)
    return naskah


@pytest.fixture
def rows(city, jenis, klasifikasi):
    """An open and a secret naskah of Dinas Alfa; the secret one is addressed to staff_same's position."""
    open_one = make_indexed(city, jenis, klasifikasi, hal=OPEN_HAL, nomor="000.1.5/7/400.1/2026")
    secret = make_indexed(
        city, jenis, klasifikasi, hal=SECRET_HAL, sifat=Sifat.RAHASIA, isi={"isi": "<p>Pagu belanja zamrud</p>"}
    )
    PihakNaskah.objects.create(naskah=secret, peran=PihakNaskah.Peran.TUJUAN, jabatan=city.staff_a_jabatan)
    make_indexed(city, jenis, klasifikasi, hal="Undangan lain", unit=city.dinas_b)
    return {"open": open_one, "secret": secret}


def walk_objects(world) -> dict:
    """For the route table (authz_routes.py): a reserved number of Dinas Alfa and a number format."""
    from terpadu.core.context import acting
    from terpadu.naskah import penomoran

    city = world.city
    with acting(None, via="command"):
        cadangan = penomoran.reserve(city.dinas_a, None, 2026, "Walker", None)
        fmt = penomoran.save_format(None, {"unit": city.dinas_a, "jenis": None, "pola": "{urut}/{kode_unit}/{tahun}"})
    return {"cari_cadangan": cadangan, "cari_format": fmt}


# -- text -----------------------------------------------------------------------------------------------


def _pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose content stream shows `text` in Helvetica (enough for pypdf's extractor)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_extract_text_reads_the_text_layer():
    assert "Undangan rapat koordinasi" in pencarian.extract_text(_pdf_with_text("Undangan rapat koordinasi"))


def test_extract_text_caps_the_length():
    assert pencarian.extract_text(_pdf_with_text("kata " * 50), max_chars=20) == "kata kata kata kata"


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.4\n1 0 obj << /Type /Catalog", b"\x00" * 64])
def test_extract_text_tolerates_broken_files(data):
    assert pencarian.extract_text(data) == ""


def test_index_fills_teks_from_the_template_fields_and_is_idempotent(city, jenis, klasifikasi):
    naskah = make_indexed(city, jenis, klasifikasi, hal="Hal", isi={"isi": "<p>Rapat <b>koordinasi</b></p>", "n": 3})
    naskah.refresh_from_db()
    assert naskah.teks == "Rapat koordinasi 3"
    pencarian.index_naskah(naskah)
    naskah.refresh_from_db()
    assert naskah.teks == "Rapat koordinasi 3"


@pytest.mark.postgres
def test_index_stores_the_weighted_vector(city, jenis, klasifikasi):
    naskah = make_indexed(city, jenis, klasifikasi, hal="Pembangunan jembatan", nomor="000.1.5/12/400.1/2026")
    vector = Naskah.objects.values_list("search_vector", flat=True).get(pk=naskah.pk)
    assert "'bangun':" in vector and "'000.1.5':" in vector and "'12':" in vector


# -- searching -----------------------------------------------------------------------------------------


def _search(user, query):
    from terpadu.core import authz

    base = authz.restrict(Naskah.objects.all(), user, "naskah.view")
    return list(pencarian.search_queryset(base, query))


def test_words_must_all_occur(city, rows):
    assert _search(city.pimpinan, "zamrud terbuka") == [rows["open"]]
    assert _search(city.pimpinan, "zamrud tidakada") == []


def test_number_and_template_text_are_found(city, rows):
    assert _search(city.pimpinan, "000.1.5/7/400.1/2026") == [rows["open"]]
    assert _search(city.staff_same, "pagu belanja") == [rows["secret"]]


# -- the secret rule on every path ---------------------------------------------------------------------


def test_pimpinan_of_the_unit_does_not_see_a_secret_naskah_he_is_no_party_to(client, city, rows):
    assert _search(city.pimpinan, "zamrud") == [rows["open"]]
    login_as(client, city.pimpinan)
    page = client.get(reverse("naskah:search"), {"q": "zamrud"})
    assert page.status_code == 200
    assert OPEN_HAL in page.text and SECRET_HAL not in page.text
    assert page.context["page"].paginator.count == 1
    api = client.get(reverse("api-naskah-cari-list"), {"q": "zamrud"}).json()
    assert [hit["hal"] for hit in api["results"]] == [OPEN_HAL] and api["count"] == 1
    unfiltered = client.get(reverse("api-naskah-cari-list"), {"sifat": "rahasia"}).json()
    assert unfiltered["count"] == 0


def test_the_addressee_finds_the_secret_naskah(client, city, rows):
    login_as(client, city.staff_same)
    page = client.get(reverse("naskah:search"), {"q": "zamrud"})
    assert SECRET_HAL in page.text
    api = client.get(reverse("api-naskah-cari-list"), {"q": "zamrud"}).json()
    assert [hit["hal"] for hit in api["results"]] == [SECRET_HAL]  # the open one is outside their scope


def test_global_search_keeps_the_secret_rule(client, city, rows):
    login_as(client, city.pimpinan)
    web = client.get(reverse("core:search"), {"q": "zamrud"})
    assert OPEN_HAL in web.text and SECRET_HAL not in web.text
    api = client.get(reverse("api-search"), {"q": "zamrud", "kind": "naskah"}).json()
    assert [hit["title"] for hit in api] == [str(rows["open"])]
    login_as(client, city.staff_same)
    api = client.get(reverse("api-search"), {"q": "zamrud", "kind": "naskah"}).json()
    assert [hit["title"] for hit in api] == [str(rows["secret"])]
    login_as(client, city.staff_other)
    assert client.get(reverse("api-search"), {"q": "zamrud", "kind": "naskah"}).json() == []


def _export(client, **params):
    response = client.get(reverse("naskah:search_export"), {"format": "csv", **params})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_never_includes_a_secret_naskah_for_a_non_party(client, city, rows):
    login_as(client, city.pimpinan)
    table = _export(client)
    assert [row[2] for row in table[1:]] == [OPEN_HAL]
    assert _export(client, sifat="rahasia")[1:] == []
    xlsx = client.get(reverse("naskah:search_export"), {"format": "xlsx", "q": "zamrud"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_export_includes_the_secret_naskah_for_a_party_in_scope(client, city, rows):
    PihakNaskah.objects.create(naskah=rows["secret"], peran=PihakNaskah.Peran.TEMBUSAN, pegawai=city.pimpinan.pegawai)
    login_as(client, city.pimpinan)
    assert sorted(row[2] for row in _export(client)[1:]) == sorted([OPEN_HAL, SECRET_HAL])


def test_export_needs_the_export_right(client, city, rows):
    login_as(client, city.staff_same)  # a party, but without naskah.export
    assert client.get(reverse("naskah:search_export"), {"format": "csv"}).status_code == 403


def test_filters(client, city, rows, jenis):
    login_as(client, city.pimpinan)
    url = reverse("api-naskah-cari-list")
    assert client.get(url, {"klasifikasi": "000.1"}).json()["count"] == 1
    assert client.get(url, {"klasifikasi": "000.2"}).json()["count"] == 0
    assert client.get(url, {"dari": "2026-03-06"}).json()["count"] == 0
    assert client.get(url, {"sampai": "2026-03-05", "jenis": "surat_dinas"}).json()["count"] == 1
    assert client.get(url, {"unit": city.bidang_a.pk}).json()["count"] == 0
    bad = client.get(url, {"dari": "kemarin"})
    assert bad.status_code == 400 and "error" in bad.json()


@pytest.mark.postgres
def test_reindex_job_recomputes_the_stored_vectors(city, jenis, klasifikasi):
    naskah = make_indexed(city, jenis, klasifikasi, hal="Perbaikan drainase kota")
    Naskah.objects.filter(pk=naskah.pk).update(search_vector=None)
    assert _search(city.pimpinan, "drainase") == []
    pencarian.reindex()
    assert _search(city.pimpinan, "drainase") == [naskah]


def test_reindex_job_can_refresh_the_text(city, jenis, klasifikasi):
    naskah = make_indexed(city, jenis, klasifikasi, hal="Hal", isi={"isi": "Teks lama"})
    Naskah.objects.filter(pk=naskah.pk).update(isi={"isi": "Teks baru"})
    pencarian.reindex(ids=[naskah.pk], refresh_text=True)
    naskah.refresh_from_db()
    assert naskah.teks == "Teks baru"


def test_index_reads_the_text_of_the_document_of_record(city, jenis, klasifikasi):
    from django.core.files.base import ContentFile

    from terpadu.core.models import StoredFile

    data = _pdf_with_text("Berita acara serah terima barang")
    stored = StoredFile(original_name="ba.pdf", content_type="application/pdf", size=len(data), sha256="0" * 64)
    stored.file.save("ba.pdf", ContentFile(data), save=True)
    naskah = make_indexed(city, jenis, klasifikasi, hal="Serah terima", dokumen=stored)
    naskah.refresh_from_db()
    assert "serah terima barang" in naskah.teks
    assert _search(city.pimpinan, "barang") == [naskah]


@pytest.mark.parametrize("query", ["_", "a & b", "'", "a:b", "(", "!x", "000.1.5/", "\\", "..", "x:*", '"a', "-"])
def test_odd_queries_do_not_break_the_search(city, rows, query):
    assert isinstance(_search(city.pimpinan, query), list)


def test_search_pages_count_once_and_clamp_past_the_end(client, city, jenis, klasifikasi):
    for number in range(27):
        make_indexed(city, jenis, klasifikasi, hal=f"Laporan kebersihan {number}")
    login_as(client, city.pimpinan)
    second = client.get(reverse("naskah:search"), {"q": "kebersihan", "page": 2})
    assert second.context["page"].paginator.count == 27 and len(second.context["page"].object_list) == 2
    past = client.get(reverse("naskah:search"), {"q": "kebersihan", "page": 99})
    assert past.context["page"].number == 2
    api = client.get(reverse("api-naskah-cari-list"), {"q": "kebersihan", "page": 2}).json()
    assert api["count"] == 27 and len(api["results"]) == 2 and api["previous"]


def test_the_search_page_queries_do_not_grow_with_its_rows(client, city, jenis, klasifikasi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_as(client, city.pimpinan)

    def page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("naskah:search"), {"q": "kebersihan"})
        assert response.status_code == 200
        return response, len(queries)

    page()  # the first signed-in request also records session activity (once a minute); count the later ones
    make_indexed(city, jenis, klasifikasi, hal="Laporan kebersihan awal", nomor="000.1.5/1/400.1/2026")
    _response, few = page()
    for number in range(12):
        make_indexed(city, jenis, klasifikasi, hal=f"Laporan kebersihan {number}", sifat=Sifat.TERBATAS)
    response, many = page()
    assert many == few
    html = response.content.decode()
    assert "000.1.5/1/400.1/2026" in html and "Laporan kebersihan 11" in html
    assert city.dinas_a.nama in html and html.count(str(Sifat.TERBATAS.label)) >= 12
