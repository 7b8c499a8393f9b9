"""Booking realisation: never beyond a DPA line, a termin or a contract; nothing written on refusal; audit;
cancellation reverses the amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.realisasi import services
from terpadu.realisasi.models import Realisasi, Sp2d
from terpadu.realisasi.tests.conftest import make_kontrak

ATK, MAMIN, PERJADIN, SWITCH = "5.1.02.01.01.0024", "5.1.02.01.01.0052", "5.1.02.04.01.0001", "5.2.02.10.02.0004"
D = dt.date(2026, 3, 10)


def book(line, nilai, nomor="SP2D/1", tanggal=D, **extra):
    with acting(None, via="command"):
        return services.book(dpa_baris=line, nilai=nilai, tanggal=tanggal, nomor=nomor, uraian="uji", **extra)


def record(data, lines):
    with acting(None, via="command"):
        return services.record_sp2d(data, lines)


def nothing_written():
    return (
        Sp2d.objects.count() == 0
        and Realisasi.objects.count() == 0
        and not AuditEvent.objects.filter(object_type__startswith="realisasi").exists()
    )


def test_book_writes_denormalised_row_and_audit(chain):
    line = chain.dpa[ATK]
    sp2d = book(line, "1500000.50")
    row = sp2d.rincian.get()
    assert (row.sub_kegiatan, row.unit, row.tahun, row.bulan) == (chain.sub, line.unit, 2026, 3)
    assert row.nilai == Decimal("1500000.50") and sp2d.nilai == row.nilai
    assert sp2d.sumber == Sp2d.Sumber.MODUL and sp2d.unit == line.unit and sp2d.tahun == 2026
    event = AuditEvent.objects.get(object_type="realisasi.sp2d", object_id=str(sp2d.pk))
    assert event.action == "realisasi.sp2d_dicatat"
    assert event.changes["rincian"][1][0]["dpa_baris"] == line.kode
    assert services.realisasi_baris(line) == Decimal("1500000.50")


def test_exactly_the_pagu_is_allowed_one_sen_more_is_not(chain):
    line = chain.dpa[ATK]
    book(line, line.pagu - Decimal("100"), nomor="A")
    book(line, Decimal("100"), nomor="B")
    with pytest.raises(ValidationError) as caught:
        book(line, Decimal("0.01"), nomor="C")
    message = " ".join(caught.value.messages)
    assert line.kode in message and "5.500.000" in message  # names the line and its pagu
    assert not Sp2d.objects.filter(nomor="C").exists()


def test_over_the_line_refused_and_nothing_written(chain):
    line = chain.dpa[ATK]
    with pytest.raises(ValidationError) as caught:
        book(line, line.pagu + 1)
    message = " ".join(caught.value.messages)
    for part in (line.kode, services.rupiah(line.pagu), services.rupiah(0), services.rupiah(line.pagu + 1)):
        assert part in message
    assert nothing_written()


def test_multi_line_sp2d_where_only_the_second_line_is_over_writes_nothing(chain):
    ok, over = chain.dpa[ATK], chain.dpa[MAMIN]
    data = {"nomor": "SP2D/M", "tanggal": D, "jenis": "LS", "uraian": "dua baris"}
    with pytest.raises(ValidationError) as caught:
        record(data, [(ok, Decimal("1000"), None), (over, over.pagu + 1, None)])
    assert over.kode in " ".join(caught.value.messages)
    assert ok.kode not in " ".join(caught.value.messages)
    assert nothing_written()


def test_two_rows_on_the_same_line_are_added_up(chain):
    line = chain.dpa[ATK]
    data = {"nomor": "SP2D/S", "tanggal": D, "jenis": "GU", "uraian": "dua kali"}
    half = line.pagu / 2 + 1
    with pytest.raises(ValidationError):
        record(data, [(line, half, None), (line, half, None)])
    assert nothing_written()


def test_sp2d_rules(chain):
    line = chain.dpa[ATK]
    for bad, field in (
        ({"tanggal": dt.date(2025, 12, 31)}, "rincian"),  # SP2D year ≠ DPA year
        ({"unit": chain.sub_b.unit}, "rincian"),  # a line of another OPD
        ({"jenis": "XX"}, "jenis"),
        ({"nomor": ""}, "nomor"),
        ({"uraian": " "}, "uraian"),
    ):
        data = {"nomor": "SP2D/R", "tanggal": D, "jenis": "LS", "uraian": "uji", **bad}
        with pytest.raises(ValidationError) as caught:
            record(data, [(line, Decimal("10"), None)])
        assert field in caught.value.message_dict, bad
    for nilai in (0, -5, "abc", "1.001"):
        with pytest.raises(ValidationError):
            book(line, nilai)
    assert nothing_written()
    book(line, 10, nomor="SAMA")
    with pytest.raises(ValidationError) as caught:
        book(chain.dpa[MAMIN], 10, nomor="SAMA")
    assert "nomor" in caught.value.message_dict


def test_termin_rules(chain):
    line = chain.dpa[SWITCH]  # 50.000.000
    kontrak, (t1, t2) = make_kontrak(line, "40000000", ["30000000", "10000000"])
    book(line, "30000000", nomor="T1", termin=t1)
    assert services.terbayar(t1) == Decimal("30000000")
    with pytest.raises(ValidationError) as caught:  # beyond the termin's value
        book(line, "1", nomor="T1b", termin=t1)
    assert str(t1) in " ".join(caught.value.messages)
    with pytest.raises(ValidationError):  # a termin is paid by an LS SP2D
        book(line, "100", nomor="T2gu", termin=t2, jenis="GU")
    other_line = chain.dpa[ATK]
    with pytest.raises(ValidationError) as caught:  # the contract is not funded by that line
        book(other_line, "100", nomor="T2x", termin=t2)
    assert "not funded" in " ".join(caught.value.messages)
    book(line, "10000000", nomor="T2", termin=t2)
    assert services.terbayar_kontrak(kontrak) == Decimal("40000000")
    assert Sp2d.objects.count() == 2


def test_contract_total_cannot_exceed_its_value(chain):
    line = chain.dpa[SWITCH]
    # termin that add up to more than the contract (e.g. an adendum lowered the value): the contract caps
    kontrak, (t1, t2) = make_kontrak(line, "20000000", ["15000000", "15000000"])
    book(line, "15000000", nomor="K1", termin=t1)
    with pytest.raises(ValidationError) as caught:
        book(line, "6000000", nomor="K2", termin=t2)
    assert kontrak.nomor in " ".join(caught.value.messages)
    book(line, "5000000", nomor="K3", termin=t2)
    assert services.terbayar_kontrak(kontrak) == Decimal("20000000")


def test_cancellation_is_excluded_from_every_sum(chain):
    line = chain.dpa[SWITCH]
    _kontrak, (t1,) = make_kontrak(line, "50000000", ["50000000"])
    keep = book(chain.dpa[ATK], "1000", nomor="KEEP")
    wrong = book(line, "50000000", nomor="SALAH", termin=t1)
    assert services.realisasi_kumulatif(chain.sub, 12) == Decimal("50001000")
    with pytest.raises(ValidationError):
        with acting(None, via="command"):
            services.cancel_sp2d(wrong, "  ")
    with acting(None, via="command"):
        services.cancel_sp2d(wrong, "Nomor rekening salah ketik")
    wrong.refresh_from_db()
    assert wrong.dibatalkan and wrong.alasan_batal == "Nomor rekening salah ketik"
    assert Sp2d.objects.filter(pk=wrong.pk).exists()  # never deleted
    assert services.realisasi_kumulatif(chain.sub, 12) == Decimal("1000")
    assert services.realisasi_per_bulan(chain.sub)[3] == Decimal("1000")
    assert services.realisasi_baris(line) == 0 and services.terbayar(t1) == 0
    assert AuditEvent.objects.filter(object_id=str(wrong.pk), action="realisasi.sp2d_dibatalkan").exists()
    with pytest.raises(ValidationError):
        with acting(None, via="command"):
            services.cancel_sp2d(wrong, "lagi")
    book(line, "50000000", nomor="BENAR", termin=t1)  # the line and termin are free again
    assert keep.rincian.count() == 1


def test_queries(chain):
    book(chain.dpa[ATK], "1000", nomor="J", tanggal=dt.date(2026, 1, 15))
    book(chain.dpa[MAMIN], "2000", nomor="M", tanggal=dt.date(2026, 3, 2))
    book(chain.dpa2[MAMIN], "4000", nomor="X", tanggal=dt.date(2026, 3, 2))
    assert services.realisasi_kumulatif(chain.sub, 1) == Decimal("1000")
    assert services.realisasi_kumulatif(chain.sub, 2) == Decimal("1000")
    assert services.realisasi_kumulatif(chain.sub, 3) == Decimal("3000")
    per_month = services.realisasi_per_bulan(chain.sub)
    assert set(per_month) == set(range(1, 13)) and per_month[1] == Decimal("1000") and per_month[2] == 0
    assert services.progres_fisik(chain.sub, 12) is None
