# ruff: noqa: F811  (pytest fixtures imported from conftest_evaluasi)
"""The quarterly evaluation from the ledger, capaian with polarity, weighting, locking, early warning and the
dashboard figures (checked against a hand computation from the chain fixture)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test.utils import override_settings

from terpadu.core.models import AuditEvent, Notification
from terpadu.monev import evaluasi as baca
from terpadu.monev import services_evaluasi as sv
from terpadu.monev.models import CapaianIndikator, EvaluasiSubKegiatan, PeringatanDini, PeriodeMonev
from terpadu.monev.tests.conftest_evaluasi import as_system, city, fisik, give_role, pay, skala  # noqa: F401

D = Decimal


def _pagu(dpa: dict) -> Decimal:
    return sum((d.pagu for d in dpa.values()), D(0))


def _kas(rka, bulan) -> Decimal:
    return sum((k.nilai for k in rka.anggaran_kas.filter(bulan__lte=bulan)), D(0))


@pytest.fixture
def ledger(chain):
    """Payments and progress on the chain: sub pays 2 lines, sub2 little, sub_b (Dinas Beta) one."""
    a1, a2 = chain.dpa["5.1.02.01.01.0024"], chain.dpa["5.2.02.10.02.0004"]
    pay(a1, 1, 3_000_000)
    pay(a2, 2, 25_000_000)
    pay(a2, 3, 10_000_000)
    pay(a1, 5, 1_000_000)  # after TW I
    pay(chain.dpa2["5.1.02.04.01.0001"], 3, 1_000_000)
    pay(chain.dpa_b["5.1.02.01.01.0024"], 2, 2_000_000)
    fisik(chain.sub, 2, 20)
    fisik(chain.sub, 3, 35)
    fisik(chain.sub, 6, 60)
    fisik(chain.sub2, 1, 5)
    return chain


def test_capaian_polarity():
    assert sv.hitung_capaian(10, 8, "naik") == D("80.0000")
    assert sv.hitung_capaian(10, 12, "naik") == D("120.0000")
    # lower is better: (2T − R) / T × 100 — at target 100 %, below target more, above target less
    assert sv.hitung_capaian(10, 8, "turun") == D("120.0000")
    assert sv.hitung_capaian(10, 10, "turun") == D("100.0000")
    assert sv.hitung_capaian(10, 13, "turun") == D("70.0000")
    assert sv.hitung_capaian(0, 5, "naik") is None
    assert sv.hitung_capaian(0, 5, "turun") is None
    assert sv.hitung_capaian(None, 5, "naik") is None


def test_figures_from_the_ledger(ledger, skala):
    chain = ledger
    figures = sv.angka(2026, 3)
    a = figures[chain.sub.pk]
    assert a.pagu == _pagu(chain.dpa)
    assert a.kas == _kas(chain.rka, 3)
    assert a.realisasi == D(38_000_000)
    assert a.fisik == D(35)
    assert a.persen_keuangan == (D(38_000_000) / _pagu(chain.dpa) * 100).quantize(sv.PCT)
    assert figures[chain.sub2.pk].fisik == D(5)  # the latest report at or before the month
    assert sv.angka(2026, 12)[chain.sub.pk].fisik == D(60)


def test_cash_plan_uses_the_latest_adopted_round(ledger):
    from terpadu.anggaran.models import AnggaranKas, Rka, TahapAnggaran

    chain = ledger
    tahap2 = TahapAnggaran.objects.create(tahun=2026, jenis="pergeseran", urutan=2, nama="Pergeseran I",
                                          status="ditetapkan", sebelumnya=chain.tahap)  # fmt: skip
    rka2 = Rka.objects.create(tahap=tahap2, sub_kegiatan=chain.sub, unit=chain.sub.unit, tahun=2026,
                              status="disetujui", total=chain.rka.total)  # fmt: skip
    for bulan in range(1, 13):
        AnggaranKas.objects.create(rka=rka2, bulan=bulan, nilai=chain.rka.total if bulan == 1 else 0)
    draft = TahapAnggaran.objects.create(tahun=2026, jenis="perubahan", urutan=3, nama="P-APBD")
    rka3 = Rka.objects.create(tahap=draft, sub_kegiatan=chain.sub, unit=chain.sub.unit, tahun=2026,
                              status="disetujui", total=1)  # fmt: skip
    AnggaranKas.objects.create(rka=rka3, bulan=1, nilai=999)
    assert sv.angka(2026, 1)[chain.sub.pk].kas == chain.rka.total  # round 2 counts, the draft round 3 does not
    assert sv.angka(2026, 1)[chain.sub2.pk].kas == _kas(chain.rka2, 1)


def test_evaluation_rating_and_submit(ledger, skala):
    chain = ledger
    periode = sv.pastikan_periode(2026)[0]
    assert as_system(sv.siapkan_evaluasi, periode) == 3
    e = EvaluasiSubKegiatan.objects.get(periode=periode, sub_kegiatan=chain.sub)
    pct = D(38_000_000) / _pagu(chain.dpa) * 100
    assert e.persen_keuangan == pct.quantize(sv.PCT)
    assert e.kategori == sv.kategori("kumulatif_tw1", pct).kategori
    assert e.kategori_capaian == sv.kategori("capaian", D(38_000_000) / _kas(chain.rka, 3) * 100).kategori
    assert e.realisasi_fisik == D(35)
    # idempotent: a second run changes nothing
    assert as_system(sv.siapkan_evaluasi, periode) == 0
    as_system(sv.simpan_evaluasi, e, {"faktor_pendorong": "Tim solid", "tindak_lanjut": "Percepat lelang"})
    as_system(sv.kirim_evaluasi, e)
    e.refresh_from_db()
    assert e.status == "dikirim" and e.faktor_pendorong == "Tim solid"
    assert AuditEvent.objects.filter(action="monev.evaluasi_dikirim", object_id=str(e.pk)).exists()


def test_low_rating_needs_tindak_lanjut(ledger, skala):
    periode = sv.pastikan_periode(2026)[0]
    as_system(sv.siapkan_evaluasi, periode)
    e = EvaluasiSubKegiatan.objects.get(periode=periode, sub_kegiatan=ledger.sub2)
    assert e.kategori == "Sangat Rendah"
    with pytest.raises(ValidationError) as err:
        as_system(sv.kirim_evaluasi, e)
    assert "tindak lanjut" in " ".join(err.value.messages)


def test_locked_period_refuses_edits(ledger, skala):
    periode = sv.pastikan_periode(2026)[0]
    as_system(sv.siapkan_evaluasi, periode)
    e = EvaluasiSubKegiatan.objects.get(periode=periode, sub_kegiatan=ledger.sub)
    with pytest.raises(ValidationError):
        as_system(sv.kunci_periode, periode, "")  # a reason is required
    as_system(sv.kunci_periode, periode, "Rekap triwulan selesai")
    assert sv.periode_terkunci(2026, 2) and sv.periode_terkunci(2026, 3) and not sv.periode_terkunci(2026, 4)
    for call in (
        lambda: sv.simpan_evaluasi(e, {"tindak_lanjut": "x"}),
        lambda: sv.kirim_evaluasi(e),
        lambda: sv.siapkan_evaluasi(periode),
        lambda: sv.simpan_capaian(periode, ledger.indikator_sub, 3),
    ):
        with pytest.raises(ValidationError) as err:
            as_system(call)
        assert "locked" in " ".join(err.value.messages)
    e.refresh_from_db()
    assert e.tindak_lanjut == ""
    as_system(sv.buka_periode, periode, "Koreksi data OPD")
    assert not sv.periode_terkunci(2026, 1)
    actions = list(AuditEvent.objects.filter(object_id=str(periode.pk), object_type__endswith="periodemonev")
                   .values_list("action", flat=True))  # fmt: skip
    assert "monev.periode_dikunci" in actions and "monev.periode_dibuka" in actions


def test_automatic_lock_is_idempotent_and_respects_manual_unlock(db):
    periods = sv.pastikan_periode(2026)
    today = periods[0].batas_waktu + dt.timedelta(days=1)
    assert as_system(sv.kunci_jatuh_tempo, today) == 1
    assert as_system(sv.kunci_jatuh_tempo, today) == 0
    as_system(sv.buka_periode, PeriodeMonev.objects.get(pk=periods[0].pk), "Perpanjangan")
    assert as_system(sv.kunci_jatuh_tempo, today) == 0  # unlocked by hand: stays open
    assert as_system(sv.kunci_jatuh_tempo, periods[0].batas_waktu) == 0  # not after the deadline day itself


def test_capaian_indicator(ledger, skala):
    from terpadu.perencanaan.models import Indikator, TargetIndikator

    periode = sv.pastikan_periode(2026)[1]
    c = as_system(sv.simpan_capaian, periode, ledger.indikator_sub, "8")
    assert c.capaian == D("80.0000") and c.kategori == "Tinggi" and c.unit == ledger.sub.unit
    turun = Indikator.objects.create(renja_sub_kegiatan=ledger.sub, uraian="Waktu layanan", satuan="hari",
                                     polaritas="turun")  # fmt: skip
    TargetIndikator.objects.create(indikator=turun, tahun=2026, target=D(4))
    c = as_system(sv.simpan_capaian, periode, turun, 3)
    assert c.capaian == D("125.0000") and c.kategori == "Sangat Tinggi"
    nol = Indikator.objects.create(renja_sub_kegiatan=ledger.sub, uraian="Kasus", satuan="kasus")
    TargetIndikator.objects.create(indikator=nol, tahun=2026, target=D(0))
    c = as_system(sv.simpan_capaian, periode, nol, 1)
    assert c.capaian is None and c.kategori == ""
    assert CapaianIndikator.objects.filter(periode=periode).count() == 3


def test_weighting_by_pagu(ledger, skala):
    chain = ledger
    per_sub = sv.angka(2026, 3)
    a, b = per_sub[chain.sub.pk], per_sub[chain.sub2.pk]
    opd = sv.progres_tertimbang([a, b])
    pa, pb = _pagu(chain.dpa), _pagu(chain.dpa2)
    assert opd["fisik"] == ((pa * 35 + pb * 5) / (pa + pb)).quantize(sv.PCT)
    assert opd["keuangan"] == (D(39_000_000) / (pa + pb) * 100).quantize(sv.PCT)
    beta = sv.progres_tertimbang([per_sub[chain.sub_b.pk]])
    kota = sv.progres_kota({chain.sub.unit_id: opd, chain.sub_b.unit_id: beta})
    pbeta = _pagu(chain.dpa_b)
    expected = (pa * 35 + pb * 5) / (pa + pb + pbeta)
    assert abs(kota["fisik"] - expected) < D("0.001")
    # the aggregate per OPD gives the same weighted physical progress
    per_unit = sv.angka(2026, 3, kelompok="unit")
    assert per_unit[chain.sub.unit_id].fisik == opd["fisik"]


def test_early_warning_idempotent_and_notifies_once(ledger, skala, city):
    chain = ledger
    give_role(city.staff_other, "perencana")  # Bappeda
    with override_settings(TERPADU_MONEV_MARGIN=10):
        created = as_system(sv.periksa_peringatan, 2026, 6)
    pa = _pagu(chain.dpa)
    lag_sub = (_kas(chain.rka, 6) - D(39_000_000)) / pa * 100
    flagged = {w.sub_kegiatan_id for w in created}
    assert (chain.sub.pk in flagged) == (lag_sub > 10)
    assert chain.sub2.pk in flagged  # almost nothing paid by June
    w = PeringatanDini.objects.get(sub_kegiatan=chain.sub2, bulan=6)
    assert w.deviasi == ((_kas(chain.rka2, 6) - D(1_000_000)) / _pagu(chain.dpa2) * 100).quantize(sv.PCT)
    head = Notification.objects.filter(recipient=city.pimpinan, verb="monev.peringatan_dini").count()
    bappeda = Notification.objects.filter(recipient=city.staff_other, verb="monev.peringatan_dini").count()
    assert head == 1 and bappeda == 1
    assert as_system(sv.periksa_peringatan, 2026, 6) == []
    assert Notification.objects.filter(verb="monev.peringatan_dini").count() == head + bappeda
    assert PeringatanDini.objects.filter(bulan=6).count() == len(created)
    assert AuditEvent.objects.filter(action="monev.peringatan_dibuat").count() == len(created)
    with override_settings(TERPADU_MONEV_MARGIN=100):
        assert as_system(sv.periksa_peringatan, 2026, 7) == []


def test_early_warning_measures_the_lag_against_the_adopted_rounds_pagu(ledger, skala):
    """TAPD approving a pergeseran RKA moves the DPA lines' pagu before the round is adopted; the cash plan is
    still the adopted round's, and so is the pagu the lag is counted in."""
    from terpadu.anggaran.models import DpaBaris

    chain = ledger
    before = sv.angka(2026, 6)[chain.sub2.pk]
    DpaBaris.objects.filter(pk__in=[d.pk for d in chain.dpa2.values()]).update(pagu=F("pagu") * 3)
    after = sv.angka(2026, 6)[chain.sub2.pk]
    assert after.pagu == before.pagu * 3
    assert after.kas_tahun == _kas(chain.rka2, 12) == before.pagu
    lag = (_kas(chain.rka2, 6) - D(1_000_000)) / before.pagu * 100
    assert after.deviasi == before.deviasi == lag.quantize(sv.PCT)


def test_dashboard_numbers_equal_a_hand_computation(ledger, skala, city):
    chain = ledger
    give_role(city.staff_other, "perencana")
    data = baca.dashboard_data(city.staff_other, 2026, "kota", None, 3)
    rows = {r["key"]: r for r in data["rows"]}
    alfa = rows[chain.sub.unit_id]
    assert alfa["pagu"] == _pagu(chain.dpa) + _pagu(chain.dpa2)
    assert alfa["realisasi"] == D(39_000_000)
    assert alfa["kas"] == _kas(chain.rka, 3) + _kas(chain.rka2, 3)
    assert rows[chain.sub_b.unit_id]["realisasi"] == D(2_000_000)
    assert data["total"]["realisasi"] == D(41_000_000)
    assert data["series"]["realisasi"][1] == D(3_000_000 + 25_000_000 + 2_000_000)  # cumulative to February
    assert data["series"]["kas"][11] == chain.rka.total + chain.rka2.total + chain.rka_b.total
    # drill-down: OPD → program → kegiatan → sub kegiatan
    opd = baca.dashboard_data(city.staff_other, 2026, "opd", chain.sub.unit_id, 3)
    assert [r["kode"] for r in opd["rows"]] == ["2.16.03"]
    assert opd["rows"][0]["realisasi"] == D(39_000_000)
    keg = baca.dashboard_data(city.staff_other, 2026, "program", f"{chain.sub.unit_id}:2.16.03", 3)
    assert [r["kode"] for r in keg["rows"]] == ["2.16.03.2.02"]
    subs = baca.dashboard_data(city.staff_other, 2026, "kegiatan", f"{chain.sub.unit_id}:2.16.03.2.02", 3)
    assert {r["kode"]: r["realisasi"] for r in subs["rows"]} == {
        "2.16.03.2.02.0021": D(1_000_000), "2.16.03.2.02.0023": D(38_000_000)
    }  # fmt: skip
    one = baca.dashboard_data(city.staff_other, 2026, "sub", chain.sub.pk, 12)
    assert one["total"]["realisasi"] == D(39_000_000) and one["total"]["fisik"] == D(60)


def test_dashboard_is_scoped_and_queries_are_constant(ledger, skala, city, django_assert_max_num_queries):
    from django.http import Http404

    chain = ledger
    data = baca.dashboard_data(city.pimpinan, 2026, "kota", None, 3)  # head of Dinas Alfa: own OPD only
    assert [r["key"] for r in data["rows"]] == [chain.sub.unit_id]
    with pytest.raises(Http404):
        baca.dashboard_data(city.pimpinan, 2026, "opd", chain.sub_b.unit_id, 3)
    give_role(city.staff_other, "perencana")
    baca.dashboard_data(city.staff_other, 2026, "kota", None, 3)
    with django_assert_max_num_queries(12):
        baca.dashboard_data(city.staff_other, 2026, "kota", None, 3)
    with django_assert_max_num_queries(14):
        baca.dashboard_data(city.staff_other, 2026, "opd", chain.sub.unit_id, 3)


def test_leader_view_ranking(ledger, skala, city):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        baca.pimpinan_data(city.pimpinan, 2026, 3)  # unit scope only
    give_role(city.staff_other, "perencana")
    data = baca.pimpinan_data(city.staff_other, 2026, 6)
    assert [r["peringkat"] for r in data["ranking"]] == [1, 2]
    assert data["ranking"][0]["key"] == ledger.sub.unit_id  # the only OPD with physical progress
    assert data["worst"][0]["deviasi"] >= data["worst"][-1]["deviasi"]
    assert len(data["trend"]) == 4 and data["trend"][2]["persen_realisasi"] is None  # TW III not reached


def test_demo_seed_on_the_chain(ledger, city):
    from terpadu.monev import demo_evaluasi

    as_system(demo_evaluasi.seed, dt.date(2026, 7, 6))
    assert PeriodeMonev.objects.filter(tahun=2026).count() == 4
    assert EvaluasiSubKegiatan.objects.filter(periode__triwulan__in=[1, 2]).count() == 6
    assert not EvaluasiSubKegiatan.objects.filter(periode__triwulan=3).exists()
    assert PeriodeMonev.objects.get(tahun=2026, triwulan=1).status == "dikunci"
    assert (
        PeriodeMonev.objects.get(tahun=2026, triwulan=2).status == "terbuka"
    )  # deadline: 5 working days after 30 June = 7 July
    assert PeringatanDini.objects.filter(bulan=6).exists()
