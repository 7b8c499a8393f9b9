"""Numbering: patterns, format inheritance, sequences, sisipan, reserved numbers, rollback without gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.naskah import penomoran
from terpadu.naskah.models import FormatNomor, Naskah, NomorCadangan, Sifat


def make_format(**values) -> FormatNomor:
    """A number format made through the service, as every format is (audited; numbering caches the formats
    until an audited change)."""
    with acting(None, via="command"):
        return penomoran.save_format(None, values)


def make_naskah(city, jenis, klasifikasi, unit=None, **fields) -> Naskah:
    values = {
        "jenis": jenis,
        "klasifikasi": klasifikasi,
        "unit": unit or city.dinas_a,
        "pembuat": city.pegawai_same,
        "hal": "Undangan rapat",
        "tanggal": dt.date(2026, 3, 5),
        **fields,
    }
    return Naskah.objects.create(**values)


def allocate(naskah, tahun=2026):
    with acting(None, via="command"), transaction.atomic():
        return penomoran.allocate(naskah, tahun=tahun)


# -- patterns -------------------------------------------------------------------------------------------


def test_pattern_without_urut_gets_a_clear_error():
    with pytest.raises(ValidationError) as error:
        penomoran.validate_pola("{klasifikasi}/{kode_unit}/{tahun}")
    assert "{urut}" in error.value.messages[0]


def test_unknown_tokens_are_named():
    with pytest.raises(ValidationError) as error:
        penomoran.validate_pola("{klasifikasi}/{urut}/{kode_opd}/{year}")
    message = error.value.messages[0]
    assert "{kode_opd}" in message and "{year}" in message and "{bulan_romawi}" in message


@pytest.mark.parametrize("pola", ["{urut", "{urut}}/x", "", "   "])
def test_broken_patterns_are_refused(pola):
    with pytest.raises(ValidationError):
        penomoran.validate_pola(pola)


def test_every_documented_token_is_accepted():
    penomoran.validate_pola(
        "{klasifikasi}/{urut}{sisipan}/{kode_unit}/{jenis}/{kode_keamanan}/{bulan_romawi}/{bulan}/{tahun}"
    )


def test_built_in_pattern_comes_from_the_data_file(city, jenis):
    fmt = penomoran.format_for(city.bidang_a, jenis["surat_dinas"])
    assert fmt.pk is None
    assert fmt.pola == penomoran.reference()["pola_bawaan"]["value"]
    penomoran.validate_pola(fmt.pola)


# -- formats -------------------------------------------------------------------------------------------


def test_format_inheritance_order(city, jenis):
    surat, nota = jenis["surat_dinas"], jenis["nota_dinas"]
    pemda_default = make_format(unit=None, jenis=None, pola="P/{urut}")
    assert penomoran.format_for(city.bidang_a, surat) == pemda_default
    pemda_surat = make_format(unit=None, jenis=surat, pola="PS/{urut}")
    assert penomoran.format_for(city.bidang_a, surat) == pemda_surat
    dinas_all = make_format(unit=city.dinas_a, jenis=None, pola="D/{urut}")
    assert penomoran.format_for(city.bidang_a, surat) == dinas_all  # nearest ancestor beats the pemda
    bidang_nota = make_format(unit=city.bidang_a, jenis=nota, pola="BN/{urut}")
    assert penomoran.format_for(city.bidang_a, surat) == dinas_all
    assert penomoran.format_for(city.bidang_a, nota) == bidang_nota
    bidang_all = make_format(unit=city.bidang_a, jenis=None, pola="B/{urut}")
    assert penomoran.format_for(city.bidang_a, surat) == bidang_all
    assert penomoran.format_for(city.bidang_a, nota) == bidang_nota  # own per-jenis beats own for every jenis
    assert penomoran.format_for(city.dinas_b, surat) == pemda_surat


def test_number_text_fills_every_token(city, jenis, klasifikasi):
    make_format(
        unit=city.dinas_a,
        pola="{kode_keamanan}/{klasifikasi}/{urut}/{kode_unit}/{jenis}/{bulan_romawi}/{bulan}/{tahun}",
        digit=3,
    )
    jenis["surat_dinas"].singkatan = "SD"
    jenis["surat_dinas"].save()
    naskah = make_naskah(city, jenis["surat_dinas"], klasifikasi["000.1.5"], sifat=Sifat.RAHASIA)
    nomor = allocate(naskah)
    assert nomor.text == "R/000.1.5/001/400.1/SD/III/03/2026"
    naskah.refresh_from_db()
    assert (naskah.nomor, naskah.nomor_urut, naskah.nomor_tahun) == (nomor.text, 1, 2026)
    assert AuditEvent.objects.filter(action="naskah.nomor", object_id=str(naskah.pk)).exists()


# -- sequences ----------------------------------------------------------------------------------------


def test_sequences_per_unit_and_year(city, jenis, klasifikasi):
    surat, kode = jenis["surat_dinas"], klasifikasi["000.1.5"]
    a = [allocate(make_naskah(city, surat, kode)).urut for _ in range(3)]
    b = [allocate(make_naskah(city, surat, kode, unit=city.dinas_b)).urut for _ in range(2)]
    next_year = allocate(make_naskah(city, surat, kode), tahun=2027)
    assert a == [1, 2, 3]
    assert b == [1, 2]
    assert (next_year.urut, next_year.tahun) == (1, 2027)  # rollover: a new year starts at 1
    assert allocate(make_naskah(city, surat, kode)).urut == 4


def test_sequence_per_jenis_when_the_format_says_so(city, jenis, klasifikasi):
    surat, nota, kode = jenis["surat_dinas"], jenis["nota_dinas"], klasifikasi["000.1.5"]
    make_format(unit=city.dinas_a, jenis=nota, pola="ND/{urut}/{tahun}", urut_per_jenis=True)
    first_surat = allocate(make_naskah(city, surat, kode))
    first_nota = allocate(make_naskah(city, nota, kode))
    second_surat = allocate(make_naskah(city, surat, kode))
    second_nota = allocate(make_naskah(city, nota, kode))
    assert (first_surat.urut, second_surat.urut) == (1, 2)
    assert (first_nota.urut, second_nota.urut) == (1, 2)
    assert (first_nota.lingkup, first_surat.lingkup) == ("nota_dinas", "")
    assert second_nota.text == "ND/2/2026"


@pytest.mark.django_db(transaction=True)
def test_allocate_needs_the_callers_transaction(city, jenis, klasifikasi):
    naskah = make_naskah(city, jenis["surat_dinas"], klasifikasi["000.1.5"])
    with pytest.raises(transaction.TransactionManagementError):
        penomoran.allocate(naskah, tahun=2026)


def test_rollback_leaves_no_gap(city, jenis, klasifikasi):
    surat, kode = jenis["surat_dinas"], klasifikasi["000.1.5"]
    assert allocate(make_naskah(city, surat, kode)).urut == 1
    failing = make_naskah(city, surat, kode)
    with pytest.raises(RuntimeError), acting(None, via="command"), transaction.atomic():
        penomoran.allocate(failing, tahun=2026)
        raise RuntimeError("the signature failed")
    failing.refresh_from_db()
    assert failing.nomor == "" and failing.nomor_urut is None
    assert allocate(make_naskah(city, surat, kode)).urut == 2


def test_agenda_numbers_have_their_own_sequence(city, jenis, klasifikasi):
    allocate(make_naskah(city, jenis["surat_dinas"], klasifikasi["000.1.5"]))
    with transaction.atomic():
        agenda = [penomoran.next_agenda(city.dinas_a, 2026) for _ in range(3)]
    assert agenda == [1, 2, 3]
    assert allocate(make_naskah(city, jenis["surat_dinas"], klasifikasi["000.1.5"])).urut == 2


# -- reserved and inserted numbers --------------------------------------------------------------------


def test_reserve_then_use(city, jenis, klasifikasi):
    surat, kode = jenis["surat_dinas"], klasifikasi["000.1.5"]
    with acting(city.admin, via="web"):
        cadangan = penomoran.reserve(city.dinas_a, surat, 2026, "Nomor untuk SK Wali Kota", city.admin)
    assert cadangan.urut == 1 and cadangan.status == NomorCadangan.Status.TERSEDIA
    assert allocate(make_naskah(city, surat, kode)).urut == 2  # the reserved one is skipped by signing
    naskah = make_naskah(city, surat, kode)
    with acting(city.admin, via="web"):
        penomoran.assign_reserved(naskah, cadangan, city.admin)
    nomor = allocate(naskah)
    assert nomor.urut == 1
    cadangan.refresh_from_db()
    assert cadangan.status == NomorCadangan.Status.DIPAKAI and cadangan.naskah == naskah
    assert allocate(make_naskah(city, surat, kode)).urut == 3
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"nomor.reserve", "nomor.assign", "naskah.nomor"} <= actions


def test_sisipan_order_and_text(city, jenis, klasifikasi):
    surat, kode = jenis["surat_dinas"], klasifikasi["000.1.5"]
    make_format(unit=city.dinas_a, pola="{klasifikasi}/{urut}/{tahun}")
    for _ in range(45):
        allocate(make_naskah(city, surat, kode))
    with acting(city.admin, via="web"):
        first = penomoran.insert_sisipan(city.dinas_a, surat, 2026, 45, "Surat susulan", city.admin)
        second = penomoran.insert_sisipan(city.dinas_a, surat, 2026, 45, "Surat susulan lagi", city.admin)
        other = penomoran.insert_sisipan(city.dinas_a, surat, 2026, 12, "Koreksi", city.admin)
    assert (first.urut, first.sisipan, second.sisipan, other.sisipan) == (45, "a", "b", "a")
    naskah = make_naskah(city, surat, kode)
    with acting(city.admin, via="web"):
        penomoran.assign_reserved(naskah, second, city.admin)
    assert allocate(naskah).text == "000.1.5/45b/2026"
    assert allocate(make_naskah(city, surat, kode)).urut == 46  # the sequence did not move
    with pytest.raises(ValidationError):
        penomoran.insert_sisipan(city.dinas_a, surat, 2026, 99, "Belum ada nomor 99", city.admin)


def test_void_and_gap_report(city, jenis, klasifikasi):
    surat, kode = jenis["surat_dinas"], klasifikasi["000.1.5"]
    given = allocate(make_naskah(city, surat, kode))
    with acting(city.admin, via="web"):
        reserved = penomoran.reserve(city.dinas_a, surat, 2026, "Cadangan", city.admin)
        inserted = penomoran.insert_sisipan(city.dinas_a, surat, 2026, 1, "Sisipan", city.admin)
        penomoran.void(reserved, "Tidak jadi", city.admin)
        with pytest.raises(ValidationError):
            penomoran.void(reserved, "Lagi", city.admin)
        with pytest.raises(ValidationError):
            penomoran.reserve(city.dinas_a, surat, 2026, "  ", city.admin)
    rows = penomoran.gap_report(city.dinas_a, 2026)
    assert [(r.label, r.status) for r in rows] == [("1", "given"), ("1a", "inserted"), ("2", "voided")]
    assert rows[0].nomor == given.text
    assert inserted.status == NomorCadangan.Status.TERSEDIA
    assert AuditEvent.objects.filter(action="nomor.void").count() == 1


def test_preview_does_not_take_the_number(city, jenis, klasifikasi):
    surat, kode = jenis["surat_dinas"], klasifikasi["000.1.5"]
    make_format(unit=city.dinas_a, pola="{urut}/{kode_unit}/{tahun}")
    assert penomoran.preview(city.dinas_a, surat, 2026) == "1/400.1/2026"
    assert penomoran.preview(city.dinas_a, surat, 2026) == "1/400.1/2026"
    assert allocate(make_naskah(city, surat, kode)).text == "1/400.1/2026"
