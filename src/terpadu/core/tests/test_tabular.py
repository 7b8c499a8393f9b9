"""Tabular import helpers: reading CSV/XLSX, and run_import's all-or-nothing contract."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone
from openpyxl import Workbook

from terpadu.core import tabular
from terpadu.core.models import WorkerHeartbeat


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    import io

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- reading -------------------------------------------------------------------------------


def test_a_comma_separated_csv_is_read_into_rows_by_header():
    rows = tabular.read_csv(b'kode,nama\n1,Dinas Alfa\n2,"Dinas Beta, Kota"\n')
    assert rows == [{"kode": "1", "nama": "Dinas Alfa"}, {"kode": "2", "nama": "Dinas Beta, Kota"}]


def test_a_semicolon_separated_csv_as_excel_writes_it_in_indonesia_is_read():
    data = b"kode;nama;alamat\n1;Dinas Alfa;Jl. Merdeka 1, Kota Uji\n2;Dinas Beta;Jl. Sudirman\n"
    assert tabular.read_csv(data)[0] == {"kode": "1", "nama": "Dinas Alfa", "alamat": "Jl. Merdeka 1, Kota Uji"}


def test_a_byte_order_mark_does_not_end_up_in_the_first_column_name():
    rows = tabular.read_csv("\ufeffkode,nama\n1,Dinas Alfa\n".encode())
    assert list(rows[0]) == ["kode", "nama"]


def test_headers_are_normalised_and_short_rows_padded_and_blank_rows_skipped():
    rows = tabular.read_csv(b" Kode Unit ,NAMA\n1\n\n,\n2,Dinas\n")
    assert rows == [{"kode_unit": "1", "nama": ""}, {"kode_unit": "2", "nama": "Dinas"}]


def test_a_single_column_csv_is_read():
    assert tabular.read_csv(b"nip\n198503142010011002\n") == [{"nip": "198503142010011002"}]


def test_a_csv_that_is_not_utf8_is_refused():
    with pytest.raises(tabular.TableError):
        tabular.read_csv("kode,nama\n1,Caf\u00e9\n".encode("latin-1"))


def test_every_sheet_of_a_workbook_is_read_with_cells_as_text():
    data = xlsx(
        {
            " Unit ": [
                ["kode", "nama", "dibentuk"],
                [400.0, "Dinas Alfa", dt.datetime(2020, 1, 2)],
                [None, None, None],
                ["400.1", None, dt.date(2021, 3, 4)],
            ],
            "Pegawai": [["NIP"], ["198503142010011002"]],
        }
    )
    sheets = tabular.read_xlsx(data)
    assert sheets["unit"] == [
        {"kode": "400", "nama": "Dinas Alfa", "dibentuk": "2020-01-02"},
        {"kode": "400.1", "nama": "", "dibentuk": "2021-03-04"},
    ]
    assert sheets["pegawai"] == [{"nip": "198503142010011002"}]


def test_a_damaged_workbook_is_refused_with_a_table_error():
    with pytest.raises(tabular.TableError):
        tabular.read_xlsx(b"PK\x03\x04 not really a workbook")


def test_what_is_written_reads_back_the_same():
    columns, rows = ["kode", "nama"], [["1", "Dinas Alfa"], ["2", None]]
    assert tabular.read_csv(tabular.write_csv(columns, rows)) == [
        {"kode": "1", "nama": "Dinas Alfa"},
        {"kode": "2", "nama": ""},
    ]
    assert tabular.write_csv(columns, rows).startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for UTF-8
    sheets = tabular.read_xlsx(tabular.write_xlsx({"unit": (columns, rows), "kosong": (["a"], [])}))
    assert sheets == {"unit": [{"kode": "1", "nama": "Dinas Alfa"}, {"kode": "2", "nama": ""}], "kosong": []}


# -- run_import ----------------------------------------------------------------------------


class HeartbeatImporter(tabular.Importer):
    """A small importer over a simple table: `name` required and unique, `seen` an optional date."""

    sheet = "beats"
    required = ("name",)
    optional = ("seen",)

    def start(self):
        self.pending = set()

    def clean_row(self, row, line):
        errors = []
        name = row.get("name", "")
        if not name:
            errors.append(("name", "required"))
        elif name in self.pending:
            errors.append(("name", "appears twice in the file"))
        seen = timezone.now()
        if row.get("seen"):
            try:
                seen = dt.datetime.fromisoformat(row["seen"]).replace(tzinfo=dt.UTC)
            except ValueError:
                errors.append(("seen", f"{row['seen']} is not a date"))
        self.pending.add(name)
        return {"name": name, "seen": seen}, errors

    def apply_row(self, cleaned):
        _beat, created = WorkerHeartbeat.objects.update_or_create(
            name=cleaned["name"], defaults={"seen": cleaned["seen"]}
        )
        return created


def plan(*rows: dict) -> list:
    return [(HeartbeatImporter(), list(rows))]


def test_valid_rows_are_all_written(db):
    WorkerHeartbeat.objects.create(name="lama", seen=timezone.now())
    report = tabular.run_import(plan({"name": "a"}, {"name": "lama", "seen": "2026-01-01"}), dry_run=False)
    assert report.ok
    assert (report.rows, report.created, report.updated) == (2, 1, 1)
    assert sorted(WorkerHeartbeat.objects.values_list("name", flat=True)) == ["a", "lama"]


def test_one_bad_row_means_nothing_is_written_and_every_bad_row_is_reported(db):
    report = tabular.run_import(
        plan(
            {"name": "a"},
            {"name": ""},
            {"name": "b"},
            {"name": "a", "seen": "kemarin"},
        ),
        dry_run=False,
    )
    assert not report.ok
    assert not WorkerHeartbeat.objects.exists()
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [
        ("beats", 3, "name"),
        ("beats", 5, "name"),
        ("beats", 5, "seen"),
    ]  # rows are numbered as in the file: the header is row 1
    assert report.errors[2].message == "kemarin is not a date"
    assert report.as_dict()["errors"][0] == {"sheet": "beats", "row": 3, "column": "name", "message": "required"}
    assert (report.created, report.updated) == (0, 0)


def test_row_numbers_stay_true_to_the_file_when_it_has_blank_lines(db):
    rows = tabular.read_csv(b"name\na\n\n\nb\n\n")
    report = tabular.run_import([(HeartbeatImporter(), rows)], dry_run=True)
    assert report.ok
    rows = tabular.read_csv(b"name,seen\na,\n\n\nb,rusak\n")
    report = tabular.run_import([(HeartbeatImporter(), rows)], dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(5, "seen")]  # line 5 of the file


def test_a_missing_required_column_is_reported_once_on_the_header_row(db):
    report = tabular.run_import(plan({"nama": "a"}, {"nama": "b"}), dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(1, "name")]
    assert not WorkerHeartbeat.objects.exists()


def test_a_dry_run_validates_everything_and_writes_nothing(db):
    progress = []
    report = tabular.run_import(
        plan({"name": "a"}, {"name": "b"}), dry_run=True, progress=lambda done, total: progress.append(done)
    )
    assert report.ok and report.dry_run
    assert report.rows == 2
    assert not WorkerHeartbeat.objects.exists()
    assert progress == []


def test_progress_is_reported_while_writing_and_ends_at_the_total(db):
    calls = []
    rows = [{"name": f"w{n}"} for n in range(120)]
    report = tabular.run_import(plan(*rows), dry_run=False, progress=lambda done, total: calls.append((done, total)))
    assert report.created == 120
    assert calls == [(50, 120), (100, 120), (120, 120)]


def test_a_write_that_fails_half_way_rolls_back_the_rows_already_written(db):
    class Clashing(HeartbeatImporter):
        def clean_row(self, row, line):  # misses the duplicate on purpose: the database catches it
            return {"name": row["name"], "seen": timezone.now()}, []

        def apply_row(self, cleaned):
            WorkerHeartbeat.objects.create(**cleaned)
            return True

    with pytest.raises(IntegrityError):
        tabular.run_import([(Clashing(), [{"name": "a"}, {"name": "b"}, {"name": "a"}])], dry_run=False)
    assert not WorkerHeartbeat.objects.exists()


def test_sheets_are_validated_and_written_in_order(db):
    first, second = HeartbeatImporter(), HeartbeatImporter()
    second.sheet = "more"
    report = tabular.run_import([(first, [{"name": "a"}]), (second, [{"name": "b"}, {"name": ""}])], dry_run=False)
    assert [(e.sheet, e.row) for e in report.errors] == [("more", 3)]
    assert not WorkerHeartbeat.objects.exists()  # the good first sheet is not written either


def test_exports_never_carry_a_live_formula():
    import io

    from openpyxl import load_workbook

    from terpadu.core import tabular

    hostile = ['=HYPERLINK("http://evil.example","x")', "+cmd", "-1+1", "@SUM(A1)"]
    text = tabular.write_csv(["nama"], [[v] for v in hostile] + [[-5]]).decode("utf-8-sig")
    lines = text.splitlines()[1:]
    assert all(line.lstrip('"').startswith("'") for line in lines[:4])
    assert lines[4] == "-5"  # numbers stay numbers
    sheet = load_workbook(io.BytesIO(tabular.write_xlsx({"s": (["nama"], [[hostile[0]]])})))["s"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == hostile[0]
