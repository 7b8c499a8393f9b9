"""Import and export of a nomenklatur edition: SIPD shape, flat shape, dry run, row errors, round trip."""

from __future__ import annotations

import pytest

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.perencanaan import importing_master
from terpadu.perencanaan import services_master as master
from terpadu.perencanaan.models import Nomenklatur
from terpadu.perencanaan.tests import master_fixtures
from terpadu.perencanaan.tests.master_fixtures import TAHUN, csv_bytes

TREE = master.NOMENKLATUR
SIPD = TREE.hierarchical_columns()
pytestmark = pytest.mark.django_db
edition = master_fixtures.edition


def sipd_row(sub, nama_sub, kinerja="", indikator="", satuan=""):
    kegiatan, program, bidang, urusan = sub[:12], sub[:7], sub[:4], sub[:1]
    names = {"1": "Urusan Wajib Pelayanan Dasar", "1.02": "Kesehatan", "1.02.02": "PROGRAM PEMENUHAN UPAYA KESEHATAN"}
    names[kegiatan] = "Penyediaan Layanan Kesehatan"
    return [urusan, names.get(urusan, ""), bidang, names.get(bidang, ""), program, names.get(program, ""),
            kegiatan, names.get(kegiatan, ""), sub, nama_sub, kinerja, indikator, satuan]  # fmt: skip


def run(data, dry_run, versi, kind="csv"):
    with acting(None, via="command"):
        return importing_master.run(TREE, versi, kind, data, dry_run)


def test_sipd_shape_dry_run_writes_nothing_then_apply_builds_the_tree(edition):
    data = csv_bytes(
        SIPD,
        [
            sipd_row("1.02.02.2.02.0001", "Pelayanan Ibu Hamil", "Ibu hamil terlayani", "Jumlah ibu hamil", "Orang"),
            sipd_row("1.02.02.2.02.0002", "Pelayanan Balita"),
        ],
    )
    before = Nomenklatur.objects.count()
    report = run(data, True, edition)
    assert report.ok and report.dry_run and report.rows == 2 and report.created == 0
    assert Nomenklatur.objects.count() == before
    report = run(data, False, edition)
    assert report.ok and report.created == 2
    sub = Nomenklatur.objects.get(versi=edition, kode="1.02.02.2.02.0001")
    assert sub.parent.kode == "1.02.02.2.02" and sub.parent.parent.parent.kode == "1.02"
    assert (sub.kinerja, sub.indikator, sub.satuan) == ("Ibu hamil terlayani", "Jumlah ibu hamil", "Orang")
    assert Nomenklatur.objects.get(versi=edition, kode="1").nama == "Urusan Wajib Pelayanan Dasar"
    assert Nomenklatur.objects.count() == before + 6  # urusan 1, bidang, program, kegiatan, two sub kegiatan
    assert AuditEvent.objects.filter(action="create", object_id=str(sub.pk)).exists()


def test_row_errors_name_line_and_column_and_nothing_is_written(edition):
    bad_prefix = sipd_row("1.02.02.2.02.0003", "Salah induk")
    bad_prefix[6] = "1.02.02.2.09"  # the sub kegiatan does not start with this kegiatan
    data = csv_bytes(
        SIPD,
        [
            sipd_row("1.02.02.2.02.0001", "Baik"),
            sipd_row("1.02.02.2.02.01", "Bentuk lama"),
            bad_prefix,
            sipd_row("1.02.02.2.02.0004", ""),
        ],
    )
    before = Nomenklatur.objects.count()
    report = run(data, False, edition)
    assert not report.ok
    errors = {(e.row, e.column) for e in report.errors}
    assert (3, "kode_sub_kegiatan") in errors
    assert (4, "kode_sub_kegiatan") in errors
    assert (5, "nama_sub_kegiatan") in errors
    assert 2 not in {e.row for e in report.errors}
    assert Nomenklatur.objects.count() == before  # the valid first row was not written either


def test_a_code_named_twice_differently_is_an_error(edition):
    first = sipd_row("1.02.02.2.02.0001", "Satu")
    second = sipd_row("1.02.02.2.02.0002", "Dua")
    second[5] = "PROGRAM LAIN"
    report = run(csv_bytes(SIPD, [first, second]), True, edition)
    assert [(e.row, e.column) for e in report.errors] == [(3, "nama_program")]
    assert "line 2" in report.errors[0].message


def test_existing_codes_are_renamed_and_counted_as_updated(edition):
    row = sipd_row("2.16.03.2.02.0023", "Kota Cerdas (nama baru)")
    row[:8] = ["2", "", "2.16", "", "2.16.03", "", "2.16.03.2.02", ""]
    report = run(csv_bytes(SIPD, [row]), False, edition)
    assert report.ok and report.updated == 1 and report.created == 0
    code = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0023")
    assert code.nama == "Kota Cerdas (nama baru)"
    assert AuditEvent.objects.filter(action="rename", object_id=str(code.pk)).exists()


def test_flat_shape_checks_parent_column_and_missing_parents(edition):
    header = ["level", "code", "name", "parent_code", "confidence"]
    good = ["sub_kegiatan", "2.16.03.2.02.0030", "Baru", "2.16.03.2.02", "official"]
    rows = [
        good,
        ["sub_kegiatan", "2.16.03.2.02.0031", "Induk salah", "2.16.03", ""],
        ["kegiatan", "2.16.05.2.01", "Tanpa program", "2.16.05", ""],
        ["sub_kegiatan", "2.16.03.2.02.0032", "Keyakinan salah", "2.16.03.2.02", "pasti"],
        ["tingkat", "2.16.03.2.02.0033", "Level salah", "", ""],
    ]
    report = run(csv_bytes(header, rows), True, edition)
    errors = {(e.row, e.column) for e in report.errors}
    assert errors == {(3, "parent_code"), (4, "parent_code"), (5, "confidence"), (6, "level")}
    report = run(csv_bytes(header, [good, ["program", "2.16.05", "Program baru", "2.16", ""]]), False, edition)
    assert report.ok and report.created == 2
    assert Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0030").keyakinan == "official"


def test_flat_shape_children_before_parents_and_aktif_column(edition):
    header = ["level", "code", "name", "parent_code", "aktif"]
    rows = [
        ["sub_kegiatan", "2.16.05.2.01.0001", "Anak dulu", "2.16.05.2.01", ""],
        ["kegiatan", "2.16.05.2.01", "Kegiatan", "2.16.05", ""],
        ["program", "2.16.05", "Program", "2.16", ""],
        ["sub_kegiatan", "2.16.03.2.02.0021", "Sistem Penghubung Layanan", "2.16.03.2.02", "0"],
    ]
    report = run(csv_bytes(header, rows), False, edition)
    assert report.ok, report.as_dict()
    assert Nomenklatur.objects.get(versi=edition, kode="2.16.05.2.01.0001").parent.kode == "2.16.05.2.01"
    assert not Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0021").aktif


def test_missing_required_column_is_reported(edition):
    report = run(csv_bytes(["level", "code"], [["program", "2.16.09"]]), True, edition)
    assert [(e.row, e.column) for e in report.errors] == [(1, "name")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("shape", ["sipd", "flat"])
def test_export_round_trip_into_an_empty_edition(edition, fmt, shape):
    with acting(None, via="command"):
        target = master.create_versi(TREE, TAHUN + 1, {"nama": "Kosong"})
    content = importing_master.export_file(TREE, edition, fmt, shape)
    report = run(content, False, target, kind=fmt)
    assert report.ok, report.as_dict()

    def codes(versi):
        return {
            (c.level, c.kode, c.nama, c.parent.kode if c.parent else "")
            for c in Nomenklatur.objects.filter(versi=versi)
        }

    assert codes(target) == codes(edition)


def test_sipd_export_has_one_row_per_leaf(edition):
    columns, rows = importing_master.export_rows(TREE, edition, "sipd")
    rows = list(rows)
    assert columns[:2] == ["kode_urusan", "nama_urusan"] and columns[-3:] == ["kinerja", "indikator", "satuan"]
    leaves = [r[8] or r[4] for r in rows]
    assert "2.16.03.2.02.0021" in leaves and "X.XX.01" in leaves and "2.16.03" not in leaves
