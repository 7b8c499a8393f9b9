"""Naskah to PDF/A (WeasyPrint) in the tata naskah layout of Permendagri 1/2023.

kop surat of the sending unit → the kind's template body (placeholders filled from naskah.isi, or
naskah.ringkasan as paragraphs) → signature block (with an empty space, id "ttd-stamp", where the signing
service puts the visible stamp) → tembusan; a "DRAF" watermark on drafts.

Fonts are the bundled Liberation Serif/Sans (SIL OFL 1.1) loaded with @font-face, and WeasyPrint may fetch
nothing but those files and data: URLs (the unit logo is inlined as one), so a template cannot read the
file system or reach the network.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from terpadu.naskah import tata

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    ("Liberation Serif", "normal", "normal"): "LiberationSerif-Regular.ttf",
    ("Liberation Serif", "bold", "normal"): "LiberationSerif-Bold.ttf",
    ("Liberation Serif", "normal", "italic"): "LiberationSerif-Italic.ttf",
    ("Liberation Serif", "bold", "italic"): "LiberationSerif-BoldItalic.ttf",
    ("Liberation Sans", "normal", "normal"): "LiberationSans-Regular.ttf",
    ("Liberation Sans", "bold", "normal"): "LiberationSans-Bold.ttf",
    ("Liberation Sans", "normal", "italic"): "LiberationSans-Italic.ttf",
    ("Liberation Sans", "bold", "italic"): "LiberationSans-BoldItalic.ttf",
}
PDF_VARIANT = "pdf/a-2b"
PX_TO_PT = 0.75  # CSS px are 1/96 in, PDF points 1/72 in
LOGO_MAX_BYTES = 2 * 1024 * 1024
STAMP_ID = "ttd-stamp"
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ANGKA = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh")
SIFAT_TEKS = {"biasa": "Biasa", "terbatas": "Terbatas", "rahasia": "Rahasia", "sangat_rahasia": "Sangat Rahasia"}
URGENSI_TEKS = {"biasa": "Biasa", "segera": "Segera", "amat_segera": "Amat Segera"}
WILAYAH_PREFIXES = ("Pemerintah Kota ", "Pemerintah Kabupaten ", "Pemerintah Provinsi ", "Pemerintah ")


class RefusingURLFetcher(URLFetcher):
    """Serves the bundled fonts and data: URLs; refuses every other URL (network, other files)."""

    ALLOWED = frozenset(path.resolve() for path in (FONTS_DIR / name for name in FONT_FILES.values()))

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file://"):
            path = Path(url.removeprefix("file://").split("?")[0].split("#")[0]).resolve()
            if path in self.ALLOWED:
                return super().fetch(path.as_uri(), headers)
        raise ValueError(f"refused to fetch {url[:100]!r}: only the bundled fonts and data: URLs are served")


# -- dates, words, places -------------------------------------------------------------------------


def tanggal_indonesia(day: dt.date | None) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}" if day else ""


def jumlah_teks(count: int, satuan: str = "berkas") -> str:
    if not count:
        return "-"
    words = f" ({ANGKA[count]})" if count < len(ANGKA) else ""
    return f"{count}{words} {satuan}"


def wilayah(pemda) -> str:
    """'Sukamaju' from 'Pemerintah Kota Sukamaju' (the place in 'Sukamaju, 3 Maret 2026' and 'Wali Kota Sukamaju')."""
    nama = pemda.nama if pemda else ""
    for prefix in WILAYAH_PREFIXES:
        if nama.lower().startswith(prefix.lower()):
            return nama[len(prefix) :]
    return nama


def jabatan_title(jabatan, pemda=None) -> str:
    """A position as written in a letter; the head of the region as '<sebutan> <wilayah>' (e.g. Wali Kota Sukamaju)."""
    if jabatan is None:
        return ""
    if jabatan.jenis == "kepala_daerah":
        pemda = pemda or jabatan.unit.pemda
        return f"{pemda.kepala_daerah_sebutan} {wilayah(pemda)}".strip()
    return jabatan.nama


# -- signature block ------------------------------------------------------------------------------


@dataclass
class SignatureBlock:
    """The lines of a signature block: position lines (a.n./u.b./Plt./Plh.), then the stamp space, then the signer."""

    jabatan_lines: list[str]
    nama: str = ""
    pangkat: str = ""
    nip: str = ""
    tempat_tanggal: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The whole position text on one line (e.g. for naskah.penandatangan_label)."""
        return " ".join(line.rstrip(",") for line in self.jabatan_lines)


def signature_block(naskah, pegawai, jabatan, acting: str, on_date: dt.date | None = None) -> SignatureBlock:
    """The signature block of `pegawai` signing `naskah` in `jabatan` ("" own, "plt", "plh"), per tata naskah:

    own name:  Kepala Dinas Alfa,
    a.n.:      a.n. Wali Kota Sukamaju / Sekretaris Daerah,
    u.b.:      a.n. Wali Kota Sukamaju / Sekretaris Daerah / u.b. / Kepala Bagian Umum,
               (naskah.atas_nama_jabatan is the intermediate position; the a.n. line is its superior)
    Plt./Plh.: Plt. Kepala Dinas Alfa,   (also inside a.n./u.b.)
    """
    from terpadu.organisasi import services as org

    on_date = on_date or timezone.localdate()
    pemda = jabatan.unit.pemda if jabatan else None
    own = org.position_label(jabatan, acting) if jabatan else ""
    if jabatan is not None and jabatan.jenis == "kepala_daerah":
        own = org.position_label(jabatan, acting).replace(jabatan.nama, jabatan_title(jabatan, pemda))
    lines = []
    mode, atas = getattr(naskah, "atas_nama", ""), getattr(naskah, "atas_nama_jabatan", None)
    if mode == "an" and atas is not None:
        lines = [f"a.n. {jabatan_title(atas, pemda)}"]
    elif mode == "ub" and atas is not None:
        superior = org.atasan_of(atas, on_date)
        lines = [f"a.n. {jabatan_title(superior, pemda)}"] if superior else []
        lines += [jabatan_title(atas, pemda), "u.b."]
    lines.append(f"{own},")
    return SignatureBlock(
        jabatan_lines=lines,
        nama=pegawai.nama_lengkap if pegawai else "",
        pangkat=pegawai.pangkat if pegawai else "",
        nip=pegawai.nip if pegawai and pegawai.status == "PNS" else "",
        tempat_tanggal=f"{wilayah(pemda)}, {tanggal_indonesia(on_date)}" if pemda else "",
    )


def default_signature(naskah, on_date: dt.date | None) -> SignatureBlock | None:
    """For drafts: the block of whoever holds the signing position today (empty name when vacant)."""
    from terpadu.organisasi import services as org

    jabatan = naskah.penandatangan_jabatan
    if jabatan is None:
        return None
    pegawai, acting = org.holder_of(jabatan, on_date)
    if naskah.penandatangan_id and naskah.penandatangan_id != getattr(pegawai, "pk", None):
        pegawai, acting = naskah.penandatangan, _acting_of(naskah.penandatangan, jabatan, on_date)
    return signature_block(naskah, pegawai, jabatan, acting, on_date)


def _acting_of(pegawai, jabatan, on_date) -> str:
    from terpadu.organisasi import services as org

    return next((acting for held, acting in org.positions_held(pegawai, on_date) if held.pk == jabatan.pk), "")


# -- the document context -------------------------------------------------------------------------


def _recipient_label(penerima: dict) -> str:
    from terpadu.organisasi import services as org
    from terpadu.organisasi.models import Jabatan, UnitKerja

    if penerima.get("unit") and not penerima.get("jabatan"):  # a unit is written as its head ("Kepala Dinas …")
        unit = UnitKerja.objects.filter(pk=penerima["unit"]).first()
        head = org.head_of(unit) if unit else None
        if head is not None or unit is not None:
            return jabatan_title(head) if head else unit.nama
    if penerima.get("label"):  # as snapshotted in a version (names may have changed since)
        return str(penerima["label"])
    if penerima.get("jabatan"):
        jabatan = Jabatan.objects.filter(pk=penerima["jabatan"]).select_related("unit__pemda").first()
        return jabatan_title(jabatan) if jabatan else ""
    return ", ".join(part for part in (penerima.get("nama"), penerima.get("instansi")) if part)


def _penerima_rows(naskah, konten: dict | None) -> list[dict]:
    """Recipients as plain dicts {peran, jabatan, unit, nama, instansi, alamat}: from konten or from the table."""
    if konten is not None and "penerima" in konten:
        return [dict(row) for row in konten.get("penerima") or []]
    if naskah.pk is None:
        return []
    return [
        {
            "peran": p.peran,
            "jabatan": p.jabatan_id,
            "unit": p.unit_id,
            "nama": p.nama,
            "instansi": p.instansi,
            "alamat": p.alamat,
        }
        for p in naskah.penerima.all()
    ]


def _paragraphs(text: str) -> list[str]:
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [" ".join(block.split()) for block in blocks if block]


def document_context(naskah, *, nomor, tanggal, signature, konten: dict | None) -> dict:
    """Plain values for the body and the layout (nothing here is a model object)."""
    konten = konten or {}
    unit = naskah.unit
    pemda = unit.pemda
    rows = _penerima_rows(naskah, konten if "penerima" in konten else None)
    tujuan = [
        {"nama": _recipient_label(r), "alamat": r.get("alamat", "")}
        for r in rows
        if r.get("peran", "tujuan") == "tujuan"
    ]
    tembusan = [_recipient_label(r) for r in rows if r.get("peran") == "tembusan"]
    lampiran = konten.get("lampiran", naskah.lampiran.count() if naskah.pk else 0)
    lampiran = len(lampiran) if isinstance(lampiran, list) else int(lampiran or 0)
    isi = dict(konten.get("isi", naskah.isi) or {})
    ringkasan = konten.get("ringkasan", naskah.ringkasan)
    tempat = wilayah(pemda)
    pucuk = naskah.atas_nama_jabatan if naskah.atas_nama == "an" else None
    pucuk = pucuk or naskah.penandatangan_jabatan
    values = {
        "nomor": nomor or naskah.nomor or "",
        "tanggal": tanggal_indonesia(tanggal),
        "tempat": tempat,
        "tempat_tanggal": f"{tempat}, {tanggal_indonesia(tanggal)}" if tanggal else f"{tempat},",
        "hal": konten.get("hal", naskah.hal),
        "sifat": SIFAT_TEKS.get(konten.get("sifat", naskah.sifat), ""),
        "urgensi": URGENSI_TEKS.get(konten.get("urgensi", naskah.urgensi), ""),
        "lampiran": jumlah_teks(lampiran),
        "lampiran_jumlah": lampiran,
        "tujuan": tujuan,
        "tujuan_tempat": "Tempat",
        "tembusan": tembusan,
        "ringkasan": ringkasan,
        "paragraf": _paragraphs(ringkasan),
        "pengirim": signature.title if signature else jabatan_title(naskah.penandatangan_jabatan),
        "penandatangan_pucuk": jabatan_title(pucuk, pemda) if pucuk else "",
        "unit": unit.opd().nama if unit.opd() else unit.nama,
        "pemda": pemda.nama,
        "kepala_daerah": f"{pemda.kepala_daerah_sebutan} {tempat}",
        "jenis": naskah.jenis.nama,
        "asal": ", ".join(part for part in (naskah.asal_nama, naskah.asal_instansi) if part),
        "diterima": tanggal_indonesia(naskah.diterima.date()) if naskah.diterima else "",
        "nomor_agenda": naskah.nomor_agenda or "",
        "instruksi": _instruksi_texts(),
    }
    fields = {name: value for name, value in isi.items() if name not in tata.CONTEXT_NAMES}
    return {**fields, **values, "isi": isi}


def _instruksi_texts() -> list[str]:
    from terpadu.naskah.models import InstruksiDisposisi

    return list(InstruksiDisposisi.objects.filter(aktif=True).values_list("teks", flat=True))


# -- HTML and layout ---------------------------------------------------------------------------------


def _font_faces() -> str:
    rules = []
    for (family, weight, style), name in FONT_FILES.items():
        url = (FONTS_DIR / name).as_uri()
        rules.append(
            f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: {style}; src: url('{url}'); }}"
        )
    return "\n".join(rules)


def _logo_data_url(name: str) -> str:
    """The unit's logo inlined as a data: URL (so the fetcher never opens a file path from the database)."""
    if not name:
        return ""
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except (OSError, ValueError):
        return ""
    if len(data) > LOGO_MAX_BYTES:
        return ""
    mime = mimetypes.guess_type(name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def build_html(template, context: dict, *, unit, signature: SignatureBlock | None, draft: bool) -> str:
    """The complete HTML of a naskah: the layout (a trusted file template) around the sandboxed body."""
    kop = unit.kop_surat()
    kop["logo_url"] = _logo_data_url(kop.get("logo", ""))
    body = tata.render_body(template.isi, context) if template else _fallback_body(context)
    paper = tata.paper_of(template)
    return render_to_string(
        "naskah/pdf/naskah.html",
        {
            "font_faces": mark_safe(_font_faces()),  # noqa: S308 (our own file paths)
            "page_size": tata.PAPER_SIZES[paper],
            # The admin's style goes into <style> as written; a "</style>" in it is cut (see safe_css).
            "extra_css": mark_safe(safe_css(template.css) if template else ""),  # noqa: S308
            "kop": kop,
            "body": mark_safe(body),  # noqa: S308 (rendered by the sandboxed engine with autoescape on)
            "ttd": signature,
            "tembusan": context.get("tembusan", []),
            "draft": draft,
            "stamp_id": STAMP_ID,
        },
    )


FALLBACK_BODY = (
    '<div class="judul-hal">{{ hal }}</div><div class="isi">{% for p in paragraf %}<p>{{ p }}</p>{% endfor %}</div>'
)


def safe_css(css: str) -> str:
    """The template's extra style without the paper marker, unable to close the <style> element."""
    return tata.css_without_paper(css).replace("</", "<\\/")


def _fallback_body(context: dict) -> str:
    """A kind without a template: hal and the summary paragraphs."""
    return tata.render_body(FALLBACK_BODY, context)


@dataclass
class RenderResult:
    pdf: bytes
    # (page_index, x1, y1, x2, y2) in PDF points, origin bottom-left; None when there is no signature block
    signature_box: tuple[int, float, float, float, float] | None
    page_count: int = 0


def element_boxes(document, element_id: str) -> list[tuple[int, float, float, float, float]]:
    """Where the element with `element_id` was laid out: one (page, x1, y1, x2, y2) in PDF points per page part."""
    found = []
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or element.get("id") != element_id:
                continue
            x, y = box.border_box_x(), box.border_box_y()
            width, height = box.border_width(), box.border_height()
            found.append(
                (
                    index,
                    round(x * PX_TO_PT, 2),
                    round((page.height - y - height) * PX_TO_PT, 2),
                    round((x + width) * PX_TO_PT, 2),
                    round((page.height - y) * PX_TO_PT, 2),
                )
            )
            break
    return found


def render_html_document(html: str):
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=RefusingURLFetcher()).render(
        pdf_variant=PDF_VARIANT
    )


def render_pdf_with_layout(
    naskah,
    *,
    nomor: str | None = None,
    tanggal: dt.date | None = None,
    signature: SignatureBlock | None = None,
    draft: bool = True,
    konten: dict | None = None,
) -> RenderResult:
    """Render a naskah (or an old version's `konten`) to PDF/A and say where the signature stamp space is."""
    tanggal = tanggal or naskah.tanggal
    signature = signature or default_signature(naskah, tanggal or timezone.localdate())
    context = document_context(naskah, nomor=nomor, tanggal=tanggal, signature=signature, konten=konten)
    template = naskah.template or tata.template_for(naskah.jenis, naskah.unit)
    html = build_html(template, context, unit=naskah.unit, signature=signature, draft=draft)
    return render_document(html)


def render_document(html: str) -> RenderResult:
    document = render_html_document(html)
    boxes = element_boxes(document, STAMP_ID)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderResult(pdf=pdf, signature_box=boxes[0] if boxes else None, page_count=len(document.pages))


def render_pdf(
    naskah,
    *,
    nomor: str | None = None,
    tanggal: dt.date | None = None,
    signature: SignatureBlock | None = None,
    draft: bool = True,
    konten: dict | None = None,
) -> bytes:
    """The naskah as PDF/A-2b bytes (lampiran are not merged; the caller may append them)."""
    return render_pdf_with_layout(
        naskah, nomor=nomor, tanggal=tanggal, signature=signature, draft=draft, konten=konten
    ).pdf


# -- template preview (sample values, no naskah) -----------------------------------------------------


def preview_context(template, unit, on_date: dt.date | None = None) -> dict:
    on_date = on_date or timezone.localdate()
    pemda = unit.pemda
    tempat = wilayah(pemda)
    context = {
        "nomor": "000.1.5/123/400.1/" + str(on_date.year),
        "tanggal": tanggal_indonesia(on_date),
        "tempat": tempat,
        "tempat_tanggal": f"{tempat}, {tanggal_indonesia(on_date)}",
        "hal": "[Hal]",
        "sifat": "Biasa",
        "urgensi": "Biasa",
        "lampiran": jumlah_teks(1),
        "lampiran_jumlah": 1,
        "tujuan": [{"nama": "[Tujuan]", "alamat": ""}],
        "tujuan_tempat": "Tempat",
        "tembusan": ["[Tembusan]"],
        "ringkasan": "[Isi naskah]",
        "paragraf": ["[Isi naskah: paragraf pertama]", "[Paragraf kedua]"],
        "pengirim": "[Jabatan penandatangan]",
        "penandatangan_pucuk": f"{pemda.kepala_daerah_sebutan} {tempat}",
        "unit": unit.nama,
        "pemda": pemda.nama,
        "kepala_daerah": f"{pemda.kepala_daerah_sebutan} {tempat}",
        "jenis": template.jenis.nama,
        "asal": "[Asal surat]",
        "diterima": tanggal_indonesia(on_date),
        "nomor_agenda": 1,
        "instruksi": _instruksi_texts(),
    }
    values = tata.sample_values(template)
    return {**values, **context, "isi": values}


def preview_signature() -> SignatureBlock:
    return SignatureBlock(jabatan_lines=["[Jabatan penandatangan],"], nama="[Nama]", pangkat="[Pangkat]", nip="[NIP]")


def preview_html(template, unit) -> str:
    context = preview_context(template, unit)
    return build_html(template, context, unit=unit, signature=preview_signature(), draft=True)


def preview_pdf(template, unit) -> bytes:
    return render_document(preview_html(template, unit)).pdf
