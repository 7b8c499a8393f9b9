# ruff: noqa: F811  (pytest fixtures imported from test_keluar_fixtures)
"""The public verification page /v/<code>/ and its JSON: what anyone may know, and checking a copy."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from terpadu.naskah import services
from terpadu.naskah.tests.test_keluar_fixtures import ca, keluar, signed, stored_bytes  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_page_shows_number_date_signer_and_hash_without_login(keluar, ca, client):
    naskah = signed(keluar)
    response = client.get(f"/v/{naskah.kode_verifikasi}/")
    page = response.content.decode()
    assert response.status_code == 200
    for shown in (naskah.nomor, naskah.hash_sha256, keluar.signer.pegawai.nama_lengkap, naskah.hal):
        assert shown in page
    assert f"/v/{naskah.kode_verifikasi}/pdf/" in page  # an ordinary naskah: the PDF may be downloaded
    assert client.get(f"/v/{naskah.kode_verifikasi}/pdf/").status_code == 200


@pytest.mark.parametrize("sifat", ["terbatas", "rahasia", "sangat_rahasia"])
def test_the_subject_of_a_limited_or_secret_naskah_is_never_shown(keluar, ca, client, sifat):
    naskah = signed(keluar, sifat=sifat, hal="Hal yang tidak boleh terbaca")
    page = client.get(f"/v/{naskah.kode_verifikasi}/").content.decode()
    assert "tidak boleh terbaca" not in page
    assert naskah.get_sifat_display() in page and naskah.nomor in page
    assert client.get(f"/v/{naskah.kode_verifikasi}/pdf/").status_code == 404
    payload = client.get(f"/api/v1/naskah/verifikasi/{naskah.kode_verifikasi}/").json()
    assert "tidak boleh terbaca" not in str(payload) and payload["pdf_url"] == ""


def test_an_unknown_code_or_an_unsigned_draft_is_404(keluar, client):
    from terpadu.naskah.tests.test_keluar_fixtures import make_draft

    draft = make_draft(keluar)
    assert client.get("/v/tidak-ada/").status_code == 404
    assert client.get(f"/v/{draft.kode_verifikasi}/").status_code == 404
    response = client.get("/api/v1/naskah/verifikasi/tidak-ada/")
    assert response.status_code == 404 and response.json()["error"]["status"] == 404


def test_the_same_file_verifies_and_a_changed_file_does_not(keluar, ca, client):
    naskah = signed(keluar)
    original = stored_bytes(naskah.dokumen)
    url = f"/v/{naskah.kode_verifikasi}/"

    same = client.post(url, {"file": SimpleUploadedFile("salinan.pdf", original)})
    assert same.status_code == 200 and same.context["verdict"].valid
    assert same.context["verdict"].hash_matches and same.context["verdict"].signature_valid

    changed = original.replace(b"/Producer", b"/Producex", 1) if b"/Producer" in original else original + b"\n%x\n"
    modified = client.post(url, {"file": SimpleUploadedFile("ubah.pdf", changed)})
    verdict = modified.context["verdict"]
    assert verdict is not None and not verdict.valid and not verdict.hash_matches
    assert 'id="verdict"' in modified.content.decode()


def test_destroyed_content_still_verifies_by_hash(keluar, ca, client):
    from django.utils import timezone

    naskah = signed(keluar)
    original = stored_bytes(naskah.dokumen)
    type(naskah).objects.filter(pk=naskah.pk).update(konten_dimusnahkan=timezone.now())
    response = client.post(f"/v/{naskah.kode_verifikasi}/", {"file": SimpleUploadedFile("s.pdf", original)})
    assert response.status_code == 200 and response.context["verdict"].hash_matches
    assert client.get(f"/v/{naskah.kode_verifikasi}/pdf/").status_code == 404


def test_uploads_are_rate_limited_per_address_and_checked(keluar, ca, client, monkeypatch):
    naskah = signed(keluar)
    monkeypatch.setattr(services, "PUBLIC_UPLOAD_LIMIT_PER_HOUR", 2)
    url = f"/v/{naskah.kode_verifikasi}/"
    not_pdf = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"bukan pdf")})
    assert not_pdf.status_code == 200 and not_pdf.context["form"].errors and not_pdf.context["verdict"] is None
    client.post(url, {"file": SimpleUploadedFile("x.pdf", b"bukan pdf")})
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", b"bukan pdf")}).status_code == 429


def test_the_public_json_matches_the_page(keluar, ca, client):
    naskah = signed(keluar)
    payload = client.get(f"/api/v1/naskah/verifikasi/{naskah.kode_verifikasi}/").json()
    assert payload["nomor"] == naskah.nomor and payload["hash_sha256"] == naskah.hash_sha256
    assert payload["hal"] == naskah.hal and payload["pdf_url"].endswith(f"/v/{naskah.kode_verifikasi}/pdf/")
