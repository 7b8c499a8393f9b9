"""The only code that changes the tte tables, and the one signing interface the other modules call.

    signing_options(pegawai) -> list[SigningOption]
    sign_pdf(pdf, *, pegawai, backend, passphrase, stamp, reason, location, credential_id=None) -> SignedPdf
    validate_pdf(pdf) -> ValidationReport

Backends: "ca" (the instance's own CA, keys encrypted with the holder's passphrase), "pkcs12" (an uploaded
.p12/.pfx, password typed at signing) and "bsre" (the BSrE Esign Client Service). Passphrases and passwords are
never stored, logged or audited.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit, authz, events
from terpadu.tte import bsre, crypto
from terpadu.tte.models import OtoritasSertifikat, SertifikatPenandatangan
from terpadu.tte.types import (  # noqa: F401  (re-exported: the interface other modules import from here)
    MESSAGES,
    SignatureInfo,
    SignedPdf,
    SigningError,
    SigningOption,
    Stamp,
    ValidationReport,
)

logger = logging.getLogger("terpadu.tte")
BACKENDS = ("ca", "pkcs12", "bsre")
PKCS12_MAX_BYTES = 200_000

# -- settings (the lead adds them to settings.py; safe defaults here) ----------------------------


def setting(name: str, default):
    return getattr(settings, f"TERPADU_TTE_{name}", default)


def ca_key_path() -> Path:
    default = Path(getattr(settings, "DATA_DIR", Path("var"))) / "keys" / "tte-ca.pem"
    return Path(setting("CA_KEY_FILE", default) or default)


def passphrase_min_length() -> int:
    return int(setting("PASSPHRASE_MIN_LENGTH", 10))


def bsre_config() -> bsre.BsreConfig | None:
    url = setting("BSRE_URL", "")
    if not url:
        return None
    return bsre.BsreConfig(
        url=url,
        user=setting("BSRE_USER", "") or "",
        password=setting("BSRE_PASSWORD", "") or "",
        timeout=float(setting("BSRE_TIMEOUT", 30)),
    )


# -- the instance CA -------------------------------------------------------------------------------


def active_ca() -> OtoritasSertifikat | None:
    return OtoritasSertifikat.objects.filter(aktif=True).order_by("-dibuat").first()


def _pemda_name() -> str:
    from terpadu.organisasi.services import the_pemda

    pemda = the_pemda()
    return pemda.nama if pemda else getattr(settings, "SITE_NAME", "Terpadu")


@transaction.atomic
def init_ca(common_name: str = "") -> OtoritasSertifikat:
    """Create the CA key file (refusing to overwrite one) and record its self-signed certificate."""
    path = ca_key_path()
    if path.exists():
        raise SigningError("ca_exists", _("%(path)s exists; refusing to overwrite the CA key.") % {"path": path})
    if active_ca() is not None:
        raise SigningError("ca_exists", _("A certificate authority is already active."))
    organisation = _pemda_name()
    common_name = common_name or f"{organisation} TTE CA"
    key, cert = crypto.make_ca(
        common_name, organisation, int(setting("CA_VALIDITY_DAYS", 3650)), setting("KEY_TYPE", "ec")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(crypto.plain_key_pem(key))
    record = OtoritasSertifikat.objects.create(
        nama=common_name,
        sertifikat_pem=crypto.cert_pem(cert),
        sidik_jari=crypto.fingerprint(cert),
        serial=crypto.serial_hex(cert),
        berlaku_mulai=cert.not_valid_before_utc,
        berlaku_sampai=cert.not_valid_after_utc,
    )
    audit.record(record, "create", {"nama": common_name, "sidik_jari": record.sidik_jari, "key_file": str(path)})
    return record


def _load_ca() -> tuple[object, x509.Certificate, OtoritasSertifikat]:
    record = active_ca()
    path = ca_key_path()
    if record is None or not path.exists():
        raise SigningError("no_ca")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    cert = crypto.load_cert(record.sertifikat_pem)
    if crypto.fingerprint(cert) != record.sidik_jari:
        raise SigningError("no_ca", _("The CA certificate in the database does not match its record."))
    return key, cert, record


# -- enrolment, renewal, revocation ------------------------------------------------------------------


def _user_of(pegawai):
    return getattr(pegawai, "user", None)


def may_enrol(pegawai) -> bool:
    user = _user_of(pegawai)
    return user is not None and user.is_active and authz.has_action(user, "tte.enrol")


def check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < passphrase_min_length():
        raise SigningError(
            "weak_passphrase",
            _("The passphrase must have at least %(n)d characters.") % {"n": passphrase_min_length()},
        )


def _subject_of(pegawai) -> crypto.SubjectInfo:
    return crypto.SubjectInfo(
        common_name=pegawai.nama_lengkap,
        nip=pegawai.nip,
        organisation=_pemda_name(),
        unit=pegawai.unit.nama if pegawai.unit_id else "",
        title=pegawai.jabatan.nama if pegawai.jabatan_id else "",
    )


def _audit_fields(cert: SertifikatPenandatangan) -> dict:
    """What the audit trail may know about a certificate: never the key, the blob or a passphrase."""
    return {
        "backend": cert.backend,
        "serial": cert.serial,
        "subjek": cert.subjek,
        "berlaku_sampai": cert.berlaku_sampai,
        "status": cert.status,
    }


def _issue(pegawai, public_key, encrypted_key: bytes, key_type: str) -> SertifikatPenandatangan:
    ca_key, ca_cert, ca_record = _load_ca()
    now = timezone.now()
    days = int(setting("CERT_VALIDITY_DAYS", 730))
    not_after = min(now + dt.timedelta(days=days), ca_cert.not_valid_after_utc)
    cert = crypto.issue(ca_key, ca_cert, public_key, _subject_of(pegawai), now - dt.timedelta(minutes=1), not_after)
    record = SertifikatPenandatangan.objects.create(
        pegawai=pegawai,
        backend=SertifikatPenandatangan.Backend.CA,
        otoritas=ca_record,
        subjek=crypto.subject_text(cert),
        penerbit=crypto.subject_text(ca_cert),
        serial=crypto.serial_hex(cert),
        sidik_jari=crypto.fingerprint(cert),
        berlaku_mulai=cert.not_valid_before_utc,
        berlaku_sampai=cert.not_valid_after_utc,
        sertifikat_pem=crypto.cert_pem(cert),
        rantai_pem=ca_record.sertifikat_pem,
        kunci_terenkripsi=encrypted_key,
        jenis_kunci=key_type,
    )
    return record


@transaction.atomic
def enrol(pegawai, passphrase: str, key_type: str | None = None) -> SertifikatPenandatangan:
    """New key pair (encrypted with the passphrase) and a certificate from the instance CA."""
    if not may_enrol(pegawai):
        raise SigningError("not_allowed", _("This employee may not hold a signing certificate."))
    check_passphrase(passphrase)
    key_type = key_type or setting("KEY_TYPE", "ec")
    if key_type not in crypto.KEY_TYPES:
        raise SigningError("invalid_key_type", _("Unknown key type."))
    key = crypto.new_key(key_type)
    record = _issue(pegawai, key.public_key(), crypto.encrypt_key(key, passphrase), key_type)
    audit.record(record, "create", audit.diff(None, _audit_fields(record)))
    events.publish("tte.sertifikat_diterbitkan", {"sertifikat_id": record.pk, "pegawai_id": pegawai.pk})
    return record


@transaction.atomic
def renew(old: SertifikatPenandatangan, passphrase: str) -> SertifikatPenandatangan:
    """A fresh certificate for the same key (the passphrase proves possession); the old one is retired."""
    old = SertifikatPenandatangan.objects.select_for_update().get(pk=old.pk)
    if old.backend != SertifikatPenandatangan.Backend.CA:
        raise SigningError("not_renewable", _("Only certificates of the instance CA can be renewed here."))
    if not old.aktif:
        raise SigningError("certificate_revoked")
    if not may_enrol(old.pegawai):
        raise SigningError("not_allowed", _("This employee may not hold a signing certificate."))
    key = crypto.decrypt_key(bytes(old.kunci_terenkripsi), passphrase)
    record = _issue(old.pegawai, key.public_key(), bytes(old.kunci_terenkripsi), old.jenis_kunci)
    _mark_revoked(old, _("Replaced by certificate %(serial)s") % {"serial": record.serial}, "renew")
    audit.record(record, "create", audit.diff(None, _audit_fields(record)))
    events.publish("tte.sertifikat_diterbitkan", {"sertifikat_id": record.pk, "pegawai_id": old.pegawai_id})
    return record


def _mark_revoked(cert: SertifikatPenandatangan, reason: str, action: str) -> None:
    before = _audit_fields(cert)
    cert.status = SertifikatPenandatangan.Status.DICABUT
    cert.dicabut_pada = timezone.now()
    cert.alasan_pencabutan = str(reason)[:300]
    cert.save(update_fields=["status", "dicabut_pada", "alasan_pencabutan"])
    changes = audit.diff(before, _audit_fields(cert))
    changes["alasan_pencabutan"] = [None, cert.alasan_pencabutan]
    audit.record(cert, action, changes)


def may_revoke(user, cert: SertifikatPenandatangan) -> bool:
    own = getattr(user, "pegawai_id", None) == cert.pegawai_id and user.pegawai_id is not None
    return own or authz.can(user, "tte.manage", cert)


@transaction.atomic
def revoke(cert: SertifikatPenandatangan, reason: str) -> SertifikatPenandatangan:
    """Revoke (by the holder or tte.manage; the caller checks who). Signatures made before stay valid."""
    cert = SertifikatPenandatangan.objects.select_for_update().get(pk=cert.pk)
    if not cert.aktif:
        return cert
    _mark_revoked(cert, reason or _("Revoked"), "revoke")
    events.publish("tte.sertifikat_dicabut", {"sertifikat_id": cert.pk, "pegawai_id": cert.pegawai_id})
    return cert


# -- PKCS#12 upload ---------------------------------------------------------------------------------------


@transaction.atomic
def upload_pkcs12(pegawai, blob: bytes, password: str) -> SertifikatPenandatangan:
    """Check the file with its password (not stored), then keep the file as uploaded with its certificate data."""
    if not may_enrol(pegawai):
        raise SigningError("not_allowed", _("This employee may not hold a signing certificate."))
    if not blob or len(blob) > PKCS12_MAX_BYTES:
        raise SigningError("invalid_pkcs12", _("The file is empty or too large for a PKCS#12 certificate."))
    if not _looks_like_pkcs12(blob):
        raise SigningError("invalid_pkcs12", _("The file is not a PKCS#12 (.p12/.pfx) certificate."))
    key, cert, extra = crypto.load_p12(blob, password)
    crypto.check_validity(cert)
    _check_signing_usage(cert)
    record = SertifikatPenandatangan.objects.create(
        pegawai=pegawai,
        backend=SertifikatPenandatangan.Backend.PKCS12,
        subjek=crypto.subject_text(cert),
        penerbit=cert.issuer.rfc4514_string(),
        serial=crypto.serial_hex(cert),
        sidik_jari=crypto.fingerprint(cert),
        berlaku_mulai=cert.not_valid_before_utc,
        berlaku_sampai=cert.not_valid_after_utc,
        sertifikat_pem=crypto.cert_pem(cert),
        rantai_pem="".join(crypto.cert_pem(c) for c in extra),
        kunci_terenkripsi=blob,
        jenis_kunci=type(key).__name__[:20],
    )
    audit.record(record, "create", audit.diff(None, _audit_fields(record)))
    events.publish("tte.sertifikat_diterbitkan", {"sertifikat_id": record.pk, "pegawai_id": pegawai.pk})
    return record


def _looks_like_pkcs12(blob: bytes) -> bool:
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(blob)
        return pfx["version"].native == "v3"
    except (ValueError, TypeError, KeyError):
        return False


def _check_signing_usage(cert: x509.Certificate) -> None:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise SigningError("invalid_pkcs12", _("This certificate may not be used for signatures."))


# -- signing ---------------------------------------------------------------------------------------------


def _usable_certs(pegawai, backend: str):
    now = timezone.now()
    return SertifikatPenandatangan.objects.filter(
        pegawai=pegawai,
        backend=backend,
        status=SertifikatPenandatangan.Status.AKTIF,
        berlaku_mulai__lte=now,
        berlaku_sampai__gte=now,
    ).order_by("-berlaku_sampai")


def signing_options(pegawai) -> list[SigningOption]:
    """The backends this signer can use now, with the certificate each would use."""
    if pegawai is None or not may_enrol(pegawai):
        return []
    options = []
    labels = {"ca": _("Certificate of the instance CA"), "pkcs12": _("Uploaded certificate (PKCS#12)")}
    for backend in ("ca", "pkcs12"):
        for cert in _usable_certs(pegawai, backend):
            detail = _("%(subject)s, valid until %(date)s") % {
                "subject": cert.subjek,
                "date": timezone.localtime(cert.berlaku_sampai).date().isoformat(),
            }
            options.append(SigningOption(backend, str(labels[backend]), str(detail), cert.pk))
    if bsre_config() is not None and pegawai.nik:
        options.append(SigningOption("bsre", str(_("BSrE (BSSN)")), str(_("NIK %(nik)s") % {"nik": pegawai.nik})))
    return options


def sign_pdf(
    pdf: bytes,
    *,
    pegawai,
    backend: str,
    passphrase: str,
    stamp: Stamp | None,
    reason: str,
    location: str,
    credential_id: int | None = None,
) -> SignedPdf:
    """Sign with one backend. Raises SigningError (code + message for the user); writes nothing to the database."""
    if backend not in BACKENDS:
        raise SigningError("unknown_backend")
    if pegawai is None or not may_enrol(pegawai):
        raise SigningError("not_allowed", _("You may not sign electronically (tte.enrol)."))
    from terpadu.tte import pdf as pades  # imported when used: pyHanko costs every web worker ~30 MB

    page_count = pades.preflight(pdf)
    try:
        if backend == "bsre":
            result = _sign_bsre(pdf, pegawai, passphrase, stamp, reason, location, page_count)
        else:
            result = _sign_local(pdf, pegawai, backend, passphrase, stamp, reason, location, credential_id)
    except SigningError as exc:
        logger.info("tte sign refused: backend=%s pegawai=%s code=%s", backend, pegawai.pk, exc.code)
        raise
    logger.info("tte signed: backend=%s pegawai=%s serial=%s", backend, pegawai.pk, result.certificate_serial)
    return result


def _credential(pegawai, backend: str, credential_id: int | None) -> SertifikatPenandatangan:
    """The chosen certificate, else the best one: usable, else active (to say "expired"), else the latest."""
    certs = SertifikatPenandatangan.objects.filter(pegawai=pegawai, backend=backend).select_related("otoritas")
    if credential_id:
        cert = certs.filter(pk=credential_id).first()
    else:
        cert = (
            _usable_certs(pegawai, backend).first()
            or certs.filter(status=SertifikatPenandatangan.Status.AKTIF).order_by("-berlaku_sampai").first()
            or certs.order_by("-dibuat").first()
        )
    if cert is None:
        raise SigningError("no_certificate")
    if not cert.aktif:
        raise SigningError("certificate_revoked")
    now = timezone.now()
    if now < cert.berlaku_mulai:
        raise SigningError("certificate_not_yet_valid")
    if now > cert.berlaku_sampai:
        raise SigningError("certificate_expired")
    return cert


def _sign_local(pdf_bytes, pegawai, backend, passphrase, stamp, reason, location, credential_id) -> SignedPdf:
    record = _credential(pegawai, backend, credential_id)
    if backend == "ca":
        key = crypto.decrypt_key(bytes(record.kunci_terenkripsi), passphrase)
        cert = crypto.load_cert(record.sertifikat_pem)
        chain = _pem_certs(record.rantai_pem)
    else:
        key, cert, extra = crypto.load_p12(bytes(record.kunci_terenkripsi), passphrase)
        chain = [crypto.to_asn1_cert(c) for c in extra] or _pem_certs(record.rantai_pem)
    crypto.check_validity(cert)
    if backend == "ca":
        _check_ca_still_active(record)
    from terpadu.tte import pdf as pades  # imported when used: pyHanko costs every web worker ~30 MB

    signed = pades.sign(
        pdf_bytes,
        signing_cert=crypto.to_asn1_cert(cert),
        signing_key=crypto.to_asn1_key(key),
        chain=chain,
        stamp=stamp,
        reason=reason,
        location=location,
    )
    return SignedPdf(signed, backend, record.subjek, record.serial, timezone.now())


def _check_ca_still_active(record: SertifikatPenandatangan) -> None:
    if record.otoritas_id and not record.otoritas.aktif:
        raise SigningError("certificate_revoked", _("The certificate authority that issued it was retired."))


def _pem_certs(text: str) -> list[asn1_x509.Certificate]:
    data = (text or "").encode()
    if not data.strip():
        return []
    return [asn1_x509.Certificate.load(der) for _type, _headers, der in asn1_pem.unarmor(data, multiple=True)]


def _sign_bsre(pdf_bytes, pegawai, passphrase, stamp, reason, location, page_count) -> SignedPdf:
    cfg = bsre_config()
    if cfg is None:
        raise SigningError("backend_unavailable", _("The BSrE signing service is not configured."))
    if not pegawai.nik:
        raise SigningError("nik_missing")
    page = box = image = None
    qr_url = ""
    if stamp is not None:
        page = (stamp.page if stamp.page >= 0 else page_count + stamp.page) + 1
        box, image, qr_url = stamp.box, stamp_png(stamp), stamp.qr_url
    signed = bsre.sign_pdf(
        cfg,
        pdf_bytes,
        nik=pegawai.nik,
        passphrase=passphrase,
        page=page,
        box=box,
        image_png=image,
        qr_url=qr_url,
        reason=reason,
        location=location,
    )
    subject, serial = _last_signer(signed)
    return SignedPdf(signed, "bsre", subject, serial, timezone.now())


def _last_signer(signed: bytes) -> tuple[str, str]:
    try:
        from terpadu.tte import pdf as pades  # imported when used: pyHanko costs every web worker ~30 MB

        reader = pades.open_reader(signed)
        sig = reader.embedded_signatures[-1]
    except (SigningError, IndexError) as exc:
        raise SigningError("backend_refused", _("The BSrE service returned a file without a signature.")) from exc
    cert = sig.signer_cert
    return cert.subject.human_friendly, format(cert.serial_number, "x")


def stamp_png(stamp: Stamp) -> bytes:
    """The stamp as an image (QR code left, lines right) for services that place an image (BSrE)."""
    import qrcode
    from PIL import Image, ImageDraw, ImageFont

    qr = qrcode.make(stamp.qr_url, box_size=4, border=1).get_image().convert("RGB")
    font = ImageFont.load_default()
    width = qr.width + 10 + max((int(font.getlength(line)) for line in stamp.lines), default=0) + 10
    image = Image.new("RGB", (max(width, qr.width), max(qr.height, 14 * len(stamp.lines) + 10)), "white")
    image.paste(qr, (0, 0))
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(stamp.lines):
        draw.text((qr.width + 10, 5 + 14 * n), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def bsre_verify(pdf_bytes: bytes) -> dict:
    """The BSrE service's own verification report of a PDF (raises SigningError when not configured)."""
    cfg = bsre_config()
    if cfg is None:
        raise SigningError("backend_unavailable", _("The BSrE signing service is not configured."))
    return bsre.verify_pdf(cfg, pdf_bytes)


# -- validation ------------------------------------------------------------------------------------------


def extra_trust_roots() -> list[asn1_x509.Certificate]:
    path = setting("TRUST_ROOTS_FILE", "")
    if not path or not Path(path).exists():
        return []
    return _pem_certs(Path(path).read_text())


def instance_roots() -> list[asn1_x509.Certificate]:
    """Every CA this instance ever ran (a retired CA's earlier signatures stay verifiable)."""
    return [_pem_certs(ca.sertifikat_pem)[0] for ca in OtoritasSertifikat.objects.all()]


def validate_pdf(pdf: bytes) -> ValidationReport:
    """Is the PDF intact, who signed when, does each signature chain to a trusted root and cover the file?"""
    from terpadu.tte import pdf as pades  # imported when used: pyHanko costs every web worker ~30 MB

    report = pades.validate(pdf, instance_roots() + extra_trust_roots())
    for info in report.signatures:
        _annotate(info)
    if report.valid and any(info.problem for info in report.signatures):
        report.valid = False
        report.message = str(_("At least one signature is not valid or not trusted."))
    return report


def _annotate(info: SignatureInfo) -> None:
    """Which backend made the signature, and was its certificate revoked before it was made?"""
    record = SertifikatPenandatangan.objects.filter(serial=info.serial).first() if info.serial else None
    if record is not None:
        info.backend = record.backend
        if record.dicabut_pada and info.signed_at and info.signed_at >= record.dicabut_pada:
            info.problem = str(_("The certificate was revoked before this signature was made."))
    elif info.trusted:
        info.backend = "bsre"  # trusted through the configured extra roots (the BSrE chain)
