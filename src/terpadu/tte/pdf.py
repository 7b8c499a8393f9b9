"""PAdES signing and validation with pyHanko. No database access: callers pass keys, certificates and roots.

Signing is an incremental update (the original bytes stay untouched), so a PDF/A input keeps its PDF/A parts
and earlier signatures stay intact.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import QRStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from terpadu.tte.types import SignatureInfo, SigningError, Stamp, ValidationReport

logger = logging.getLogger("terpadu.tte")


def open_reader(pdf: bytes) -> PdfFileReader:
    """Parse the PDF or raise SigningError invalid_pdf / encrypted_pdf."""
    if not pdf or b"%PDF-" not in pdf[:1024]:
        raise SigningError("invalid_pdf")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        encrypted = reader.encrypted
        reader.root  # noqa: B018  (forces the trailer and catalog to be read)
        if not encrypted:
            reader.root["/Pages"]
    except SigningError:
        raise
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise SigningError("invalid_pdf") from exc
    if encrypted:
        raise SigningError("encrypted_pdf")
    return reader


def preflight(pdf: bytes) -> int:
    """Check that the PDF can be signed; returns its page count."""
    reader = open_reader(pdf)
    try:
        return int(reader.root["/Pages"]["/Count"])
    except (PdfError, KeyError, TypeError, ValueError) as exc:
        raise SigningError("invalid_pdf") from exc


def _free_field_name(reader: PdfFileReader) -> str:
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    index = 1
    while f"TTE{index}" in taken:
        index += 1
    return f"TTE{index}"


def _stamp_style(stamp: Stamp) -> QRStampStyle:
    # pyHanko interpolates %(name)s in the text: escape the signer's own percent signs.
    text = "\n".join(line.replace("%", "%%") for line in stamp.lines) or " "
    return QRStampStyle(stamp_text=text, border_width=1, background=None)


def sign(
    pdf: bytes,
    *,
    signing_cert: asn1_x509.Certificate,
    signing_key,
    chain: list[asn1_x509.Certificate],
    stamp: Stamp | None,
    reason: str,
    location: str,
) -> bytes:
    """PAdES B-B signature (embedded chain, reason, location, signing time), visible when a stamp is given."""
    reader = open_reader(pdf)
    page_count = int(reader.root["/Pages"]["/Count"])
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    name = _free_field_name(reader)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    spec, style, params = fields.SigFieldSpec(name), None, None
    if stamp is not None:
        page = stamp.page if stamp.page >= 0 else page_count + stamp.page
        if not 0 <= page < page_count:
            raise SigningError("invalid_pdf", _("The PDF has no page %(n)d.") % {"n": stamp.page + 1})
        box = tuple(int(round(v)) for v in stamp.box)
        spec = fields.SigFieldSpec(name, on_page=page, box=box)
        style, params = _stamp_style(stamp), {"url": stamp.qr_url}
    try:
        if stamp is not None:
            _add_field_with_link(writer, spec, stamp.qr_url)
            spec = None  # the field exists now; the signer fills it
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
        # Reserving the space up front spares pyHanko a dry-run signature to measure it (half the time).
        reserved = 8192 + 1024 * (sum(len(cert.dump()) for cert in [signing_cert, *chain]) // 1024 + 1)
        out = pdf_signer.sign_pdf(writer, appearance_text_params=params, bytes_reserved=reserved)
    except (PdfError, HankoSigningError, KeyError, TypeError, ValueError) as exc:
        logger.warning("pyHanko could not sign: %s", exc)
        raise SigningError("invalid_pdf") from exc
    return out.getvalue()


def _add_field_with_link(writer: IncrementalPdfFileWriter, spec: fields.SigFieldSpec, url: str) -> None:
    """Make the stamp clickable: the signature widget itself opens the verification page (a URI action).

    A separate /Link annotation would do the same, but validators count a new non-widget annotation as a
    suspicious change for earlier signatures; an action on the signature's own widget is part of the field.
    """
    fields.append_signature_field(writer, spec)
    _name, _value, ref = next(fields.enumerate_sig_fields(writer, with_name=spec.sig_field_name))
    field = ref.get_object()
    field[generic.pdf_name("/A")] = generic.DictionaryObject(
        {generic.pdf_name("/S"): generic.pdf_name("/URI"), generic.pdf_name("/URI"): generic.pdf_string(url)}
    )
    writer.update_container(field)


# -- validation ------------------------------------------------------------------------


def validate(pdf: bytes, trust_roots: list[asn1_x509.Certificate]) -> ValidationReport:
    try:
        reader = open_reader(pdf)
        embedded = reader.embedded_signatures
    except SigningError as exc:
        return ValidationReport(False, [], exc.message)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        logger.info("unreadable PDF at validation: %s", exc)
        return ValidationReport(False, [], str(SigningError("invalid_pdf").message))
    if not embedded:
        return ValidationReport(False, [], _("The PDF has no electronic signature."))
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail")
    infos = [_check(sig, context) for sig in embedded]
    valid = all(info.intact and info.trusted and not info.problem for info in infos)
    last_covers = infos[-1].covers_whole_document
    if valid and not last_covers:
        valid = False
        infos[-1].problem = infos[-1].problem or str(_("The file was changed after the last signature."))
    message = _("All signatures are valid.") if valid else _("At least one signature is not valid or not trusted.")
    return ValidationReport(valid, infos, str(message))


def _check(sig, context: ValidationContext) -> SignatureInfo:
    cert = sig.signer_cert
    info = SignatureInfo(
        field=sig.field_name,
        signer=_common_name(cert),
        signed_at=sig.self_reported_timestamp,
        intact=False,
        trusted=False,
        covers_whole_document=False,
        reason=str(sig.sig_object.get("/Reason", "")),
        location=str(sig.sig_object.get("/Location", "")),
        issuer=cert.issuer.human_friendly,
        serial=format(cert.serial_number, "x"),
    )
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # noqa: BLE001  a hostile upload must give a report, never a 500
        logger.info("signature %s could not be validated: %s", sig.field_name, exc)
        info.problem = str(_("The signature could not be checked."))
        return info
    info.intact = bool(status.intact and status.valid)
    info.trusted = bool(status.trusted)
    info.covers_whole_document = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if status.signer_reported_dt:
        info.signed_at = status.signer_reported_dt
    if not info.intact:
        info.problem = str(_("The signed content was changed or the signature is broken."))
    elif not info.trusted:
        info.problem = str(_("The certificate does not chain to a trusted authority."))
    elif status.modification_level is not None and status.modification_level.name == "OTHER":
        # Later signatures and form filling are allowed changes; anything else is not.
        info.problem = str(_("The file was changed after this signature in a way signatures do not allow."))
    return info


def _common_name(cert: asn1_x509.Certificate) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except (ValueError, KeyError):
        return cert.subject.human_friendly


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
