"""Key and certificate handling for the instance CA and uploaded PKCS#12 files (cryptography only, no Django DB).

Private keys of signers exist in clear only in memory during one signing call; at rest they are encrypted
PKCS#8 (the signer's passphrase) or the uploaded PKCS#12 (its password).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _

from terpadu.tte.types import SigningError

KEY_TYPES = ("ec", "rsa")


def new_key(kind: str = "ec"):
    """EC P-256 (fast, the default) or RSA-3072 (slow to generate, widest compatibility)."""
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    return ec.generate_private_key(ec.SECP256R1())


def encrypt_key(key, passphrase: str) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def decrypt_key(pem: bytes, passphrase: str):
    try:
        return serialization.load_pem_private_key(pem, password=passphrase.encode())
    except (ValueError, TypeError) as exc:  # cryptography says "Bad decrypt" as ValueError
        raise SigningError("wrong_passphrase") from exc


def plain_key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def load_cert(pem: str | bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem)


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")


def subject_text(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string()


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else subject_text(cert)


def _name(**parts: str) -> x509.Name:
    oids = {
        "C": NameOID.COUNTRY_NAME,
        "O": NameOID.ORGANIZATION_NAME,
        "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "CN": NameOID.COMMON_NAME,
        "serialNumber": NameOID.SERIAL_NUMBER,
        "title": NameOID.TITLE,
    }
    return x509.Name([x509.NameAttribute(oids[k], v[:64]) for k, v in parts.items() if v])


def _hash_for(key):
    return None if _is_eddsa(key) else hashes.SHA256()


def _is_eddsa(key) -> bool:
    return not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)


def make_ca(common: str, organisation: str, validity_days: int, kind: str = "ec"):
    """A self-signed root for the instance: signs the signers' certificates, nothing else."""
    key = new_key(kind)
    name = _name(C="ID", O=organisation, CN=common)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=validity_days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, _hash_for(key))
    )
    return key, cert


def _key_usage(cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not cert_sign,  # nonRepudiation for signers
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class SubjectInfo:
    common_name: str  # the name with gelar
    nip: str
    organisation: str  # the pemda
    unit: str
    title: str = ""  # the position


def issue(ca_key, ca_cert: x509.Certificate, public_key, who: SubjectInfo, not_before, not_after):
    """A signer's certificate: digitalSignature + nonRepudiation, the NIP as the subject serialNumber."""
    subject = _name(C="ID", O=who.organisation, OU=who.unit, title=who.title, CN=who.common_name, serialNumber=who.nip)
    ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(ca_key, _hash_for(ca_key))
    )


def load_p12(blob: bytes, password: str):
    """(key, certificate, extra certificates) of a PKCS#12 file; SigningError on a wrong password or bad file."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(blob, password.encode() if password else None)
    except ValueError as exc:
        # cryptography does not tell a wrong password from a corrupt file; callers check the structure first.
        raise SigningError("wrong_passphrase") from exc
    if key is None or cert is None:
        raise SigningError("no_certificate", _("The PKCS#12 file does not contain a private key and its certificate."))
    return key, cert, list(extra or [])


def check_validity(cert: x509.Certificate, at: dt.datetime | None = None) -> None:
    at = at or dt.datetime.now(dt.UTC)
    if at < cert.not_valid_before_utc:
        raise SigningError("certificate_not_yet_valid")
    if at > cert.not_valid_after_utc:
        raise SigningError("certificate_expired")


def to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def to_asn1_key(key) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
