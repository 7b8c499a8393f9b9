"""The BSrE adapter against the local stand-in server (started in a thread on a free port)."""

from __future__ import annotations

import socket

import pytest

from terpadu.organisasi.models import Pegawai
from terpadu.tte import bsre, bsre_standin, services
from terpadu.tte.services import SigningError, Stamp
from terpadu.tte.tests import pdfs

NIK = "3578000000000001"
PASSPHRASE = "Rahasia-BSrE-1"


@pytest.fixture(scope="module")
def standin():
    server = bsre_standin.start_in_thread()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def bsre_settings(ca_settings, standin, tmp_path):
    roots = tmp_path / "bsre-roots.pem"
    roots.write_text(standin.state.ca_pem())
    ca_settings.TERPADU_TTE_BSRE_URL = standin.base_url
    ca_settings.TERPADU_TTE_BSRE_USER = "esign"
    ca_settings.TERPADU_TTE_BSRE_PASSWORD = "qwerty"
    ca_settings.TERPADU_TTE_BSRE_TIMEOUT = 5
    ca_settings.TERPADU_TTE_TRUST_ROOTS_FILE = str(roots)
    return ca_settings


@pytest.fixture
def bsre_signer(city, signer):
    Pegawai.objects.filter(pk=signer.pk).update(nik=NIK)
    signer.refresh_from_db()
    return signer


def _sign(pegawai, passphrase=PASSPHRASE, document=None, stamp=None):
    return services.sign_pdf(
        document or pdfs.blank(2),
        pegawai=pegawai,
        backend="bsre",
        passphrase=passphrase,
        stamp=stamp,
        reason="Menyetujui",
        location="Kota Uji",
    )


def test_bsre_option_needs_configuration_and_a_nik(city, ca_settings, signer, standin):
    assert all(o.code != "bsre" for o in services.signing_options(signer))
    ca_settings.TERPADU_TTE_BSRE_URL = standin.base_url
    assert all(o.code != "bsre" for o in services.signing_options(signer))  # no NIK yet
    with pytest.raises(SigningError) as caught:
        _sign(signer)
    assert caught.value.code == "nik_missing"
    Pegawai.objects.filter(pk=signer.pk).update(nik=NIK)
    signer.refresh_from_db()
    assert [o.code for o in services.signing_options(signer)] == ["bsre"]


def test_bsre_signs_visibly_and_the_result_validates_with_the_bsre_root(bsre_settings, bsre_signer):
    stamp = Stamp(-1, (300, 50, 500, 130), "https://terpadu.example.go.id/v/Q1/", ["Ditandatangani", "Kepala Alfa"])
    signed = _sign(bsre_signer, stamp=stamp)
    assert signed.backend == "bsre" and "Budi Santoso" in signed.signer_subject
    report = services.validate_pdf(signed.data)
    assert report.valid, report.message
    (info,) = report.signatures
    assert info.backend == "bsre" and info.trusted and info.intact and info.covers_whole_document
    assert info.reason == "Menyetujui"


def test_bsre_signature_is_not_trusted_without_the_extra_root(bsre_settings, bsre_signer):
    signed = _sign(bsre_signer)
    bsre_settings.TERPADU_TTE_TRUST_ROOTS_FILE = ""
    report = services.validate_pdf(signed.data)
    assert not report.valid and report.signatures[0].intact and not report.signatures[0].trusted


@pytest.mark.parametrize(
    "nik, passphrase, code",
    [
        (NIK, "salah-passphrase", "wrong_passphrase"),
        ("3578000000009999", PASSPHRASE, "nik_not_registered"),
        (bsre_standin.FAULT_NIK, PASSPHRASE, "backend_unavailable"),
    ],
)
def test_bsre_error_answers_map_to_codes(bsre_settings, bsre_signer, nik, passphrase, code):
    Pegawai.objects.filter(pk=bsre_signer.pk).update(nik=nik)
    bsre_signer.refresh_from_db()
    with pytest.raises(SigningError) as caught:
        _sign(bsre_signer, passphrase=passphrase)
    assert caught.value.code == code and caught.value.message


def test_bsre_invalid_pdf_answer(bsre_settings, standin):
    cfg = services.bsre_config()
    with pytest.raises(SigningError) as caught:
        bsre.sign_pdf(cfg, b"%PDF-1.4 broken", nik=NIK, passphrase=PASSPHRASE)
    assert caught.value.code == "invalid_pdf"


def test_bsre_wrong_client_credentials(bsre_settings, bsre_signer):
    bsre_settings.TERPADU_TTE_BSRE_PASSWORD = "bukan"
    with pytest.raises(SigningError) as caught:
        _sign(bsre_signer)
    assert caught.value.code == "backend_refused"


def test_bsre_server_down_or_silent(bsre_settings, bsre_signer):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    bsre_settings.TERPADU_TTE_BSRE_URL = f"http://127.0.0.1:{free_port}"
    with pytest.raises(SigningError) as caught:
        _sign(bsre_signer)
    assert caught.value.code == "backend_unavailable"
    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        bsre_settings.TERPADU_TTE_BSRE_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"
        bsre_settings.TERPADU_TTE_BSRE_TIMEOUT = 0.5
        with pytest.raises(SigningError) as caught:
            _sign(bsre_signer)
    assert caught.value.code == "backend_unavailable"


def test_bsre_verify_endpoint(bsre_settings, bsre_signer):
    signed = _sign(bsre_signer).data
    answer = services.bsre_verify(signed)
    assert answer["summary"] == "VALID" and answer["jumlah_signature"] == 1
    assert answer["details"][0]["signature_document"]["document_integrity"] is True


def test_error_mapping_table():
    assert bsre.map_error(400, b'{"error":"Passphrase anda salah","status_code":2031}').code == "wrong_passphrase"
    invalid = b'{"error":"Proses signing gagal : com.itextpdf.text.exceptions.InvalidPdfException: Rebuild failed"}'
    assert bsre.map_error(400, invalid).code == "invalid_pdf"
    assert bsre.map_error(502, b"<html>Bad gateway</html>").code == "backend_unavailable"
    assert bsre.map_error(400, b'{"error":"Sesuatu yang lain"}').code == "backend_refused"
