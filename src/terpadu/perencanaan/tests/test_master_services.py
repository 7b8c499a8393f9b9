"""Nomenklatur editions: the code grammar per level, parents, retired codes, copies and the mapping."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.perencanaan import services_master as master
from terpadu.perencanaan.models import Keyakinan, Nomenklatur, PemetaanNomenklatur
from terpadu.perencanaan.tests import master_fixtures
from terpadu.perencanaan.tests.master_fixtures import TAHUN

TREE = master.NOMENKLATUR
pytestmark = pytest.mark.django_db
edition = master_fixtures.edition


@pytest.mark.parametrize(
    ("level", "kode"),
    [
        ("urusan", "2"),
        ("urusan", "X"),
        ("bidang_urusan", "2.16"),
        ("bidang_urusan", "X.XX"),
        ("program", "2.16.03"),
        ("program", "X.XX.01"),
        ("kegiatan", "2.16.03.2.02"),
        ("kegiatan", "1.02.07.3.01"),
        ("sub_kegiatan", "2.16.03.2.02.0023"),
        ("sub_kegiatan", "X.XX.01.2.01.0001"),
    ],
)
def test_valid_codes_per_level(level, kode):
    TREE.check(level, kode)
    assert TREE.level_of(kode) == level


@pytest.mark.parametrize(
    ("level", "kode"),
    [
        ("urusan", "9"),
        ("urusan", "21"),
        ("bidang_urusan", "2.6"),
        ("bidang_urusan", "X.16"),
        ("program", "2.16.3"),
        ("kegiatan", "2.16.03.4.02"),
        ("kegiatan", "2.16.03.2.2"),
        ("sub_kegiatan", "2.16.03.2.02.09"),  # the 2-digit form of 2022 printed DPAs
        ("sub_kegiatan", "2.16.03.2.02.00231"),
        ("sub_kegiatan", " 2.16.03.2.02.0023"),
        ("sub_kegiatan", ""),
    ],
)
def test_invalid_codes_name_the_level_and_the_shape(level, kode):
    with pytest.raises(ValidationError) as excinfo:
        TREE.check(level, kode)
    message = " ".join(excinfo.value.messages)
    assert "not a valid" in message and TREE.examples[level] in message


def test_parent_must_exist_be_the_level_above_and_the_prefix(edition):
    with acting(None, via="command"):
        with pytest.raises(ValidationError) as missing:
            master.create_kode(TREE, edition, {"kode": "2.16.04.2.01", "nama": "Tanpa program"})
        assert "2.16.04" in " ".join(missing.value.messages)
        program = Nomenklatur.objects.get(versi=edition, kode="2.16.03")
        with pytest.raises(ValidationError) as wrong_level:
            master.create_kode(TREE, edition, {"kode": "2.16.03.2.02.0030", "nama": "x", "parent": program})
        assert "must be a Kegiatan code" in " ".join(wrong_level.value.messages)
        kegiatan = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02")
        with pytest.raises(ValidationError) as prefix:
            master.create_kode(TREE, edition, {"kode": "2.17.03.2.02.0030", "nama": "x", "parent": kegiatan})
        assert "must start with its parent's code 2.16.03.2.02." in " ".join(prefix.value.messages)
        with pytest.raises(ValidationError, match="already exists"):
            master.create_kode(TREE, edition, {"kode": "2.16.03", "nama": "Lagi"})
    assert not Nomenklatur.objects.filter(kode__in=["2.16.04.2.01", "2.16.03.2.02.0030"]).exists()


def test_parent_in_another_edition_is_refused(edition):
    with acting(None, via="command"):
        other = master.create_versi(TREE, TAHUN + 5, {"nama": "Lain"})
        kegiatan = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02")
        with pytest.raises(ValidationError, match="another edition"):
            master.create_kode(TREE, other, {"kode": "2.16.03.2.02.0030", "nama": "x", "parent": kegiatan})


def test_penunjang_codes_hang_under_x(edition):
    with acting(None, via="command"):
        kegiatan = master.create_kode(TREE, edition, {"kode": "X.XX.01.2.01", "nama": "Perencanaan PD"})
        sub = master.create_kode(TREE, edition, {"kode": "X.XX.01.2.01.0001", "nama": "Penyusunan Renstra"})
    assert sub.parent == kegiatan and kegiatan.parent.kode == "X.XX.01"
    assert sub.keyakinan == Keyakinan.LOCAL


def test_retired_code_cannot_be_used_anew_and_the_error_names_it(edition):
    code = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0023")
    assert master.nomenklatur(TAHUN, "2.16.03.2.02.0023") == code
    with acting(None, via="command"):
        master.retire_kode(TREE, code)
        with pytest.raises(ValidationError, match="Retire the codes under 2.16.03.2.02 first"):
            master.retire_kode(TREE, code.parent)
    with pytest.raises(ValidationError) as excinfo:
        master.nomenklatur(TAHUN, "2.16.03.2.02.0023")
    message = " ".join(excinfo.value.messages)
    assert "2.16.03.2.02.0023" in message and "unknown or retired" in message and str(TAHUN) in message
    with pytest.raises(ValidationError, match="unknown or retired"):
        master.nomenklatur(TAHUN, "2.16.03.2.02.0099")
    with pytest.raises(ValidationError, match=f"no nomenklatur edition for {TAHUN + 9}"):
        master.nomenklatur(TAHUN + 9, "2.16.03.2.02.0021")
    assert AuditEvent.objects.filter(action="retire", object_id=str(code.pk)).exists()


def test_a_retired_parent_takes_no_new_children(edition):
    with acting(None, via="command"):
        for kode in ("2.16.03.2.02.0021", "2.16.03.2.02.0023", "2.16.03.2.02"):
            master.retire_kode(TREE, Nomenklatur.objects.get(versi=edition, kode=kode))
        with pytest.raises(ValidationError, match="2.16.03.2.02 is retired"):
            master.create_kode(TREE, edition, {"kode": "2.16.03.2.02.0040", "nama": "Baru"})


def test_rename_is_audited_and_keeps_the_code(edition):
    code = Nomenklatur.objects.get(versi=edition, kode="2.16.03")
    with acting(None, via="command"):
        master.rename_kode(TREE, code, "PROGRAM APLIKASI INFORMATIKA (baru)")
    code.refresh_from_db()
    assert code.kode == "2.16.03" and code.nama.endswith("(baru)")
    event = AuditEvent.objects.filter(action="rename", object_id=str(code.pk)).get()
    assert event.changes["nama"][1] == "PROGRAM APLIKASI INFORMATIKA (baru)"


def test_copy_creates_the_codes_in_use_and_the_identity_mapping(edition):
    retired = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0021")
    with acting(None, via="command"):
        master.retire_kode(TREE, retired)
        new = master.create_versi(TREE, TAHUN + 1, {"nama": "Baru"}, copy_from=edition)
    old_codes = set(Nomenklatur.objects.filter(versi=edition, aktif=True).values_list("kode", flat=True))
    new_codes = set(Nomenklatur.objects.filter(versi=new).values_list("kode", flat=True))
    assert new_codes == old_codes and "2.16.03.2.02.0021" not in new_codes
    copy = Nomenklatur.objects.get(versi=new, kode="2.16.03.2.02.0023")
    assert copy.parent.versi == new and copy.parent.kode == "2.16.03.2.02"
    assert PemetaanNomenklatur.objects.filter(ke__versi=new).count() == len(new_codes)
    original = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0023")
    assert master.map_forward(original, TAHUN + 1) == copy
    assert master.map_all(TREE, copy, TAHUN) == [original]
    # the retired code is on the worklist of unmapped codes... only if in use: it is not
    assert list(master.worklist(TREE, edition, new)) == []
    assert AuditEvent.objects.filter(action="create", object_id=str(new.pk), changes__copied_from__1=TAHUN).exists()


def test_copy_must_come_from_an_earlier_year_and_a_year_has_one_edition(edition):
    with acting(None, via="command"):
        with pytest.raises(ValidationError, match="already exists"):
            master.create_versi(TREE, TAHUN, {"nama": "Dua kali"})
        with pytest.raises(ValidationError, match="earlier year"):
            master.create_versi(TREE, TAHUN - 1, {"nama": "Mundur"}, copy_from=edition)


def test_worklist_renumbering_and_map_forward_over_two_years(edition):
    with acting(None, via="command"):
        second = master.create_versi(TREE, TAHUN + 1, {"nama": "Dua"}, copy_from=edition)
        old = Nomenklatur.objects.get(versi=edition, kode="2.16.03.2.02.0023")
        copy = Nomenklatur.objects.get(versi=second, kode="2.16.03.2.02.0023")
        master.remove_mapping(TREE, PemetaanNomenklatur.objects.get(dari=old, ke=copy))
        assert [c.kode for c in master.worklist(TREE, edition, second)] == ["2.16.03.2.02.0023"]
        renumbered = master.create_kode(TREE, second, {"kode": "2.16.03.2.02.0035", "nama": "Kota Cerdas (baru)"})
        master.add_mapping(TREE, old, renumbered, "renumbered")
        assert list(master.worklist(TREE, edition, second)) == []
        with pytest.raises(ValidationError, match="already mapped"):
            master.add_mapping(TREE, old, renumbered)
        with pytest.raises(ValidationError, match="keeps the level"):
            master.add_mapping(TREE, old, renumbered.parent)
        with pytest.raises(ValidationError, match="earlier edition to a later one"):
            master.add_mapping(TREE, renumbered, old)
        third = master.create_versi(TREE, TAHUN + 2, {"nama": "Tiga"}, copy_from=second)
    assert master.map_forward(old, TAHUN + 1) == renumbered
    assert master.map_forward(old, TAHUN + 2).kode == "2.16.03.2.02.0035"
    assert master.map_forward(old, TAHUN + 2).versi == third
    assert master.map_forward(old, TAHUN) == old
    assert AuditEvent.objects.filter(action="create", object_type__icontains="pemetaan").exists()
    assert AuditEvent.objects.filter(action="delete", object_type__icontains="pemetaan").exists()


def test_reference_loads_with_badges_placeholders_and_the_later_name(db):
    with acting(None, via="command"):
        result = master.load_reference(TREE, TAHUN)
        again = master.load_reference(TREE, TAHUN)
    versi = result["versi"]
    assert again["created"] == 0 and again["codes"] == result["codes"]
    skipped = {row["code"] for row in result["skipped"]}
    assert skipped == {"2.16.03.2.02.09", "2.16.03.1.01.02"}
    program = Nomenklatur.objects.get(versi=versi, kode="2.16.02")
    assert program.nama == "PROGRAM PENGELOLAAN INFORMASI DAN KOMUNIKASI PUBLIK"
    assert "PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK" in program.sumber
    placeholder = Nomenklatur.objects.get(versi=versi, kode="2.20.02.2.01")
    assert placeholder.nama == master.PLACEHOLDER_NAME and placeholder.keyakinan == Keyakinan.UNCONFIRMED
    assert Nomenklatur.objects.get(versi=versi, kode="3").keyakinan == Keyakinan.UNCONFIRMED
    assert Nomenklatur.objects.get(versi=versi, kode="2.16").keyakinan == Keyakinan.SECONDARY
    assert result["placeholders"] >= 1


def test_load_reference_command(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("perencanaan", "load-reference", "--tahun", str(TAHUN), stdout=out)
    assert f"edition {TAHUN}" in out.getvalue() and "skipped line" in out.getvalue()
    assert Nomenklatur.objects.filter(versi__tahun=TAHUN, kode="2.16.03.2.02.0023").exists()
