"""Exports in the evaluation table layout of Permendagri 86/2017 (evaluasi hasil Renja PD, and the city's RKPD: the
same table per OPD under a row naming the perangkat daerah responsible): XLSX with merged
header cells (openpyxl) and PDF (WeasyPrint, the bundled Liberation fonts of the naskah module, no network)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

COLUMNS_FIXED = ["No", "Kode", "Program / Kegiatan / Sub Kegiatan", "Indikator kinerja", "Satuan"]


def judul(tabel: dict) -> str:
    """The table's title: the Renja of one OPD, or (the city's table) the RKPD of the pemda."""
    if tabel.get("rkpd"):
        return f"EVALUASI TERHADAP HASIL RKPD {str(tabel['unit']).upper()}"
    return f"EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH {str(tabel['unit']).upper()}"


def xlsx_renja(tabel: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Evaluasi RKPD" if tabel.get("rkpd") else "Evaluasi Renja"
    tahun = tabel["tahun"]
    ws["A1"] = judul(tabel)
    ws["A2"] = f"Periode pelaksanaan: Tahun {tahun} (Permendagri 86/2017)"
    ws.merge_cells("A1:X1")
    ws.merge_cells("A2:X2")
    ws["A1"].font = Font(bold=True, size=12)
    head1, head2, head3 = 4, 5, 6
    # fixed columns span the three header rows
    for col, title in enumerate(COLUMNS_FIXED, start=1):
        ws.cell(head1, col, title)
        ws.merge_cells(start_row=head1, start_column=col, end_row=head3, end_column=col)
    groups = [
        (6, f"Target {'RKPD' if tabel.get('rkpd') else 'Renja PD'} tahun {tahun}", [("", ["K", "Rp"])]),
        (8, "Realisasi kinerja pada triwulan", [("I", ["K", "Rp"]), ("II", ["K", "Rp"]), ("III", ["K", "Rp"]),
                                                 ("IV", ["K", "Rp"])]),
        (16, f"Realisasi capaian kinerja dan anggaran Renja PD tahun {tahun}", [("", ["K", "Rp"])]),
        (18, "Tingkat capaian kinerja dan realisasi anggaran (%)", [("", ["K", "Rp"])]),
        (20, "Kategori", [("", ["K", "Rp"])]),
    ]  # fmt: skip
    for start, title, subgroups in groups:
        width = sum(len(cols) for _label, cols in subgroups)
        ws.cell(head1, start, title)
        ws.merge_cells(start_row=head1, start_column=start, end_row=head1, end_column=start + width - 1)
        col = start
        for label, cols in subgroups:
            if label:
                ws.cell(head2, col, label)
                ws.merge_cells(start_row=head2, start_column=col, end_row=head2, end_column=col + len(cols) - 1)
            else:
                ws.merge_cells(start_row=head2, start_column=col, end_row=head2, end_column=col + len(cols) - 1)
            for c in cols:
                ws.cell(head3, col, c)
                col += 1
    ws.cell(head1, 22, "Realisasi fisik (%)")
    ws.merge_cells(start_row=head1, start_column=22, end_row=head3, end_column=22)
    ws.cell(head1, 23, "Pagu DPA (Rp)")
    ws.merge_cells(start_row=head1, start_column=23, end_row=head3, end_column=23)
    ws.cell(head1, 24, "Realisasi (Rp)")
    ws.merge_cells(start_row=head1, start_column=24, end_row=head3, end_column=24)
    thin = Side(style="thin")
    fill = PatternFill("solid", fgColor="DDE7F0")
    for row in ws.iter_rows(min_row=head1, max_row=head3, min_col=1, max_col=24):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cell.fill = fill
    r = head3 + 1
    number = 0
    for row in [*tabel["rows"], tabel["total"]]:
        if row["level"] in ("program", "kegiatan", "sub_kegiatan"):
            number += 1
        values = [
            number if row["level"] not in ("indikator", "total") else None,
            row["kode"],
            row["nama"],
            row.get("indikator", ""),
            row.get("satuan", ""),
            row.get("target_k"),
            row.get("anggaran"),
        ]
        for tw in range(4):
            values += [row.get("k_tw", [None] * 4)[tw], row.get("rp_tw", [None] * 4)[tw]]
        values += [
            row.get("k_akhir"),
            row.get("rp_akhir"),
            row.get("capaian_k"),
            row.get("capaian_rp"),
            row.get("kategori_k", ""),
            row.get("kategori_rp", ""),
            row.get("fisik"),
            row.get("anggaran"),
            row.get("rp_akhir"),
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            if row["level"] in ("opd", "program", "total"):
                cell.font = Font(bold=True)
            if row["level"] == "opd":
                cell.fill = fill
        r += 1
    widths = {1: 5, 2: 20, 3: 40, 4: 30, 5: 10}
    for col in range(1, 25):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 15)
    ws.freeze_panes = ws.cell(head3 + 1, 4)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def pdf_renja(tabel: dict) -> bytes:
    from django.utils.safestring import mark_safe
    from weasyprint import HTML

    from terpadu.naskah.rendering import FONT_FILES, FONTS_DIR, RefusingURLFetcher

    faces = "\n".join(
        f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: {style}; "
        f"src: url('{(FONTS_DIR / name).as_uri()}'); }}"
        for (family, weight, style), name in FONT_FILES.items()
    )
    html = render_to_string(
        "monev/evaluasi/renja_pdf.html",
        {
            "tabel": tabel,
            "judul": judul(tabel),
            "font_faces": mark_safe(faces),  # noqa: S308 (built above from the bundled font files)
            "title": _("Evaluation of the RKPD") if tabel.get("rkpd") else _("Evaluation of the Renja PD"),
        },
    )
    return HTML(string=html, url_fetcher=RefusingURLFetcher()).write_pdf()
