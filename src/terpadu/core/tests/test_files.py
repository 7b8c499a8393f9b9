"""Uploads: the type comes from the content, never from the name; PDFs are parsed before they are accepted."""

from __future__ import annotations

import hashlib
import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from terpadu.core import files, tabular
from terpadu.core.models import StoredFile


def make_pdf(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _n in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def make_jpg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")  # the browser's word counts for nothing


class UnsizedUpload(io.BytesIO):
    """An upload whose size is unknown until it is read (e.g. a streamed body)."""

    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name, self.size = name, None


def rejected(uploaded, allowed: set[str], **kwargs) -> str:
    with translation.override("en"), pytest.raises(files.UploadRejected) as info:
        files.read_checked(uploaded, allowed, **kwargs)
    return str(info.value)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_real_pdf_is_accepted_and_its_pages_counted():
    data, kind = files.read_checked(upload("surat.pdf", make_pdf(pages=2)), {"pdf"})
    assert kind == "pdf"
    assert files.check_pdf(data) == 2


def test_a_png_renamed_to_pdf_is_rejected():
    message = rejected(upload("surat.pdf", make_png()), {"pdf"})
    assert "not accepted" in message
    assert "pdf" in message  # says what is accepted


def test_a_pdf_renamed_to_png_is_rejected_where_only_images_are_allowed():
    assert "not accepted" in rejected(upload("foto.png", make_pdf()), {"png", "jpg"})


@pytest.mark.parametrize(
    ("maker", "name", "kind"), [(make_png, "a.bin", "png"), (make_jpg, "a.png", "jpg"), (make_pdf, "a.txt", "pdf")]
)
def test_the_kind_comes_from_the_content_not_the_name(maker, name, kind):
    assert files.sniff(maker(), name) == kind


def test_an_xlsx_workbook_is_recognised():
    workbook = tabular.write_xlsx({"unit": (["kode"], [["1"]])})
    assert files.read_checked(upload("data.xlsx", workbook), {"xlsx"})[1] == "xlsx"


def test_utf8_text_counts_as_csv_and_binary_does_not():
    assert files.sniff(b"kode;nama\n1;Dinas Pendidikan\n", "x.csv") == "csv"
    assert files.sniff(b"\xef\xbb\xbfkode,nama\n", "x.csv") == "csv"  # with a BOM, as Excel writes it
    assert files.sniff("kode,nama\n1,Dinas\n".encode("utf-16"), "x.csv") == "unknown"
    assert files.sniff(b"\x00\x01\x02binary", "x.csv") == "unknown"


def test_a_long_csv_is_not_rejected_when_a_character_straddles_the_sampled_part():
    prefix = "kode,nama\n1,"
    data = (prefix + "a" * (65535 - len(prefix)) + "\u00e9\n2,Dinas\n").encode()
    assert data[65535:65537] == "\u00e9".encode()  # the sniffer's 64 KiB sample ends inside the é
    assert files.sniff(data, "big.csv") == "csv"


def test_a_file_over_the_size_limit_is_rejected_before_it_is_read():
    message = rejected(upload("besar.pdf", make_pdf()), {"pdf"}, max_bytes=100)
    assert "limit" in message


def test_a_file_whose_size_is_unknown_is_still_held_to_the_limit():
    assert "larger than the limit" in rejected(UnsizedUpload("besar.pdf", make_pdf()), {"pdf"}, max_bytes=100)


def test_the_default_limit_comes_from_the_settings(settings):
    settings.UPLOAD_MAX_BYTES = 50
    assert "limit" in rejected(upload("a.pdf", make_pdf()), {"pdf"})


def test_an_empty_file_is_rejected():
    assert "empty" in rejected(upload("kosong.pdf", b""), {"pdf"})


def test_an_encrypted_pdf_is_rejected():
    assert "encrypted" in rejected(upload("rahasia.pdf", make_pdf(password="rahasia")), {"pdf"})


def test_a_pdf_without_pages_is_rejected():
    assert "no pages" in rejected(upload("kosong.pdf", make_pdf(pages=0)), {"pdf"})


def test_a_garbage_pdf_is_rejected_with_the_reason():
    message = rejected(upload("rusak.pdf", b"%PDF-1.4\nthis is not really a PDF\n"), {"pdf"})
    assert message.startswith("The file is not a valid PDF (")


def craft_pdf(objects: list[str], trailer: str | None = None) -> bytes:
    """A hand-made PDF with a correct cross-reference table, so the damage is exactly what we wrote."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = trailer if trailer is not None else f"<</Size {len(objects) + 1}/Root 1 0 R>>"
    return out + f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()


CATALOG = "<</Type/Catalog/Pages 2 0 R>>"
ONE_PAGE = [CATALOG, "<</Type/Pages/Kids[3 0 R]/Count 1>>", "<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>"]


def test_a_hand_made_pdf_is_readable():
    assert files.check_pdf(craft_pdf(ONE_PAGE)) == 1


@pytest.mark.parametrize(
    "data",
    [
        craft_pdf(ONE_PAGE, trailer="7"),  # the trailer is a number, not a dictionary
        craft_pdf([CATALOG, "2 0 R"]),  # the page tree refers to itself
        craft_pdf([CATALOG, "3 0 R", "2 0 R"]),  # two objects refer to each other
        craft_pdf([CATALOG, "<</Type/Pages/Kids[2 0 R]/Count 1>>"]),  # a page tree that contains itself
        craft_pdf([CATALOG, "<</Type/Pages/Kids 7/Count 1>>"]),
        craft_pdf(ONE_PAGE)[:200],  # cut off
    ],
    ids=["number-trailer", "self-reference", "reference-loop", "cyclic-pages", "kids-not-array", "truncated"],
)
def test_a_damaged_pdf_is_rejected_instead_of_crashing_the_upload(data):
    with translation.override("en"), pytest.raises(files.UploadRejected):
        files.check_pdf(data)


def test_no_damaged_pdf_gets_past_the_check_or_crashes_it():
    good, rng = make_pdf(pages=3), random.Random(20261122)
    for _n in range(300):
        data = bytearray(good)
        if rng.random() < 0.5:
            data = data[: rng.randrange(8, len(data))]
        else:
            for _m in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            pages = files.check_pdf(bytes(data))
        except files.UploadRejected:
            continue
        assert pages >= 1  # a mutation pypdf can still read must still have pages


def test_an_accepted_file_is_stored_with_its_hash_and_real_type(db, media, django_user_model):
    user = django_user_model.objects.create(username="pengunggah")
    data = make_pdf()
    stored = files.store(upload("Surat Undangan.pdf", data), {"pdf"}, user=user)
    stored.refresh_from_db()
    assert (stored.original_name, stored.content_type, stored.size) == (
        "Surat Undangan.pdf",
        "application/pdf",
        len(data),
    )
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.uploaded_by == user
    with stored.file.open("rb") as handle:
        assert handle.read() == data


def test_the_same_content_uploaded_twice_never_overwrites_the_first_file(db, media):
    first = files.store(upload("a.pdf", make_pdf()), {"pdf"})
    second = files.store(upload("b.pdf", make_pdf()), {"pdf"})
    assert first.sha256 == second.sha256
    assert first.file.name != second.file.name
    assert first.file.storage.exists(first.file.name) and second.file.storage.exists(second.file.name)


def test_a_rejected_upload_stores_nothing(db, media):
    with pytest.raises(files.UploadRejected):
        files.store(upload("foto.pdf", make_png()), {"pdf"})
    assert not StoredFile.objects.exists()
    assert list(media.rglob("*.*")) == []
