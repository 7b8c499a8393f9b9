"""Kode rekening editions: grammar, budgetable codes, reference, SIPD-shaped import, copy and mapping."""

from __future__ import annotations

import csv
import re

import pytest
from django.core.exceptions import ValidationError

from terpadu.anggaran import importing_master
from terpadu.anggaran import services_master as anggaran
from terpadu.anggaran.models import KodeRekening, PemetaanRekening
from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.perencanaan import services_master as engine
from terpadu.perencanaan.models import Keyakinan
from terpadu.perencanaan.tests import master_fixtures
from terpadu.perencanaan.tests.master_fixtures import TAHUN, csv_bytes

TREE = anggaran.REKENING
pytestmark = pytest.mark.django_db
rekening_edition = master_fixtures.rekening_edition


def test_the_leaf_pattern_agrees_with_kode_format_csv():
    with open(anggaran.DATA / "kode_format.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["domain"] == "kode_rekening")
    for kode in ("5.1.02.04.01.0001", row["example"], "5.2.02.10.02.0004", "5.1.02.01.01", "5.1.2.01.01.0001", "51.02"):
        assert bool(re.match(row["validation_regex"], kode)) == bool(re.match(TREE.patterns[TREE.leaf], kode))


@pytest.mark.parametrize(
    ("level", "kode", "ok"),
    [
        ("akun", "5", True),
        ("kelompok", "5.1", True),
        ("jenis", "5.1.02", True),
        ("objek", "5.1.02.01", True),
        ("rincian_objek", "5.1.02.01.01", True),
        ("sub_rincian_objek", "5.1.02.01.01.0024", True),
        ("kelompok", "5.12", False),
        ("jenis", "5.1.2", False),
        ("sub_rincian_objek", "5.1.02.01.01.24", False),
        ("sub_rincian_objek", "5.1.02.01.01", False),
    ],
)
def test_grammar_per_level(level, kode, ok):
    if ok:
        TREE.check(level, kode)
    else:
        with pytest.raises(ValidationError, match="not a valid"):
            TREE.check(level, kode)


def test_only_sub_rincian_objek_in_use_may_be_budgeted(rekening_edition):
    assert anggaran.rekening(TAHUN, "5.1.02.01.01.0024").nama == "ATK"
    with pytest.raises(ValidationError, match="only Sub rincian objek codes"):
        anggaran.rekening(TAHUN, "5.1.02.01.01")
    with acting(None, via="command"):
        engine.retire_kode(TREE, KodeRekening.objects.get(versi=rekening_edition, kode="5.1.02.01.01.0024"))
    with pytest.raises(ValidationError) as excinfo:
        anggaran.rekening(TAHUN, "5.1.02.01.01.0024")
    assert "5.1.02.01.01.0024 is an unknown or retired code in the 2030 edition" in " ".join(excinfo.value.messages)
    with pytest.raises(ValidationError, match="no kode rekening edition for 2031"):
        anggaran.rekening(TAHUN + 1, "5.1.02.01.01.0025")


def test_parent_rules_apply_to_rekening_too(rekening_edition):
    with acting(None, via="command"):
        with pytest.raises(ValidationError, match="5.1.02.02.01"):
            engine.create_kode(TREE, rekening_edition, {"kode": "5.1.02.02.01.0003", "nama": "Honorarium"})
        jenis = KodeRekening.objects.get(versi=rekening_edition, kode="5.1.02")
        with pytest.raises(ValidationError, match="must be a Rincian objek code"):
            engine.create_kode(TREE, rekening_edition, {"kode": "5.1.02.01.01.0030", "nama": "x", "parent": jenis})


def test_reference_load_keeps_confidence_and_makes_placeholders(db):
    with acting(None, via="command"):
        result = engine.load_reference(TREE, TAHUN)
    versi = result["versi"]
    assert KodeRekening.objects.get(versi=versi, kode="5.1.01.01.01.0001").keyakinan == Keyakinan.OFFICIAL
    placeholder = KodeRekening.objects.get(versi=versi, kode="5.1.02.01.01")
    assert placeholder.nama == engine.PLACEHOLDER_NAME and placeholder.keyakinan == Keyakinan.UNCONFIRMED
    assert result["skipped"] == []
    assert anggaran.rekening(TAHUN, "5.2.02.10.02.0004").parent == KodeRekening.objects.get(
        versi=versi, kode="5.2.02.10.02"
    )


def test_sipd_shaped_import_and_copy_with_mapping(rekening_edition):
    header = TREE.hierarchical_columns()
    row = ["5", "", "5.1", "", "5.1.02", "", "5.1.02.02", "Belanja Jasa", "5.1.02.02.01", "Belanja Jasa Kantor",
           "5.1.02.02.01.0003", "Honorarium Narasumber atau Pembahas"]  # fmt: skip
    bad = [*row[:10], "5.1.02.02.01.03", "Bentuk salah"]
    with acting(None, via="command"):
        report = importing_master.run_rekening(rekening_edition, "csv", csv_bytes(header, [row, bad]), False)
        assert [(e.row, e.column) for e in report.errors] == [(3, "kode_sub_rincian_objek")]
        assert not KodeRekening.objects.filter(kode="5.1.02.02.01.0003").exists()
        report = importing_master.run_rekening(rekening_edition, "csv", csv_bytes(header, [row]), False)
        assert report.ok and report.created == 1
        new = engine.create_versi(TREE, TAHUN + 1, {"nama": "Baru"}, copy_from=rekening_edition)
    old = KodeRekening.objects.get(versi=rekening_edition, kode="5.1.02.02.01.0003")
    assert engine.map_all(TREE, old, TAHUN + 1)[0].versi == new
    assert PemetaanRekening.objects.filter(ke__versi=new).count() == KodeRekening.objects.filter(versi=new).count()
    assert AuditEvent.objects.filter(action="create", object_id=str(old.pk)).exists()


def test_export_round_trip(rekening_edition):
    with acting(None, via="command"):
        target = engine.create_versi(TREE, TAHUN + 1, {"nama": "Kosong"})
        content = importing_master.export_rekening(rekening_edition, "xlsx")
        report = importing_master.run_rekening(target, "xlsx", content, False)
    assert report.ok, report.as_dict()
    assert set(KodeRekening.objects.filter(versi=target).values_list("kode", "nama")) == set(
        KodeRekening.objects.filter(versi=rekening_edition).values_list("kode", "nama")
    )


def test_load_reference_command(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("anggaran", "load-reference", "--tahun", str(TAHUN), stdout=out)
    assert f"edition {TAHUN}" in out.getvalue()
    assert KodeRekening.objects.filter(versi__tahun=TAHUN, kode="5.1.02.04.01.0001").exists()
