"""The value types of the signing interface (kept free of Django models so the PDF and BSrE code can use them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# One message per error code, written for the signer (translatable). A backend may pass a more precise message.
MESSAGES = {
    "no_certificate": _("You have no valid signing certificate for this method."),
    "wrong_passphrase": _("The passphrase is wrong."),
    "certificate_expired": _("The signing certificate has expired. Renew it or upload a new one."),
    "certificate_revoked": _("The signing certificate has been revoked."),
    "certificate_not_yet_valid": _("The signing certificate is not valid yet."),
    "invalid_pdf": _("The file is not a readable PDF."),
    "encrypted_pdf": _("The PDF is encrypted or password-protected; upload it without protection."),
    "backend_unavailable": _("The signing service cannot be reached right now. Try again later."),
    "backend_refused": _("The signing service refused the request."),
    "nik_missing": _("Your NIK is not recorded; ask the personnel administrator to add it."),
    "nik_not_registered": _("Your NIK is not registered with the BSrE signing service."),
    "unknown_backend": _("This signing method is not available."),
    "no_ca": _("The instance's certificate authority has not been set up (terpadu tte init-ca)."),
}


class SigningError(Exception):
    """A signing attempt that failed for a reason the user can act on. `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str | None = None):
        self.code = code
        self.message = str(message or MESSAGES.get(code, code))
        super().__init__(f"{code}: {self.message}")


@dataclass
class Stamp:
    """A visible signature with a QR code to the public verification page."""

    page: int  # 0-based; -1 = last page
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom-left
    qr_url: str
    lines: list[str] = field(default_factory=list)


@dataclass
class SignedPdf:
    data: bytes
    backend: str
    signer_subject: str
    certificate_serial: str
    signed_at: dt.datetime


@dataclass
class SigningOption:
    code: str  # ca | pkcs12 | bsre
    label: str
    detail: str
    credential_id: int | None = None  # the SertifikatPenandatangan to use (None for bsre)


@dataclass
class SignatureInfo:
    field: str
    signer: str
    signed_at: dt.datetime | None
    intact: bool  # the signed bytes were not changed
    trusted: bool  # the certificate chains to a trusted root (the instance CA or an extra root)
    covers_whole_document: bool  # nothing was added after this signature
    reason: str = ""
    location: str = ""
    issuer: str = ""
    serial: str = ""
    backend: str = ""  # ca | bsre | "" (another issuer)
    problem: str = ""


@dataclass
class ValidationReport:
    valid: bool
    signatures: list[SignatureInfo]
    message: str
