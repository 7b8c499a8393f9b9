"""Adapter for the BSrE Esign Client Service REST API (the on-premise gateway to BSSN's signing service).

    POST {base}/api/sign/pdf     multipart: file, nik, passphrase, tampilan=visible|invisible, image=true|false,
                                 imageTTD (PNG, visible), linkQR, page, halaman, xAxis, yAxis, width, height,
                                 reason, location; HTTP Basic auth with the client credentials.
                                 200: the signed PDF (application/pdf, header id_dokumen).
                                 4xx/5xx: JSON {"error": "...", "status_code": n}.
    POST {base}/api/sign/verify  multipart: signed_file
                                 → JSON {nama_dokumen, jumlah_signature, notes, details, summary}.

Only the standard library is used (urllib). Error answers map to SigningError codes through data/bsre_errors.json.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib import error, request

from django.utils.translation import gettext as _

from terpadu.tte.types import SigningError

logger = logging.getLogger("terpadu.tte")
ERRORS_FILE = Path(__file__).parent / "data" / "bsre_errors.json"


@dataclass(frozen=True)
class BsreConfig:
    url: str
    user: str
    password: str
    timeout: float = 30.0


@cache
def error_rules() -> list[dict]:
    return json.loads(ERRORS_FILE.read_text())["rules"]


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = f"terpadu-{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _post(cfg: BsreConfig, path: str, fields: dict, files: dict) -> tuple[int, str, bytes]:
    if not cfg.url.startswith(("http://", "https://")):
        raise SigningError("backend_unavailable", _("TERPADU_TTE_BSRE_URL must be an http(s) address."))
    body, content_type = _multipart(fields, files)
    req = request.Request(cfg.url.rstrip("/") + path, data=body, method="POST")  # noqa: S310  (scheme checked)
    token = base64.b64encode(f"{cfg.user}:{cfg.password}".encode()).decode()
    req.add_header("Authorization", f"Basic {token}")
    req.add_header("Content-Type", content_type)
    try:
        with request.urlopen(req, timeout=cfg.timeout) as response:  # noqa: S310  (the URL comes from settings)
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", "") if exc.headers else "", exc.read()
    except TimeoutError as exc:
        logger.warning("BSrE %s timed out after %ss", path, cfg.timeout)
        raise SigningError("backend_unavailable", _("The BSrE signing service did not answer in time.")) from exc
    except (error.URLError, ConnectionError, OSError) as exc:
        logger.warning("BSrE %s unreachable: %s", path, getattr(exc, "reason", exc))
        raise SigningError("backend_unavailable") from exc


def map_error(status: int, body: bytes) -> SigningError:
    """The SigningError for an error answer of the service."""
    try:
        answer = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    text = str(answer.get("error") or answer.get("message") or "")
    code = answer.get("status_code")
    lowered = text.lower()
    for rule in error_rules():
        if (rule.get("status_code") is not None and code == rule["status_code"]) or any(
            phrase in lowered for phrase in rule["phrases"]
        ):
            return SigningError(rule["code"])
    if status == 401 or status == 403:
        return SigningError("backend_refused", _("The BSrE service rejected this instance's client credentials."))
    if status >= 500:
        return SigningError("backend_unavailable")
    detail = text[:200] if text else f"HTTP {status}"
    return SigningError(
        "backend_refused", _("The signing service refused the request: %(detail)s") % {"detail": detail}
    )


def sign_pdf(
    cfg: BsreConfig,
    pdf: bytes,
    *,
    nik: str,
    passphrase: str,
    page: int | None = None,
    box: tuple[float, float, float, float] | None = None,
    image_png: bytes | None = None,
    qr_url: str = "",
    reason: str = "",
    location: str = "",
) -> bytes:
    """Sign through the service; `page` is 1-based, `box` in PDF points (origin bottom-left)."""
    fields = {"nik": nik, "passphrase": passphrase, "reason": reason, "location": location}
    files = {"file": ("dokumen.pdf", pdf, "application/pdf")}
    if box is None:
        fields.update({"tampilan": "invisible", "image": "false"})
    else:
        x1, y1, x2, y2 = box
        fields.update(
            {
                "tampilan": "visible",
                "image": "true" if image_png else "false",
                "page": str(page or 1),
                "halaman": "",
                "xAxis": f"{x1:.0f}",
                "yAxis": f"{y1:.0f}",
                "width": f"{x2 - x1:.0f}",
                "height": f"{y2 - y1:.0f}",
                "linkQR": qr_url,
            }
        )
        if image_png:
            files["imageTTD"] = ("ttd.png", image_png, "image/png")
    status, content_type, body = _post(cfg, "/api/sign/pdf", fields, files)
    if status == 200 and body.startswith(b"%PDF-"):
        return body
    if status == 200 and "json" in content_type:
        signed = _pdf_from_json(body)
        if signed:
            return signed
    raise map_error(status, body)


def _pdf_from_json(body: bytes) -> bytes | None:
    """Some gateway versions answer JSON with the PDF in base64."""
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    for key in ("file", "base64_signed_file", "signed_file"):
        value = answer.get(key) if isinstance(answer, dict) else None
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str):
            try:
                data = base64.b64decode(value)
            except ValueError:
                continue
            if data.startswith(b"%PDF-"):
                return data
    return None


def verify_pdf(cfg: BsreConfig, pdf: bytes) -> dict:
    """The service's own verification report (JSON as answered)."""
    status, _content_type, body = _post(
        cfg, "/api/sign/verify", {}, {"signed_file": ("dokumen.pdf", pdf, "application/pdf")}
    )
    if status != 200:
        raise map_error(status, body)
    try:
        return json.loads(body)
    except ValueError as exc:
        raise SigningError("backend_refused", _("The BSrE service answered something that is not JSON.")) from exc
