"""Fixtures for the tte tests: an instance CA in a temporary key file, a signer, PKCS#12 files."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

from terpadu.tte import crypto
from terpadu.tte.tests import pdfs

PASSPHRASE = "Kunci-Rahasia-TTE-42"
P12_PASSWORD = "Sandi-P12-Uji-7"


@pytest.fixture
def ca_settings(settings, tmp_path):
    settings.TERPADU_TTE_CA_KEY_FILE = str(tmp_path / "keys" / "tte-ca.pem")
    settings.TERPADU_TTE_TRUST_ROOTS_FILE = ""
    settings.TERPADU_TTE_BSRE_URL = ""
    return settings


@pytest.fixture
def ca(city, ca_settings):
    from terpadu.core.context import acting
    from terpadu.tte import services

    with acting(None, via="command"):
        return services.init_ca()


@pytest.fixture
def signer(city):
    """The pimpinan's pegawai: heads hold tte.enrol through the pimpinan role."""
    return city.pimpinan.pegawai


@pytest.fixture
def enrolled(ca, signer):
    from terpadu.core.context import acting
    from terpadu.tte import services

    with acting(signer.user, via="web"):
        return services.enrol(signer, PASSPHRASE)


@pytest.fixture(scope="session")
def letter_pdf() -> bytes:
    return pdfs.letter()


def make_p12(password: str = P12_PASSWORD, days_from: int = -1, days_to: int = 365, name: str = "Pejabat Uji"):
    """A PKCS#12 from a separate (foreign) CA; returns (blob, ca_cert)."""
    ca_key, ca_cert = crypto.make_ca("Foreign Test CA", "Other Org", 3650)
    key = crypto.new_key("ec")
    now = dt.datetime.now(dt.UTC)
    who = crypto.SubjectInfo(name, "197001012000011001", "Other Org", "Unit")
    cert = crypto.issue(
        ca_key, ca_cert, key.public_key(), who, now + dt.timedelta(days=days_from), now + dt.timedelta(days=days_to)
    )
    blob = pkcs12.serialize_key_and_certificates(
        b"uji", key, cert, [ca_cert], BestAvailableEncryption(password.encode())
    )
    return blob, ca_cert


def store_ca_cert(pegawai, passphrase: str, not_before, not_after):
    """An own-CA certificate with chosen validity, written directly (for expired / not-yet-valid cases)."""
    from terpadu.tte import services
    from terpadu.tte.models import SertifikatPenandatangan

    ca_key, ca_cert, record = services._load_ca()
    key = crypto.new_key("ec")
    cert = crypto.issue(ca_key, ca_cert, key.public_key(), services._subject_of(pegawai), not_before, not_after)
    return SertifikatPenandatangan.objects.create(
        pegawai=pegawai,
        backend="ca",
        otoritas=record,
        subjek=crypto.subject_text(cert),
        penerbit=crypto.subject_text(ca_cert),
        serial=crypto.serial_hex(cert),
        sidik_jari=crypto.fingerprint(cert),
        berlaku_mulai=not_before,
        berlaku_sampai=not_after,
        sertifikat_pem=crypto.cert_pem(cert),
        rantai_pem=record.sertifikat_pem,
        kunci_terenkripsi=crypto.encrypt_key(key, passphrase),
        jenis_kunci="ec",
    )


# The view tests read the English source texts (the Indonesian catalogue is tested in core): the personas
# and the test client use English, as in organisasi's view tests.
@pytest.fixture
def city(city):
    from terpadu.accounts.models import User

    User.objects.update(language="en")
    return city


@pytest.fixture(autouse=True)
def _english_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
