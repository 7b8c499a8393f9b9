"""Small PDFs for the tests: a WeasyPrint letter (optionally PDF/A), a blank pypdf page, an encrypted one."""

from __future__ import annotations

import io


def letter(pages: int = 1, pdf_variant: str | None = None) -> bytes:
    from weasyprint import HTML

    body = "".join(
        f'<section style="page-break-after: always"><h1>Surat uji {n + 1}</h1><p>Isi surat.</p></section>'
        for n in range(pages)
    )
    html = f"<html lang='id'><head><title>Surat uji</title></head><body>{body}</body></html>"
    kwargs = {"pdf_variant": pdf_variant} if pdf_variant else {}
    return HTML(string=html).write_pdf(**kwargs)


def blank(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _n in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank())))
    writer.encrypt(user_password="rahasia", owner_password="pemilik", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


GARBAGE = b"%PDF-1.7\nthis is not really a pdf\n%%EOF\n"
NOT_A_PDF = b"GIF89a not a pdf at all"
