"""Numbering in one statement on PostgreSQL (head lock, counter and the naskah's number together): the text the
database formats is the text `render` gives, every case of the pattern falls back or matches, and the audit chain
stays linear when the caller audits before and after numbering in the same transaction. On SQLite the same
assertions cover the separate statements."""

from __future__ import annotations

import pytest
from django.db import transaction

from terpadu.core import audit
from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.naskah import penomoran
from terpadu.naskah.models import Naskah, Sifat, UrutanNomor
from terpadu.naskah.tests.test_penomoran import allocate, make_format, make_naskah


def _stored(naskah) -> tuple:
    naskah.refresh_from_db()
    return naskah.nomor, naskah.nomor_urut, naskah.nomor_tahun


@pytest.mark.parametrize(
    ("digit", "start", "expected"),
    [(0, 0, "1"), (3, 0, "001"), (3, 998, "999"), (3, 999, "1000"), (5, 41, "00042"), (2, 12344, "12345")],
)
def test_the_running_number_is_padded_like_zfill(city, jenis, klasifikasi, digit, start, expected):
    surat = jenis["surat_dinas"]
    make_format(unit=city.dinas_a, pola="{klasifikasi}/{urut}/{kode_unit}/{tahun}", digit=digit)
    if start:
        UrutanNomor.objects.create(unit=city.dinas_a, lingkup="", tahun=2026, terakhir=start)
    naskah = make_naskah(city, surat, klasifikasi["000.1.5"])
    nomor = allocate(naskah)
    assert nomor.text == f"000.1.5/{expected}/400.1/2026"
    assert _stored(naskah) == (nomor.text, start + 1, 2026)
    assert naskah.diubah is not None


def test_a_pattern_with_urut_twice_and_a_sisipan_token(city, jenis, klasifikasi):
    make_format(unit=city.dinas_a, pola="{urut}{sisipan}-{urut}/{kode_keamanan}/{bulan_romawi}", digit=2)
    naskah = make_naskah(city, jenis["surat_dinas"], klasifikasi["000.1.5"], sifat=Sifat.RAHASIA)
    nomor = allocate(naskah)
    assert nomor.text == "01-01/R/III"
    assert _stored(naskah) == ("01-01/R/III", 1, 2026)


def test_values_that_contain_the_mark_fall_back_to_separate_statements(city, jenis, klasifikasi):
    surat = jenis["surat_dinas"]
    surat.singkatan = f"S{penomoran.URUT_MARK}D"
    surat.save()
    make_format(unit=city.dinas_a, pola="{jenis}/{urut}/{tahun}")
    naskah = make_naskah(city, surat, klasifikasi["000.1.5"])
    nomor = allocate(naskah)
    assert nomor.text == f"S{penomoran.URUT_MARK}D/1/2026"
    assert _stored(naskah) == (nomor.text, 1, 2026)


def test_the_first_number_of_a_sequence_creates_its_counter(city, jenis, klasifikasi):
    assert not UrutanNomor.objects.filter(unit=city.dinas_b).exists()
    naskah = make_naskah(city, jenis["surat_dinas"], klasifikasi["000.1.5"], unit=city.dinas_b)
    assert allocate(naskah, tahun=2031).urut == 1
    assert UrutanNomor.objects.get(unit=city.dinas_b, lingkup="", tahun=2031).terakhir == 1


def test_signing_audits_before_and_after_the_number_in_one_linear_chain(city, jenis, klasifikasi):
    surat, kode = jenis["surat_dinas"], klasifikasi["000.1.5"]
    first, second = make_naskah(city, surat, kode), make_naskah(city, surat, kode)
    with acting(None, via="command"), transaction.atomic():
        audit.record(first, "test.before")  # e.g. the signature, audited before the number is taken
        penomoran.allocate(first, tahun=2026)
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint that numbers and fails
            penomoran.allocate(second, tahun=2026)
            raise RuntimeError
        audit.record(first, "test.after")
        penomoran.allocate(second, tahun=2026)
    actions = list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:4])
    assert actions == ["naskah.nomor", "test.after", "naskah.nomor", "test.before"]
    assert audit.verify().ok
    assert [_stored(n)[1] for n in (first, second)] == [1, 2]


def test_a_missing_naskah_row_is_an_error_and_takes_no_number(city, jenis, klasifikasi):
    naskah = make_naskah(city, jenis["surat_dinas"], klasifikasi["000.1.5"])
    Naskah.objects.filter(pk=naskah.pk).delete()
    with pytest.raises(Exception), acting(None, via="command"), transaction.atomic():  # noqa: B017, PT011
        penomoran.allocate(naskah, tahun=2026)
    assert not UrutanNomor.objects.filter(unit=city.dinas_a, terakhir__gt=0).exists()


def test_the_format_of_a_unit_not_saved_through_the_services_is_still_inherited(city, jenis):
    dinas_all = make_format(unit=city.dinas_a, jenis=None, pola="D/{urut}")
    bidang = city.bidang_a
    bidang.path = ""  # a path the services did not write: the parents are walked instead
    assert penomoran.format_for(bidang, jenis["surat_dinas"]) == dinas_all
