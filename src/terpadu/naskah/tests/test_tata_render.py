"""Rendering naskah to PDF/A: every shipped kind, the bundled fonts, the refusing URL fetcher, the signature
block's position and its a.n./u.b./Plt./Plh. forms."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from terpadu.core.context import acting
from terpadu.naskah import rendering, tata
from terpadu.naskah.models import JenisNaskah, Naskah, Penerima
from terpadu.naskah.rendering import SignatureBlock, signature_block
from terpadu.naskah.tests.conftest import klasifikasi  # noqa: F401  (fixture)

DAY = dt.date.today()  # the city's appointments start 100 days before today


@pytest.fixture
def reference(db):
    with acting(None, via="command"):
        tata.load_reference()


def make_naskah(city, kind: str, klas, **extra) -> Naskah:
    naskah = Naskah.objects.create(
        jenis=JenisNaskah.objects.get(kode=kind),
        klasifikasi=klas,
        hal=extra.pop("hal", "Undangan Rapat Koordinasi"),
        ringkasan=extra.pop("ringkasan", "Paragraf pertama surat.\n\nParagraf kedua surat."),
        unit=city.dinas_a,
        pembuat=city.pegawai_same,
        penandatangan_jabatan=extra.pop("penandatangan_jabatan", city.kepala_a),
        **extra,
    )
    Penerima.objects.create(naskah=naskah, peran="tujuan", jabatan=city.kepala_b)
    Penerima.objects.create(naskah=naskah, peran="tujuan", nama="Kepala Kantor", instansi="BPS Kota Uji")
    Penerima.objects.create(naskah=naskah, peran="tembusan", jabatan=city.kabid_a, urutan=1)
    return naskah


def pdf_reader(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(data).pages)


def embedded_fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """BaseFont name (without the subset prefix) -> whether its font program is embedded."""
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return fonts


def declares_pdfa(reader: pypdf.PdfReader) -> bool:
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return b"pdfaid:part" in metadata or b'pdfaid="http' in metadata and "/OutputIntents" in reader.trailer["/Root"]


@pytest.mark.parametrize("kind", sorted(tata.jenis_reference()))
def test_every_shipped_kind_renders_a_pdfa_with_the_bundled_fonts(city, klasifikasi, reference, kind):  # noqa: F811
    naskah = make_naskah(city, kind, klasifikasi["000.1.5"])
    data = rendering.render_pdf(naskah, nomor="000.1.5/7/400.1/2026", tanggal=DAY, draft=False)
    reader = pdf_reader(data)
    assert declares_pdfa(reader)
    fonts = embedded_fonts(reader)
    assert fonts and all(name.startswith("Liberation") for name in fonts), fonts
    assert all(fonts.values()), "every font is embedded"
    text = pdf_text(data)
    assert "PEMERINTAH KOTA UJI" in text and "DINAS ALFA" in text  # kop
    assert "Kepala Dinas Alfa," in text  # signature title
    assert "Kepala Alfa" in text  # signer's name
    if "{{ hal" in tata.shipped_template(kind)["isi"]:  # surat tugas, kuasa, … have no hal line
        assert "UNDANGAN RAPAT KOORDINASI" in text.upper()
    assert "DRAF" not in text


def test_draft_watermark_and_nomor_placeholder(city, klasifikasi, reference):  # noqa: F811
    naskah = make_naskah(city, "surat_dinas", klasifikasi["000.1.5"])
    text = pdf_text(rendering.render_pdf(naskah, tanggal=DAY))
    assert "DRAF" in text
    assert "Yth." in text and "Kepala Dinas Beta" in text and "Kepala Kantor, BPS Kota Uji" in text
    assert "Tembusan:" in text and "Kepala Bidang Alfa Satu" in text
    assert "Paragraf pertama surat." in text and "Paragraf kedua surat." in text
    assert "Lampiran" in text and "Biasa" in text


def test_an_old_version_renders_from_its_konten(city, klasifikasi, reference):  # noqa: F811
    naskah = make_naskah(city, "surat_undangan", klasifikasi["000.1.5"], isi={"acara": "Rapat baru"})
    konten = {
        "hal": "Hal versi satu",
        "ringkasan": "Isi versi satu.",
        "isi": {"acara": "Rapat lama", "waktu": "09.00 WIB"},
        "penerima": [
            {"peran": "tujuan", "nama": "Camat Utara"},
            {"peran": "tujuan", "unit": city.bidang_a.pk, "label": "Bidang Alfa Satu"},
            {"peran": "tembusan", "label": "Arsip"},
        ],
        "lampiran": 2,
    }
    text = pdf_text(rendering.render_pdf(naskah, tanggal=DAY, konten=konten))
    assert "Hal versi satu" in text and "Isi versi satu." in text
    assert "Rapat lama" in text and "09.00 WIB" in text and "Rapat baru" not in text
    assert "Camat Utara" in text and "Kepala Dinas Beta" not in text
    assert "Kepala Bidang Alfa Satu" in text  # a unit is addressed as its head
    assert "2 (dua) berkas" in text


def test_field_values_are_escaped_and_cannot_fetch(city, klasifikasi, reference):  # noqa: F811
    hostile = '<img src="file:///etc/passwd"><b>tebal</b>'
    naskah = make_naskah(city, "surat_undangan", klasifikasi["000.1.5"], isi={"acara": hostile})
    html = rendering.build_html(
        tata.template_for(naskah.jenis, naskah.unit),
        rendering.document_context(naskah, nomor="", tanggal=DAY, signature=None, konten=None),
        unit=naskah.unit,
        signature=None,
        draft=True,
    )
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html and hostile not in html


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/font.ttf",
        "file:///etc/passwd",
        f"file://{rendering.FONTS_DIR}/../tata.py",
        f"file://{rendering.FONTS_DIR}/LICENSE-OFL-1.1.txt",
        "ftp://example.com/x",
    ],
)
def test_url_fetcher_refuses_everything_but_fonts_and_data(url):
    with pytest.raises(ValueError, match="refused"):
        rendering.RefusingURLFetcher().fetch(url)


def test_url_fetcher_serves_the_bundled_fonts_and_data_urls():
    fetcher = rendering.RefusingURLFetcher()
    font = fetcher.fetch((rendering.FONTS_DIR / "LiberationSerif-Regular.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"
    font.close()
    assert fetcher.fetch("data:text/plain;base64,SGFsbw==").read() == b"Halo"


def test_a_template_reaching_for_files_or_network_gets_nothing(city, klasifikasi, reference, caplog):  # noqa: F811
    html = (
        "<html><body><p>Isi</p><img src='file:///etc/passwd'><img src='http://192.0.2.1/x.png'>"
        "<style>@font-face { font-family: X; src: url('file:///etc/passwd'); } p { font-family: X }</style>"
        "</body></html>"
    )
    result = rendering.render_document(html)
    assert pdf_text(result.pdf).strip() == "Isi"
    assert "root:" not in result.pdf.decode("latin-1")


def test_signature_box_is_inside_the_page_below_the_title(city, klasifikasi, reference):  # noqa: F811
    naskah = make_naskah(city, "surat_dinas", klasifikasi["000.1.5"], ringkasan="Isi.\n\n" * 30)
    result = rendering.render_pdf_with_layout(naskah, tanggal=DAY, draft=False)
    page_index, x1, y1, x2, y2 = result.signature_box
    reader = pdf_reader(result.pdf)
    assert page_index < len(reader.pages) == result.page_count
    width, height = float(reader.pages[page_index].mediabox.width), float(reader.pages[page_index].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
    assert y2 - y1 > 60 and x2 - x1 > 150  # room for a QR code and a line of text
    document = rendering.render_html_document(
        rendering.build_html(
            tata.template_for(naskah.jenis, naskah.unit),
            rendering.document_context(naskah, nomor="", tanggal=DAY, signature=None, konten=None),
            unit=naskah.unit,
            signature=rendering.default_signature(naskah, DAY),
            draft=False,
        )
    )
    [(title_page, _tx1, title_bottom, _tx2, _ty2)] = rendering.element_boxes(document, "ttd-jabatan")
    [(_np, _nx1, _ny1, _nx2, name_top)] = rendering.element_boxes(document, "ttd-nama")
    assert title_page == page_index and y2 <= title_bottom  # the stamp space starts below the title
    assert y1 >= name_top  # and ends above the signer's name
    text_on_page = reader.pages[page_index].extract_text()
    assert "Kepala Dinas Alfa," in text_on_page


def test_f4_paper_from_the_template(city, klasifikasi, reference):  # noqa: F811
    naskah = make_naskah(city, "keputusan", klasifikasi["000.1.5"])
    reader = pdf_reader(rendering.render_pdf(naskah, tanggal=DAY))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (609, 935)  # 215 × 330 mm


def test_unit_logo_is_inlined_in_the_kop(city, klasifikasi, reference, settings, tmp_path):  # noqa: F811
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = str(tmp_path)
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
        b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    city.dinas_a.logo.save("dinas_a.png", ContentFile(png), save=True)
    naskah = make_naskah(city, "surat_dinas", klasifikasi["000.1.5"])
    html = rendering.build_html(
        None,
        rendering.document_context(naskah, nomor="", tanggal=DAY, signature=None, konten=None),
        unit=naskah.unit,
        signature=None,
        draft=True,
    )
    assert 'src="data:image/png;base64,' in html and "dinas_a" not in html.split("<body>")[1]
    reader = pdf_reader(rendering.render_document(html).pdf)
    assert "/XObject" in reader.pages[0]["/Resources"]


def test_rendering_does_not_need_the_fonts_installed(tmp_path):
    """A fontconfig that knows no font directory at all: the PDF still embeds only Liberation."""
    import os
    import subprocess
    import sys

    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>')
    script = (
        "import django; django.setup();"
        "from terpadu.naskah import rendering;"
        "import sys;"
        "sys.stdout.buffer.write(rendering.render_document("
        "'<html><head><style>' + rendering._font_faces() + "
        '\' p{font-family:"Liberation Serif"} b{font-family:"Liberation Sans"}</style></head>\''
        "'<body><p>Serif <i>miring</i></p><b>Sans</b></body></html>').pdf)"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "DJANGO_SETTINGS_MODULE": "terpadu.test_settings"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120, check=True)
    fonts = embedded_fonts(pdf_reader(done.stdout))
    assert set(fonts) == {"Liberation-Serif", "Liberation-Serif-Italic", "Liberation-Sans-Bold"}
    assert all(fonts.values())


# -- signature block forms ----------------------------------------------------------------------------


@pytest.fixture
def sekda(city):
    """A Sekretariat Daerah under the wali kota, with a Bagian Umum below it."""
    from terpadu.organisasi import services as org

    with acting(None, via="command"):
        walikota = org.create_jabatan(
            {"unit": city.root, "kode": "WK", "nama": "Wali Kota Uji", "jenis": "kepala_daerah", "is_kepala_unit": True}
        )
        setda = org.create_unit(
            {"parent": city.root, "kode": "400.3", "nama": "Sekretariat Daerah", "jenis": "sekretariat_daerah"}
        )
        sekda = org.create_jabatan(
            {
                "unit": setda,
                "kode": "SEKDA",
                "nama": "Sekretaris Daerah",
                "jenis": "struktural",
                "eselon": "II.a",
                "is_kepala_unit": True,
            }
        )
        umum = org.create_unit({"parent": setda, "kode": "400.3.1", "nama": "Bagian Umum", "jenis": "bagian"})
        kabag = org.create_jabatan(
            {
                "unit": umum,
                "kode": "KBU",
                "nama": "Kepala Bagian Umum",
                "jenis": "struktural",
                "eselon": "III.a",
                "is_kepala_unit": True,
            }
        )
    return {"walikota": walikota, "sekda": sekda, "kabag": kabag, "setda": setda}


def test_signature_in_own_name(city):
    naskah = Naskah(atas_nama="")
    pegawai = city.pimpinan.pegawai
    block = signature_block(naskah, pegawai, city.kepala_a, "", DAY)
    assert block.jabatan_lines == ["Kepala Dinas Alfa,"]
    assert block.nama == pegawai.nama_lengkap and block.pangkat == "Pembina Utama Muda"
    assert block.nip == pegawai.nip
    assert block.tempat_tanggal.startswith("Uji, ")


def test_signature_atas_nama(city, sekda):
    naskah = Naskah(atas_nama="an", atas_nama_jabatan=sekda["walikota"])
    block = signature_block(naskah, city.pimpinan.pegawai, sekda["sekda"], "", DAY)
    assert block.jabatan_lines == ["a.n. Wali Kota Uji", "Sekretaris Daerah,"]


def test_signature_untuk_beliau(city, sekda):
    naskah = Naskah(atas_nama="ub", atas_nama_jabatan=sekda["sekda"])
    block = signature_block(naskah, city.pimpinan.pegawai, sekda["kabag"], "", DAY)
    assert block.jabatan_lines == ["a.n. Wali Kota Uji", "Sekretaris Daerah", "u.b.", "Kepala Bagian Umum,"]
    assert block.title == "a.n. Wali Kota Uji Sekretaris Daerah u.b. Kepala Bagian Umum"


def test_signature_plt_and_plh(city, sekda):
    plt = signature_block(Naskah(), city.pegawai_same, city.kepala_a, "plt", DAY)
    assert plt.jabatan_lines == ["Plt. Kepala Dinas Alfa,"]
    plh = signature_block(
        Naskah(atas_nama="an", atas_nama_jabatan=sekda["walikota"]), city.pegawai_same, sekda["sekda"], "plh", DAY
    )
    assert plh.jabatan_lines == ["a.n. Wali Kota Uji", "Plh. Sekretaris Daerah,"]
    assert plh.pangkat == city.pegawai_same.pangkat


def test_signature_of_an_acting_holder_in_a_draft(city, klasifikasi, reference):  # noqa: F811
    from terpadu.organisasi import services as org

    with acting(None, via="command"):
        org.assign_acting(
            city.pegawai_same, city.kabid_a, "plt", DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=9)
        )
    naskah = make_naskah(city, "nota_dinas", klasifikasi["000.1.5"], penandatangan_jabatan=city.kabid_a)
    text = pdf_text(rendering.render_pdf(naskah, tanggal=DAY))
    assert "Plt. Kepala Bidang Alfa Satu," in text and city.pegawai_same.nama in text


def test_given_signature_block_is_used(city, klasifikasi, reference):  # noqa: F811
    naskah = make_naskah(city, "surat_dinas", klasifikasi["000.1.5"])
    block = SignatureBlock(jabatan_lines=["a.n. Wali Kota Uji", "Kepala Dinas Alfa,"], nama="Dr. Kepala", nip="1")
    text = pdf_text(rendering.render_pdf(naskah, tanggal=DAY, signature=block, nomor="X/1/2026", draft=False))
    assert "a.n. Wali Kota Uji" in text and "Dr. Kepala" in text and "X/1/2026" in text
