"""`terpadu tte init-ca`: the CA key file outside the database, never overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography import x509
from django.core.management import CommandError, call_command

from terpadu.core.models import AuditEvent
from terpadu.tte import services
from terpadu.tte.models import OtoritasSertifikat


def test_init_ca_creates_key_file_and_certificate_and_refuses_to_overwrite(city, ca_settings, capsys):
    call_command("tte", "init-ca")
    key_file = Path(ca_settings.TERPADU_TTE_CA_KEY_FILE)
    assert key_file.exists() and oct(os.stat(key_file).st_mode & 0o777) == "0o600"
    ca = OtoritasSertifikat.objects.get()
    cert = x509.load_pem_x509_certificate(ca.sertifikat_pem.encode())
    assert cert.issuer == cert.subject and city.pemda.nama in ca.nama
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert b"PRIVATE KEY" not in ca.sertifikat_pem.encode()
    assert AuditEvent.objects.filter(object_type__endswith="otoritassertifikat", action="create").exists()
    before = key_file.read_bytes()
    with pytest.raises(CommandError, match="refusing to overwrite"):
        call_command("tte", "init-ca")
    assert key_file.read_bytes() == before and OtoritasSertifikat.objects.count() == 1
    call_command("tte", "status")
    assert "present" in capsys.readouterr().out


def test_missing_key_file_is_a_clear_error(ca, signer, ca_settings):
    Path(ca_settings.TERPADU_TTE_CA_KEY_FILE).unlink()
    with pytest.raises(services.SigningError) as caught:
        services.enrol(signer, "Kunci-Rahasia-TTE-42")
    assert caught.value.code == "no_ca"


def test_enrol_without_a_ca_is_a_clear_error(city, ca_settings, signer):
    with pytest.raises(services.SigningError) as caught:
        services.enrol(signer, "Kunci-Rahasia-TTE-42")
    assert caught.value.code == "no_ca"


def test_short_passphrase_is_refused(ca, signer):
    with pytest.raises(services.SigningError) as caught:
        services.enrol(signer, "pendek")
    assert caught.value.code == "weak_passphrase"


def test_rsa_keys_can_be_chosen(ca, signer):
    cert = services.enrol(signer, "Kunci-Rahasia-TTE-42", key_type="rsa")
    public = x509.load_pem_x509_certificate(cert.sertifikat_pem.encode()).public_key()
    assert public.key_size == 3072
