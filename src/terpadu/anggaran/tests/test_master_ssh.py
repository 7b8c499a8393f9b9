"""Standar harga: per year, allowed accounts must be budgetable codes of that year; import and export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from terpadu.anggaran import importing_master
from terpadu.anggaran import services_master as anggaran
from terpadu.anggaran.models import StandarHarga
from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.perencanaan.tests import master_fixtures
from terpadu.perencanaan.tests.master_fixtures import TAHUN, csv_bytes

pytestmark = pytest.mark.django_db
rekening_edition = master_fixtures.rekening_edition
HEADER = ["kode", "uraian", "spesifikasi", "satuan", "harga", "kode_rekening"]


def test_save_checks_accounts_and_price_and_is_audited(rekening_edition):
    with acting(None, via="command"):
        item, created = anggaran.save_standar_harga(
            TAHUN,
            {"kode": "SSH.1", "uraian": "Kertas", "satuan": "rim", "harga": "52000.50",
             "rekening": "5.1.02.01.01.0025, 5.1.02.01.01.0024"},
        )  # fmt: skip
        assert created and item.harga == Decimal("52000.50")
        assert sorted(item.rekening.values_list("kode", flat=True)) == ["5.1.02.01.01.0024", "5.1.02.01.01.0025"]
        with pytest.raises(ValidationError, match="only Sub rincian objek"):
            anggaran.save_standar_harga(TAHUN, {"kode": "SSH.2", "uraian": "x", "satuan": "x", "harga": "1",
                                                "rekening": "5.1.02.01.01"})  # fmt: skip
        with pytest.raises(ValidationError, match="cannot be negative"):
            anggaran.save_standar_harga(TAHUN, {**_data("SSH.3"), "harga": "-5"})
        with pytest.raises(ValidationError, match="not an amount"):
            anggaran.save_standar_harga(TAHUN, {**_data("SSH.3"), "harga": "1.250.000"})
        item, created = anggaran.save_standar_harga(TAHUN, {**_data("SSH.1"), "harga": "55000"})
    assert not created and StandarHarga.objects.filter(tahun=TAHUN).count() == 1
    assert AuditEvent.objects.filter(action="update", object_id=str(item.pk)).get().changes["harga"][1] == "55000.00"
    assert anggaran.standar_harga(TAHUN, "SSH.1") == item
    with acting(None, via="command"):
        anggaran.retire_standar_harga(item)
    with pytest.raises(ValidationError, match="unknown or retired standard price item"):
        anggaran.standar_harga(TAHUN, "SSH.1")


def _data(kode):
    return {"kode": kode, "uraian": "Kertas", "satuan": "rim", "harga": "1000", "rekening": "5.1.02.01.01.0025"}


def test_import_dry_run_then_apply(rekening_edition):
    rows = [
        ["SSH.1", "Kertas HVS", "70 gram", "rim", "52000", "5.1.02.01.01.0025"],
        ["SSH.2", "Pulpen", "", "buah", "4500", "5.1.02.01.01.0024;5.1.02.01.01.0025"],
    ]
    with acting(None, via="command"):
        report = importing_master.run_standar_harga(TAHUN, "csv", csv_bytes(HEADER, rows), True)
        assert report.ok and report.rows == 2 and not StandarHarga.objects.exists()
        report = importing_master.run_standar_harga(TAHUN, "csv", csv_bytes(HEADER, rows), False)
    assert report.ok and report.created == 2
    assert StandarHarga.objects.get(kode="SSH.2").rekening.count() == 2


def test_unknown_or_non_leaf_accounts_are_row_errors_and_nothing_is_written(rekening_edition):
    rows = [
        ["SSH.1", "Kertas HVS", "", "rim", "52000", "5.1.02.01.01.0025"],
        ["SSH.2", "Pulpen", "", "buah", "4500", "5.1.02.01.01"],
        ["SSH.3", "Map", "", "buah", "3500", "5.1.02.01.01.0099"],
        ["SSH.4", "", "", "buah", "abc", ""],
        ["SSH.1", "Lagi", "", "rim", "1", "5.1.02.01.01.0025"],
    ]
    with acting(None, via="command"):
        report = importing_master.run_standar_harga(TAHUN, "csv", csv_bytes(HEADER, rows), False)
    errors = {(e.row, e.column) for e in report.errors}
    assert errors == {
        (3, "kode_rekening"),
        (4, "kode_rekening"),
        (5, "uraian"),
        (5, "harga"),
        (5, "kode_rekening"),
        (6, "kode"),
    }
    assert "5.1.02.01.01.0099" in next(e.message for e in report.errors if e.row == 4)
    assert not StandarHarga.objects.exists()


def test_accounts_of_another_year_are_refused(rekening_edition):
    rows = [["SSH.1", "Kertas HVS", "", "rim", "52000", "5.1.02.01.01.0025"]]
    with acting(None, via="command"):
        report = importing_master.run_standar_harga(TAHUN + 3, "csv", csv_bytes(HEADER, rows), True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "kode_rekening")]


def test_export_round_trip(rekening_edition):
    rows = [["SSH.1", "Kertas HVS", "70 gram", "rim", "52000.25", "5.1.02.01.01.0025,5.1.02.01.01.0024"]]
    with acting(None, via="command"):
        importing_master.run_standar_harga(TAHUN, "csv", csv_bytes(HEADER, rows), False)
        content = importing_master.export_standar_harga(StandarHarga.objects.filter(tahun=TAHUN), "xlsx")
        StandarHarga.objects.all().delete()
        report = importing_master.run_standar_harga(TAHUN, "xlsx", content, False)
    assert report.ok and report.created == 1
    item = StandarHarga.objects.get(kode="SSH.1")
    assert item.harga == Decimal("52000.25") and item.rekening.count() == 2 and item.spesifikasi == "70 gram"
