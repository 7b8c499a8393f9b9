# ruff: noqa: F811  (pytest fixtures imported from test_keluar_fixtures)
"""The export package: signed PDF + metadata.json, readable back with every hash checked."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from terpadu.naskah import paket
from terpadu.naskah.tests.test_keluar_fixtures import (  # noqa: F401
    a_pdf,
    ca,
    draft_input,
    keluar,
    sign,
    stored_bytes,
    to_ready,
)

pytestmark = pytest.mark.django_db


def _signed_with_attachment(keluar):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from terpadu.naskah import services

    draft = draft_input(keluar)
    draft.lampiran = [(SimpleUploadedFile("daftar.pdf", a_pdf("Daftar hadir")), "Daftar hadir")]
    return sign(keluar, to_ready(keluar, services.create_draft(keluar.drafter, draft)))


def test_the_package_holds_the_signed_pdf_attachments_and_metadata(keluar, ca):
    naskah = _signed_with_attachment(keluar)
    archive = zipfile.ZipFile(io.BytesIO(paket.export(naskah)))
    meta = json.loads(archive.read("metadata.json"))

    assert archive.read("naskah.pdf") == stored_bytes(naskah.dokumen)
    assert meta["schema"] == paket.SCHEMA
    assert meta["nomor"] == naskah.nomor and meta["hash_sha256"] == naskah.hash_sha256
    assert meta["klasifikasi"] == {"kode": "000.1.5", "nama": "Rapat Pimpinan"}
    assert meta["jenis"]["kode"] == "surat_dinas" and meta["sifat"] == "biasa"
    assert meta["penandatangan"]["nip"] == keluar.signer.pegawai.nip
    assert meta["penandatangan"]["jabatan"] == naskah.penandatangan_label
    assert meta["kode_verifikasi"] == naskah.kode_verifikasi
    assert len(meta["penerima"]) == 3
    (item,) = meta["lampiran"]
    assert hashlib.sha256(archive.read(item["file"])).hexdigest() == item["sha256"]


def test_a_package_reads_back_and_a_tampered_one_is_refused(keluar, ca):
    naskah = _signed_with_attachment(keluar)
    data = paket.export(naskah)
    assert paket.import_(data)["nomor"] == naskah.nomor

    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content + b"x" if name == "naskah.pdf" else content)
    with pytest.raises(ValidationError):
        paket.import_(tampered.getvalue())
    with pytest.raises(ValidationError):
        paket.import_(b"not a zip")


def test_only_a_signed_naskah_is_exported(keluar):
    from terpadu.naskah.tests.test_keluar_fixtures import make_draft

    with pytest.raises(ValidationError):
        paket.export(make_draft(keluar))


def test_the_package_route_gives_a_zip_to_a_party(keluar, ca, client):
    from conftest import login_as

    naskah = _signed_with_attachment(keluar)
    login_as(client, keluar.drafter)
    response = client.get(f"/naskah/{naskah.pk}/paket/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "metadata.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    api = client.get(f"/api/v1/naskah/keluar/{naskah.pk}/paket/")
    assert api.status_code == 200 and api.content.startswith(b"PK")
