"""CSV/XLSX import and export, shared by every module.

An import is all-or-nothing: every row is validated first; if any row is invalid nothing is
written and the report lists each bad row with its reason. A dry run stops after validation.
Progress is reported through a callback so that a JobRecord (and the progress bar) can follow.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _


class TableError(ValueError):
    pass


@dataclass
class RowError:
    sheet: str
    row: int  # 1-based line in the file, header = 1
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "ok": self.ok,
            "errors": [e.as_dict() for e in self.errors],
        }


def _normalise_header(value) -> str:
    return str(value or "").strip().lower().replace(" ", "_")


def read_csv(data: bytes) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(_("The CSV file must be UTF-8 encoded.")) from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    return _rows_from(list(reader))


def read_xlsx(data: bytes) -> dict[str, list[dict]]:
    from openpyxl import load_workbook  # imported when used: ~8 MB per web worker otherwise

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise TableError(_("The XLSX file cannot be read (%(reason)s).") % {"reason": exc}) from exc
    sheets = {}
    for sheet in workbook.worksheets:
        values = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        sheets[sheet.title.strip().lower()] = _rows_from(values)
    workbook.close()
    return sheets


class Row(dict):
    """One data row by column name; `line` is its row number in the file (the header is row 1)."""

    line: int | None = None


def _rows_from(values: list[list]) -> list[dict]:
    if not values:
        return []
    header = [_normalise_header(h) for h in values[0]]
    rows = []
    for number, line in enumerate(values[1:], start=2):
        if all(str(v).strip() == "" for v in line):
            continue  # skipped, but the rows after it keep their own numbers
        cells = [_cell_text(v) for v in line] + [""] * (len(header) - len(line))
        row = Row(zip(header, cells, strict=False))
        row.line = number
        rows.append(row)
    return rows


def _cell_text(value) -> str:
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Importer:
    """Subclass per table: `sheet`, `columns` (required first) and `clean_row`/`apply_row`."""

    sheet: str = ""
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def start(self) -> None:
        """Called before validation; load lookups here (one query, not one per row)."""

    def clean_row(self, row: dict, line: int) -> tuple[dict | None, list[tuple[str, str]]]:
        raise NotImplementedError

    def apply_row(self, cleaned: dict) -> bool:
        """Write one row; True if created, False if updated."""
        raise NotImplementedError


def check_columns(importer: Importer, rows: list[dict]) -> list[RowError]:
    present = set(rows[0]) if rows else set()
    missing = [c for c in importer.required if c not in present]
    return [RowError(importer.sheet, 1, c, _("required column is missing")) for c in missing]


def run_import(
    plan: Iterable[tuple[Importer, list[dict]]],
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row of every sheet, then (unless dry run or any error) write all in one transaction.

    Importers run in order; a later sheet may refer to rows of an earlier one in the same file
    (clean_row sees them through the importer's own bookkeeping of pending keys).
    """
    plan = list(plan)
    report = ImportReport(dry_run=dry_run, rows=sum(len(rows) for _i, rows in plan))
    cleaned_plan: list[tuple[Importer, list[dict]]] = []
    for importer, rows in plan:
        importer.start()
        column_errors = check_columns(importer, rows)
        report.errors.extend(column_errors)
        if column_errors:
            continue
        cleaned_rows = []
        for position, row in enumerate(rows, start=2):
            index = getattr(row, "line", None) or position
            cleaned, errors = importer.clean_row(row, index)
            report.errors.extend(RowError(importer.sheet, index, col, msg) for col, msg in errors)
            if cleaned is not None and not errors:
                cleaned_rows.append(cleaned)
        cleaned_plan.append((importer, cleaned_rows))
    if report.errors or dry_run:
        return report
    done, total = 0, sum(len(rows) for _i, rows in cleaned_plan)
    with transaction.atomic():
        for importer, cleaned_rows in cleaned_plan:
            for cleaned in cleaned_rows:
                if importer.apply_row(cleaned):
                    report.created += 1
                else:
                    report.updated += 1
                done += 1
                if progress and (done % 50 == 0 or done == total):
                    progress(done, total)
    return report


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value):
    """A text cell a spreadsheet would run as a formula (=HYPERLINK(…), +cmd …) gets a leading apostrophe:
    exports carry names typed by city staff and citizens (CSV injection). Numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(columns: list[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_safe_text(c) for c in columns])
    for row in rows:
        writer.writerow(["" if v is None else _safe_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(sheets: dict[str, tuple[list[str], Iterable[list]]]) -> bytes:
    from openpyxl import Workbook  # imported when used: ~8 MB per web worker otherwise
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)

    def text_cell(sheet, value):
        # openpyxl stores a string starting with "=" as a formula; force it to stay text
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    for title, (columns, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([text_cell(sheet, c) for c in columns])
        for row in rows:
            sheet.append(["" if v is None else text_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
