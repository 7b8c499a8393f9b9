"""Uploads: the type is sniffed from the content (never trusted from the name or the browser),
sizes are limited, and PDFs are parsed before they are accepted."""

from __future__ import annotations

import codecs
import hashlib
import io

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from terpadu.core.models import StoredFile

KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


class UploadRejected(ValueError):
    pass


def sniff(data: bytes, name: str) -> str:
    """The kind of the content, judged by its bytes. CSV has no signature: it must be UTF-8 text."""
    guess = filetype.guess(data[:8192])
    if guess is not None:
        if guess.extension == "zip" and name.lower().endswith(".xlsx"):
            return "xlsx"
        return {"jpeg": "jpg"}.get(guess.extension, guess.extension)
    try:
        # final=False: a character cut in two at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8-sig")().decode(data[:65536], final=False)
    except UnicodeDecodeError:
        return "unknown"
    return "csv" if b"\x00" not in data[:65536] else "unknown"


def check_pdf(data: bytes) -> int:
    """Parse the PDF; reject encrypted or broken ones. Returns the page count."""
    from pypdf import PdfReader  # imported when used: ~6 MB per web worker otherwise

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRejected(_("The PDF is encrypted or password-protected; upload an unprotected PDF."))
        pages = len(reader.pages)
    except UploadRejected:
        raise
    except Exception as exc:  # damaged input makes pypdf raise almost anything (AttributeError, loops…)
        raise UploadRejected(_("The file is not a valid PDF (%(reason)s).") % {"reason": exc}) from exc
    if pages < 1:
        raise UploadRejected(_("The PDF has no pages."))
    return pages


def read_checked(uploaded, allowed: set[str], max_bytes: int | None = None) -> tuple[bytes, str]:
    """Validate an upload and return (content, kind); raises UploadRejected with a clear reason."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise UploadRejected(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(uploaded.size / 1048576, 1), "limit": round(limit / 1048576, 1)}
        )
    data = uploaded.read()
    if len(data) > limit:
        raise UploadRejected(_("The file is larger than the limit."))
    if not data:
        raise UploadRejected(_("The file is empty."))
    kind = sniff(data, uploaded.name or "")
    if kind not in allowed:
        raise UploadRejected(
            _("This file type is not accepted here (accepted: %(kinds)s).") % {"kinds": ", ".join(sorted(allowed))}
        )
    if kind == "pdf":
        check_pdf(data)
    return data, kind


def store(uploaded, allowed: set[str], user=None, max_bytes: int | None = None) -> StoredFile:
    data, kind = read_checked(uploaded, allowed, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    stored = StoredFile(
        original_name=(uploaded.name or "upload")[:255],
        content_type=KINDS.get(kind, "application/octet-stream"),
        size=len(data),
        sha256=digest,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    stored.file.save(f"{digest[:16]}.{kind}", ContentFile(data), save=False)
    stored.save()
    return stored
