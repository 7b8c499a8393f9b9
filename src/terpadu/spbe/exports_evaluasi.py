"""The evaluation worksheet (lembar kerja): XLSX (openpyxl) and PDF (WeasyPrint with the naskah module's bundled
Liberation fonts, no network). Figures are shown rounded to 2 d.p.; the weighted values are exact."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from terpadu.spbe import engine_evaluasi as engine
from terpadu.spbe import services_evaluasi as sv

COLUMNS = [
    "No", "Indikator", "Aspek", "Bobot (%)", "Level / nilai", "Nilai terbobot", "Justifikasi", "Bukti dukung",
    "OPD", "Asesor internal", "Status",
]  # fmt: skip


def worksheet(penilaian, rows) -> dict:
    """Rows (the NilaiIndikator the user may see) with aspect/domain subtotals, index and predikat."""
    model = sv.model_of(penilaian.kerangka)
    result = sv.hitung(penilaian, model)
    scores = result.get("scores", {})
    lines = []
    for n in rows.select_related("indikator__aspek", "unit", "asesor").prefetch_related("bukti"):
        ind = n.indikator
        score = scores.get(ind.nomor)
        lines.append(
            {
                "nomor": ind.nomor,
                "nama": ind.nama,
                "aspek": ind.aspek.kode,
                "aspek_nama": ind.aspek.nama,
                "bobot": ind.bobot,
                "nilai": n.nilai,
                "dihitung": score,
                "terbobot": engine.tampil(ind.bobot * score / 100) if score is not None else None,
                "terbobot_exact": ind.bobot * score / 100 if score is not None else None,
                "justifikasi": n.justifikasi,
                "bukti": len(n.bukti.all()),
                "unit": str(n.unit or ""),
                "asesor": n.asesor.nama_lengkap if n.asesor_id else "",
                "status": n.get_status_display(),
            }
        )
    return {"penilaian": penilaian, "kerangka": penilaian.kerangka, "rows": lines, "result": result}


def xlsx(sheet: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Lembar kerja"
    p, result = sheet["penilaian"], sheet["result"]
    ws.append([f"{p.kerangka.nama} — {p.tahun} ({p.get_jenis_display()})"])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([_("Status"), p.get_status_display()])
    ws.append([])
    ws.append(COLUMNS)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in sheet["rows"]:
        ws.append(
            [
                r["nomor"], r["nama"], r["aspek"], r["bobot"], r["nilai"], r["terbobot_exact"], r["justifikasi"],
                r["bukti"], r["unit"], r["asesor"], r["status"],
            ]
        )  # fmt: skip
    ws.append([])
    ws.append([_("Aspect"), _("Name"), _("Domain"), _("Weight (%)"), _("Aspect index")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for a in result["aspek"]:
        ws.append([a["kode"], a["nama"], a["domain"] or "", a["bobot"], a["tampil"]])
    if result["domain"]:
        ws.append([])
        ws.append([_("Domain"), _("Name"), "", _("Weight (%)"), _("Domain index")])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for d in result["domain"]:
            ws.append([d["kode"], d["nama"], "", d["bobot"], d["tampil"]])
    ws.append([])
    ws.append([_("Index"), result["tampil"], _("full precision"), str(result["indeks"])])
    ws.append([_("Predikat"), result["predikat"]])
    if result.get("provisional"):
        ws.append(
            [_("Provisional: unfilled indicators counted at the lowest level"), ", ".join(map(str, result["missing"]))]
        )
    if result.get("eksternal_default"):
        ws.append([_("External-index indicators without a value counted as 1"),
                   ", ".join(map(str, result["eksternal_default"]))])  # fmt: skip
    for column, width in zip("ABCDEFGHIJK", (5, 60, 8, 10, 10, 12, 50, 8, 30, 25, 12), strict=True):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def pdf(sheet: dict) -> bytes:
    from django.utils.safestring import mark_safe
    from weasyprint import HTML

    from terpadu.naskah.rendering import FONT_FILES, FONTS_DIR, RefusingURLFetcher

    faces = "\n".join(
        f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: {style}; "
        f"src: url('{(FONTS_DIR / name).as_uri()}'); }}"
        for (family, weight, style), name in FONT_FILES.items()
    )
    html = render_to_string(
        "spbe/evaluasi/worksheet_pdf.html",
        {"sheet": sheet, "font_faces": mark_safe(faces), "columns": COLUMNS},  # noqa: S308 (our own file paths)
    )
    return HTML(string=html, url_fetcher=RefusingURLFetcher()).write_pdf()
