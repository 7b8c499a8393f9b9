"""Importing and exporting the structure: one workbook whose sheets refer to each other, all-or-nothing,
an export that imports back unchanged, and the import job with its progress."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from conftest import empty_job_queue
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from terpadu.core import audit, files, jobs, tabular
from terpadu.core.context import acting
from terpadu.core.models import AuditEvent, JobRecord
from terpadu.organisasi import importing
from terpadu.organisasi import services as org
from terpadu.organisasi.models import Jabatan, Pegawai, RiwayatJabatan, UnitKerja
from terpadu.organisasi.nip import make_nip

NIP_KEPALA = make_nip(dt.date(1975, 5, 17), 2000, 3, "L", 1)
NIP_STAF = make_nip(dt.date(1990, 8, 9), 2015, 1, "P", 2)
NIP_PPPK = make_nip(dt.date(1992, 2, 3), 2022, None, "P", 3)
TMT = "2024-01-02"


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def structure(**changes) -> dict[str, list[list]]:
    """A new OPD under the existing root: two units, three positions, three employees, all in one file."""
    sheets = {
        "unit": [
            importing.UNIT_COLUMNS,
            ["500.3", "Dinas Kesehatan", "dinas", "500", "Dinkes", "Jl. Sehat 1", "", "", "2024-01-01"],
            ["500.3.1", "Bidang Pelayanan Kesehatan", "bidang", "500.3", "", "", "", "", ""],
        ],
        "jabatan": [
            importing.JABATAN_COLUMNS,
            ["DK-KA", "Kepala Dinas Kesehatan", "struktural", "II.b", "500.3", "ya", ""],
            ["DK-KB", "Kepala Bidang Pelayanan Kesehatan", "struktural", "III.b", "500.3.1", "1", ""],
            ["DK-PL", "Pengelola Layanan Kesehatan", "pelaksana", "", "500.3.1", "", "DK-KA"],
        ],
        "pegawai": [
            importing.PEGAWAI_COLUMNS,
            [NIP_KEPALA, "Budi Santoso", "dr.", "M.Kes", "PNS", "IV/b", "budi@example.test", "", "DK-KA", TMT],
            [NIP_STAF, "Siti Aminah", "", "S.Kep", "PNS", "III/a", "", "", "DK-PL", TMT],
            [NIP_PPPK, "Rina Wati", "", "", "PPPK", "IX", "", "", "", ""],
        ],
    }
    for sheet, rows in changes.items():
        sheets[sheet] = rows
    return sheets


@pytest.fixture
def root(db):
    with acting(None, via="command"):
        org.save_pemda({"nama": "Pemerintah Kota Uji", "kode_wilayah": "35.98", "provinsi": "Jawa Timur"})
        return org.create_unit({"kode": "500", "nama": "Pemerintah Kota Uji", "jenis": "pemda"})


def run(data: bytes, dry_run: bool = False, kind: str = "xlsx") -> tabular.ImportReport:
    with acting(None, via="command"):
        return tabular.run_import(importing.build_plan(kind, data), dry_run=dry_run)


def errors_of(report) -> list[tuple[str, int, str]]:
    return [(e.sheet, e.row, e.column) for e in report.errors]


def test_a_workbook_whose_sheets_refer_to_each_other_is_imported(root):
    report = run(workbook(structure()))
    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated) == (8, 8, 0)
    dinkes, bidang = UnitKerja.objects.get(kode="500.3"), UnitKerja.objects.get(kode="500.3.1")
    assert (dinkes.parent, bidang.parent) == (root, dinkes)
    assert bidang.path.startswith(dinkes.path) and dinkes.path.startswith(root.path)
    assert dinkes.valid_from == dt.date(2024, 1, 1)
    pelaksana = Jabatan.objects.get(kode="DK-PL")
    assert (pelaksana.unit, pelaksana.atasan_override.kode) == (bidang, "DK-KA")
    assert Jabatan.objects.get(kode="DK-KB").is_kepala_unit
    budi = Pegawai.objects.get(nip=NIP_KEPALA)
    assert (budi.nama_lengkap, budi.jabatan.kode, budi.unit) == ("dr. Budi Santoso, M.Kes", "DK-KA", dinkes)
    assert RiwayatJabatan.objects.get(pegawai=budi).tmt_mulai == dt.date(2024, 1, 2)
    assert Pegawai.objects.get(nip=NIP_PPPK).jabatan is None
    assert audit.verify().ok  # every row went through the audited services


def test_a_dry_run_checks_the_whole_workbook_and_writes_nothing(root):
    before = AuditEvent.objects.count()
    report = run(workbook(structure()), dry_run=True)
    assert report.ok and report.dry_run
    assert report.rows == 8
    assert not UnitKerja.objects.exclude(pk=root.pk).exists()
    assert AuditEvent.objects.count() == before


def test_one_bad_row_in_any_sheet_means_nothing_is_written_and_each_problem_is_located(root):
    sheets = structure()
    sheets["unit"][2][2] = "kantor"  # unknown kind
    sheets["jabatan"][2][4] = "999"  # unknown unit
    sheets["pegawai"][2][0] = "199008092015012"  # NIP too short
    sheets["pegawai"][3][4] = "PNS"  # a PPPK NIP with status PNS
    report = run(workbook(sheets))
    assert errors_of(report) == [
        ("unit", 3, "jenis"),
        ("jabatan", 3, "unit_kode"),
        ("pegawai", 3, "nip"),
        ("pegawai", 4, "status"),
        ("pegawai", 4, "golongan"),
    ]
    assert all(e.message for e in report.errors)
    assert not UnitKerja.objects.exclude(pk=root.pk).exists()
    assert not Jabatan.objects.exists() and not Pegawai.objects.exists()


def test_references_must_point_to_rows_above_or_in_the_database(root):
    sheets = structure()
    sheets["unit"][1][3] = "500.9"  # a parent that exists nowhere
    sheets["pegawai"][1][8] = "DK-XX"  # a position that exists nowhere
    sheets["pegawai"][2][9] = ""  # a position without its start date
    report = run(workbook(sheets))
    assert errors_of(report) == [
        ("unit", 2, "parent_kode"),
        ("pegawai", 2, "jabatan_kode"),
        ("pegawai", 3, "tmt_jabatan"),
    ]


def test_a_row_that_appears_twice_is_reported(root):
    sheets = structure()
    sheets["pegawai"].append(sheets["pegawai"][1])
    assert errors_of(run(workbook(sheets))) == [("pegawai", 5, "nip")]


def test_a_workbook_without_any_known_sheet_is_refused(root):
    with pytest.raises(tabular.TableError):
        run(workbook({"lembar1": [["kode"], ["1"]]}))


def test_importing_the_same_workbook_again_updates_instead_of_duplicating(root):
    run(workbook(structure()))
    events = AuditEvent.objects.count()
    report = run(workbook(structure()))
    assert report.ok
    assert (report.created, report.updated) == (0, 8)
    assert UnitKerja.objects.count() == 3 and Jabatan.objects.count() == 3 and Pegawai.objects.count() == 3
    assert AuditEvent.objects.count() == events  # nothing changed, so nothing was recorded


def test_a_csv_of_one_kind_is_imported(root):
    data = tabular.write_csv(importing.UNIT_COLUMNS, structure()["unit"][1:])
    report = run(data, kind="unit")
    assert report.ok, report.errors
    assert report.created == 2


def snapshot() -> dict:
    return {
        "unit": sorted(UnitKerja.objects.values_list("kode", "nama", "jenis", "parent__kode", "path", "valid_from")),
        "jabatan": sorted(
            Jabatan.objects.values_list(
                "kode", "nama", "jenis", "eselon", "unit__kode", "is_kepala_unit", "atasan_override__kode"
            )
        ),
        "pegawai": sorted(
            Pegawai.objects.values_list(
                "nip",
                "nama",
                "gelar_depan",
                "gelar_belakang",
                "status",
                "golongan",
                "email",
                "telepon",
                "jabatan__kode",
                "unit__kode",
            )
        ),
        "riwayat": sorted(
            RiwayatJabatan.objects.values_list("pegawai__nip", "jabatan__kode", "tmt_mulai", "tmt_selesai")
        ),
    }


def test_an_export_imports_back_without_changing_anything(city):
    data = importing.export_file(city.admin, "unit", "xlsx")
    assert set(load_workbook(io.BytesIO(data)).sheetnames) == {"unit", "jabatan", "pegawai"}
    before, events = snapshot(), AuditEvent.objects.count()
    report = run(data)
    assert report.ok, report.errors
    assert report.created == 0
    assert report.updated == report.rows == len(before["unit"]) + len(before["jabatan"]) + len(before["pegawai"])
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_an_edited_export_changes_just_what_was_edited(city):
    book = load_workbook(io.BytesIO(importing.export_file(city.admin, "unit", "xlsx")))
    sheet = book["unit"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("kode")].value == "400.2")
    row[header.index("nama")].value = "Dinas Beta Baru"
    buffer = io.BytesIO()
    book.save(buffer)
    before = snapshot()
    report = run(buffer.getvalue())
    assert report.ok, report.errors
    after = snapshot()
    assert after["unit"] != before["unit"]
    assert [u for u in after["unit"] if u not in before["unit"]][0][:2] == ("400.2", "Dinas Beta Baru")
    assert (after["jabatan"], after["pegawai"], after["riwayat"]) == (
        before["jabatan"],
        before["pegawai"],
        before["riwayat"],
    )


def test_a_csv_export_of_each_kind_imports_back(city):
    for kind in ("unit", "jabatan", "pegawai"):
        report = run(importing.export_file(city.admin, kind, "csv"), kind=kind)
        assert report.ok, (kind, report.errors)
        assert report.created == 0


def test_the_export_contains_only_what_the_user_may_export(city):
    sheets = tabular.read_xlsx(importing.export_file(city.pimpinan, "unit", "xlsx"))  # head of Dinas Alfa
    assert {row["kode"] for row in sheets["unit"]} == {"400.1", "400.1.2"}
    assert {row["nip"] for row in sheets["pegawai"]} == {
        city.pegawai_same.nip,
        *Pegawai.objects.filter(jabatan=city.kepala_a).values_list("nip", flat=True),
    }


# -- the import job ------------------------------------------------------------------------

ALL_DATABASES = pytest.mark.django_db(transaction=True, databases="__all__")  # progress has its own connection


def _start(user, data: bytes, dry_run: bool) -> JobRecord:
    stored = files.store(SimpleUploadedFile("struktur.xlsx", data), {"xlsx"}, user=user)
    with acting(user, via="web"):
        job = importing.start_import(user, stored, "xlsx", dry_run=dry_run)
    jobs.run_worker(wait=False, install_signal_handlers=False)  # eager: it already ran after the commit
    job.refresh_from_db()
    return job


@ALL_DATABASES
def test_the_import_job_records_status_progress_and_result(root, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path
    empty_job_queue()
    user = django_user_model.objects.create(username="pengimpor")
    job = _start(user, workbook(structure()), dry_run=False)
    assert job.status == JobRecord.Status.SUCCEEDED, job.message
    assert (job.progress_done, job.progress_total, job.percent) == (8, 8, 100)
    assert job.result["ok"] and job.result["created"] == 8
    assert job.started is not None and job.finished is not None
    assert job.owner == user
    assert Pegawai.objects.count() == 3


@ALL_DATABASES
def test_a_dry_run_job_succeeds_and_writes_nothing(root, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    empty_job_queue()
    job = _start(None, workbook(structure()), dry_run=True)
    assert job.status == JobRecord.Status.SUCCEEDED
    assert job.result["dry_run"] and job.result["rows"] == 8
    assert not Pegawai.objects.exists()


@ALL_DATABASES
def test_an_import_job_with_bad_rows_fails_and_lists_them(root, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    empty_job_queue()
    sheets = structure()
    sheets["pegawai"][1][0] = "123"
    job = _start(None, workbook(sheets), dry_run=False)
    assert job.status == JobRecord.Status.FAILED
    assert [(e["sheet"], e["row"], e["column"]) for e in job.result["errors"]] == [("pegawai", 2, "nip")]
    assert job.message
    assert not Pegawai.objects.exists()


@ALL_DATABASES
def test_an_import_job_for_a_file_that_is_not_a_structure_workbook_fails_with_a_message(root, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    empty_job_queue()
    job = _start(None, workbook({"lembar1": [["a"], ["b"]]}), dry_run=False)
    assert job.status == JobRecord.Status.FAILED
    assert job.message
    assert job.finished is not None


@pytest.mark.django_db
def test_a_finished_import_job_is_not_run_again(root, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored = files.store(SimpleUploadedFile("struktur.xlsx", workbook(structure())), {"xlsx"})
    job = JobRecord.objects.create(kind="organisasi.import", title="x", status=JobRecord.Status.SUCCEEDED)
    importing.run_import_job(job.pk, stored.pk, "xlsx", dry_run=False)  # a retried job after it had finished
    assert not Pegawai.objects.exists()
