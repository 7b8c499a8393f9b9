"""poppler's pdfsig (another implementation, NSS-based) must find our signatures valid.

pdfsig does not know the instance CA, so it says "Certificate Validation: Certificate issuer isn't Trusted."
(or "Certificate issuer is unknown."): trust is the job of validate_pdf and of the CA certificate that readers
import from /tte/ca.pem. We assert the cryptographic validity line only.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from terpadu.tte import services
from terpadu.tte.services import Stamp
from terpadu.tte.tests.conftest import P12_PASSWORD, PASSPHRASE, make_p12

REQUIRE_SERVICES = os.environ.get("TERPADU_REQUIRE_SERVICES") == "1"


@pytest.fixture
def pdfsig():
    path = shutil.which("pdfsig")
    if path is None:
        reason = "needs poppler's pdfsig (apt-get install -y poppler-utils)"
        pytest.fail(reason) if REQUIRE_SERVICES else pytest.skip(reason)
    return path


def _pdfsig(pdfsig, data: bytes, tmp_path) -> str:
    target = tmp_path / "signed.pdf"
    target.write_bytes(data)
    result = subprocess.run([pdfsig, str(target)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def test_pdfsig_reports_both_signatures_valid(pdfsig, enrolled, signer, letter_pdf, tmp_path):
    from terpadu.core.context import acting

    blob, _root = make_p12()
    with acting(signer.user, via="web"):
        services.upload_pkcs12(signer, blob, P12_PASSWORD)
    stamp = Stamp(-1, (350, 60, 560, 140), "https://terpadu.example.go.id/v/X1/", ["Ditandatangani", "Kepala Alfa"])
    once = services.sign_pdf(
        letter_pdf, pegawai=signer, backend="ca", passphrase=PASSPHRASE, stamp=stamp, reason="Setuju", location="Uji"
    ).data
    twice = services.sign_pdf(
        once, pegawai=signer, backend="pkcs12", passphrase=P12_PASSWORD, stamp=None, reason="Paraf", location="Uji"
    ).data
    output = _pdfsig(pdfsig, twice, tmp_path)
    assert output.count("Signature Validation: Signature is Valid.") == 2, output
    assert "Signer Certificate Common Name: Kepala Alfa" in output
    assert "Total document signed" in output  # the last signature covers the whole file
