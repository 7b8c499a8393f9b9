"""Pages and API of the tte module."""

from __future__ import annotations

import pytest
from conftest import login_as
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terpadu.tte import services
from terpadu.tte.models import SertifikatPenandatangan
from terpadu.tte.tests import pdfs
from terpadu.tte.tests.conftest import P12_PASSWORD, PASSPHRASE, make_p12


def test_enrol_in_the_browser(client, ca, city):
    login_as(client, city.pimpinan)
    page = client.get(reverse("tte:mine"))
    assert page.status_code == 200 and reverse("tte:enrol").encode() in page.content
    mismatch = client.post(
        reverse("tte:enrol"), {"passphrase": PASSPHRASE, "passphrase_again": "lain", "key_type": "ec"}
    )
    assert mismatch.status_code == 200 and b"differ" in mismatch.content
    short = client.post(reverse("tte:enrol"), {"passphrase": "pendek", "passphrase_again": "pendek", "key_type": "ec"})
    assert short.status_code == 200 and not SertifikatPenandatangan.objects.exists()
    done = client.post(
        reverse("tte:enrol"), {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE, "key_type": "ec"}
    )
    cert = SertifikatPenandatangan.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("tte:detail", args=[cert.pk])
    assert cert.pegawai == city.pimpinan.pegawai and cert.backend == "ca"
    detail = client.get(done["Location"])
    assert cert.serial.encode() in detail.content and b"ENCRYPTED" not in detail.content


def test_changing_certificates_needs_a_session_that_passed_2fa(client, ca, city):
    login_as(client, city.pimpinan, verified=False)
    response = client.get(reverse("tte:enrol"))
    assert response.status_code == 302 and response["Location"].startswith("/akun/2fa/")


def test_staff_without_tte_enrol_cannot_enrol_or_upload(client, ca, city):
    login_as(client, city.staff_same)
    assert client.get(reverse("tte:enrol")).status_code == 403
    assert client.post(reverse("tte:upload"), {}).status_code == 403
    assert b"tte.enrol" in client.get(reverse("tte:mine")).content


def test_upload_pkcs12_in_the_browser(client, ca, city):
    login_as(client, city.pimpinan)
    blob, _root = make_p12()
    wrong = client.post(reverse("tte:upload"), {"file": SimpleUploadedFile("saya.p12", blob), "password": "salah"})
    assert wrong.status_code == 200 and b"passphrase is wrong" in wrong.content
    assert not SertifikatPenandatangan.objects.exists()
    ok = client.post(reverse("tte:upload"), {"file": SimpleUploadedFile("saya.p12", blob), "password": P12_PASSWORD})
    assert ok.status_code == 302
    assert SertifikatPenandatangan.objects.get().backend == "pkcs12"


def test_revoke_by_holder_and_by_manager_not_by_others(client, enrolled, city):
    login_as(client, city.staff_other)
    assert client.post(reverse("tte:revoke", args=[enrolled.pk])).status_code == 404
    client.logout()
    login_as(client, city.pimpinan)
    response = client.post(reverse("tte:revoke", args=[enrolled.pk]), {"reason": "HP hilang"})
    assert response.status_code == 302
    enrolled.refresh_from_db()
    assert not enrolled.aktif and enrolled.alasan_pencabutan == "HP hilang"
    client.logout()
    login_as(client, city.admin)
    page = client.get(reverse("tte:ca"))
    assert page.status_code == 200 and reverse("tte:detail", args=[enrolled.pk]).encode() in page.content
    assert services.active_ca().sidik_jari.encode() in page.content


def test_manager_revokes_someone_elses_certificate(client, enrolled, city):
    login_as(client, city.admin)
    assert client.post(reverse("tte:revoke", args=[enrolled.pk]), {"reason": "pindah tugas"}).status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.status == "dicabut"


def test_ca_pem_is_public(client, ca):
    response = client.get(reverse("tte:ca_pem"))
    assert response.status_code == 200 and response.content.decode() == ca.sertifikat_pem


def test_api_lists_only_my_certificates_without_keys(client, enrolled, city):
    login_as(client, city.pimpinan)
    body = client.get("/api/v1/tte/sertifikat/").json()
    assert [row["serial"] for row in body["results"]] == [enrolled.serial]
    assert "kunci_terenkripsi" not in body["results"][0]
    client.logout()
    login_as(client, city.staff_same)
    assert client.get("/api/v1/tte/sertifikat/").json()["results"] == []
    missing = client.get(f"/api/v1/tte/sertifikat/{enrolled.pk}/")
    assert missing.status_code == 404 and missing.json()["error"]["status"] == 404


def test_api_ca(client, ca):
    body = client.get("/api/v1/tte/ca/").json()
    assert body["configured"] and body["fingerprint_sha256"] == ca.sidik_jari and "BEGIN CERTIFICATE" in body["pem"]


def test_api_validate_a_signed_pdf(client, enrolled, signer, letter_pdf):
    signed = services.sign_pdf(
        letter_pdf, pegawai=signer, backend="ca", passphrase=PASSPHRASE, stamp=None, reason="Setuju", location="Uji"
    ).data
    response = client.post("/api/v1/tte/validate/", {"file": SimpleUploadedFile("s.pdf", signed)})
    body = response.json()
    assert response.status_code == 200 and body["valid"] is True
    assert body["signatures"][0]["signer"] == signer.nama_lengkap
    assert body["signatures"][0]["covers_whole_document"] is True


@pytest.mark.parametrize(
    "data, code",
    [
        ({}, "invalid"),
        ({"file": lambda: SimpleUploadedFile("x.pdf", pdfs.GARBAGE)}, "invalid_pdf"),
        ({"file": lambda: SimpleUploadedFile("x.pdf", pdfs.encrypted())}, "encrypted_pdf"),
    ],
)
def test_api_validate_errors_are_json(client, db, data, code):
    payload = {key: make() for key, make in data.items()}
    response = client.post("/api/v1/tte/validate/", payload)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code and response.json()["error"]["message"]


def test_api_validate_unsigned_pdf_says_so(client, db):
    body = client.post("/api/v1/tte/validate/", {"file": SimpleUploadedFile("x.pdf", pdfs.blank())}).json()
    assert body["valid"] is False and body["signatures"] == [] and "no electronic signature" in body["message"]
