"""A local stand-in for the BSrE Esign Client Service, for development and tests. NOT for production.

    python -m terpadu.tte.bsre_standin --port 8089 [--user esign --password qwerty]
        [--signer 3578000000000001:"Dr. Budi Santoso, M.Si.":Rahasia-BSrE-1] [--ca-out /tmp/standin-ca.pem]

It answers like the documented API (see terpadu.tte.bsre) and really signs, with its own throw-away test CA
(put its certificate, from --ca-out or GET /standin/ca.pem, in TERPADU_TTE_TRUST_ROOTS_FILE to have the
signatures shown as trusted). Error answers:

    401  wrong client credentials              {"error": "Unauthorized", "status_code": 401}
    400  NIK unknown                            {"error": "User tidak terdaftar", "status_code": 1111}
    400  wrong passphrase                       {"error": "Passphrase anda salah", "status_code": 2031}
    400  not a PDF                              {"error": "Proses signing gagal : com.itextpdf.text.exceptions.
                                                  InvalidPdfException: PDF header signature not found."}
    500  NIK 9999999999999999 (simulated fault) {"error": "Internal server error", "status_code": 500}
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import email.parser
import email.policy
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_SIGNERS = {"3578000000000001": ("Dr. Budi Santoso, M.Si.", "Rahasia-BSrE-1")}
FAULT_NIK = "9999999999999999"


def _ensure_django() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


class StandinState:
    def __init__(self, user: str, password: str, signers: dict[str, tuple[str, str]]):
        from terpadu.tte import crypto

        self.user, self.password, self.signers = user, password, dict(signers)
        self.ca_key, self.ca_cert = crypto.make_ca(
            "OSD LU Kelas 2 (STAND-IN, TEST ONLY)", "Balai Sertifikasi Elektronik (stand-in)", 3650
        )
        self.keys: dict[str, tuple] = {}
        self.lock = threading.Lock()

    def key_for(self, nik: str):
        from terpadu.tte import crypto

        with self.lock:
            if nik not in self.keys:
                key = crypto.new_key("ec")
                now = dt.datetime.now(dt.UTC)
                who = crypto.SubjectInfo(self.signers[nik][0], nik, "Pemerintah Daerah (stand-in)", "")
                cert = crypto.issue(
                    self.ca_key,
                    self.ca_cert,
                    key.public_key(),
                    who,
                    now - dt.timedelta(days=1),
                    now + dt.timedelta(days=365),
                )
                self.keys[nik] = (key, cert)
            return self.keys[nik]

    def ca_pem(self) -> str:
        from terpadu.tte import crypto

        return crypto.cert_pem(self.ca_cert)


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = payload
        else:
            fields[name] = payload.decode("utf-8", "replace")
    return fields, files


class Handler(BaseHTTPRequestHandler):
    server_version = "BSrE-standin/1.0"
    state: StandinState  # set on the server class

    def log_message(self, format, *args):  # noqa: A002  keep test output quiet (and never log form fields)
        pass

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        expected = base64.b64encode(f"{self.state.user}:{self.state.password}".encode()).decode()
        return self.headers.get("Authorization", "") == f"Basic {expected}"

    def do_GET(self):  # noqa: N802
        if self.path == "/standin/ca.pem":
            data = self.state.ca_pem().encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-pem-file")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            self._json(404, {"error": "Not found", "status_code": 404})

    def do_POST(self):  # noqa: N802
        if not self._authorised():
            return self._json(401, {"error": "Unauthorized", "status_code": 401})
        length = int(self.headers.get("Content-Length", "0") or 0)
        fields, files = _parse_multipart(self.headers.get("Content-Type", ""), self.rfile.read(length))
        if self.path == "/api/sign/pdf":
            return self._sign(fields, files)
        if self.path == "/api/sign/verify":
            return self._verify(files)
        return self._json(404, {"error": "Not found", "status_code": 404})

    def _sign(self, fields: dict, files: dict) -> None:
        from terpadu.tte import crypto, pdf
        from terpadu.tte.types import SigningError, Stamp

        nik = fields.get("nik", "")
        if nik == FAULT_NIK:
            return self._json(500, {"error": "Internal server error", "status_code": 500})
        if nik not in self.state.signers:
            return self._json(400, {"error": "User tidak terdaftar", "status_code": 1111})
        if fields.get("passphrase", "") != self.state.signers[nik][1]:
            return self._json(400, {"error": "Passphrase anda salah", "status_code": 2031})
        document = files.get("file", b"")
        try:
            key, cert = self.state.key_for(nik)
            signed = pdf.sign(
                document,
                signing_cert=crypto.to_asn1_cert(cert),
                signing_key=crypto.to_asn1_key(key),
                chain=[crypto.to_asn1_cert(self.state.ca_cert)],
                stamp=self._stamp(fields, Stamp),
                reason=fields.get("reason", ""),
                location=fields.get("location", ""),
            )
        except SigningError:
            return self._json(
                400,
                {
                    "error": "Proses signing gagal : com.itextpdf.text.exceptions.InvalidPdfException: "
                    "PDF header signature not found."
                },
            )
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(signed)))
        self.send_header("id_dokumen", uuid.uuid4().hex)
        self.end_headers()
        self.wfile.write(signed)

    def _stamp(self, fields: dict, stamp_class):
        if fields.get("tampilan", "invisible") != "visible":
            return None
        x, y = float(fields.get("xAxis") or 0), float(fields.get("yAxis") or 0)
        width, height = float(fields.get("width") or 150), float(fields.get("height") or 60)
        page = int(fields.get("page") or 1) - 1
        lines = ["Ditandatangani secara elektronik", self.state.signers[fields["nik"]][0]]
        url = fields.get("linkQR") or "https://tte.bssn.go.id/"
        return stamp_class(page, (x, y, x + width, y + height), url, lines)

    def _verify(self, files: dict) -> None:
        from terpadu.tte import crypto, pdf

        document = files.get("signed_file", b"")
        report = pdf.validate(document, [crypto.to_asn1_cert(self.state.ca_cert)])
        details = [
            {
                "signature_field": info.field,
                "info_signer": {
                    "signer_name": info.signer,
                    "signer_dn": info.signer,
                    "issuer_dn": info.issuer,
                    "cert_user_certified": info.trusted,
                },
                "signature_document": {
                    "document_integrity": info.intact,
                    "signed_in": info.signed_at.isoformat() if info.signed_at else None,
                    "reason": info.reason,
                    "location": info.location,
                    "signed_using_tsa": False,
                },
            }
            for info in report.signatures
        ]
        notes = "Dokumen valid, Sertifikat yang digunakan terpercaya" if report.valid else report.message
        self._json(
            200,
            {
                "nama_dokumen": "dokumen.pdf",
                "jumlah_signature": len(details),
                "notes": notes,
                "details": details,
                "summary": "VALID" if report.valid else "INVALID",
            },
        )


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    user: str = "esign",
    password: str = "qwerty",  # noqa: S107  (the stand-in's well-known test credentials)
    signers: dict[str, tuple[str, str]] | None = None,
) -> ThreadingHTTPServer:
    """A stand-in server (not started). port=0 picks a free port; server.base_url says where it listens."""
    _ensure_django()
    state = StandinState(user, password, signers or DEFAULT_SIGNERS)
    handler = type("StandinHandler", (Handler,), {"state": state})
    server = ThreadingHTTPServer((host, port), handler)
    server.state = state
    server.base_url = f"http://{host}:{server.server_address[1]}"
    return server


def start_in_thread(**kwargs) -> ThreadingHTTPServer:
    server = make_server(**kwargs)
    threading.Thread(target=server.serve_forever, daemon=True, name="bsre-standin").start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="BSrE Esign Client Service stand-in (development only)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--user", default="esign")
    parser.add_argument("--password", default="qwerty")
    parser.add_argument("--signer", action="append", default=[], help="NIK:Name:passphrase (repeatable)")
    parser.add_argument("--ca-out", help="write the stand-in CA certificate (PEM) to this file")
    args = parser.parse_args(argv)
    signers = {}
    for spec in args.signer:
        nik, name, passphrase = spec.split(":", 2)
        signers[nik] = (name, passphrase)
    server = make_server(args.host, args.port, args.user, args.password, signers or None)
    if args.ca_out:
        with open(args.ca_out, "w") as out:
            out.write(server.state.ca_pem())
    for nik, (name, _passphrase) in server.state.signers.items():
        print(f"signer NIK {nik}: {name}")
    print(f"BSrE stand-in listening on {server.base_url} (basic auth {args.user}:***)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
