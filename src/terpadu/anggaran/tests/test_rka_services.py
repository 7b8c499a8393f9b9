"""The budgeting services: rounds, ceilings, lines, SSH rule, verification, DPA lines, cash plans, comparison."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from terpadu.anggaran import services_rka as svc
from terpadu.anggaran.models import AnggaranKas, DpaBaris, Pagu, RincianBelanja, Rka, TahapAnggaran
from terpadu.anggaran.tests.rka_helpers import line, make_drafting, make_ssh, open_round
from terpadu.core.context import acting
from terpadu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafting(chain):
    return make_drafting(chain)


@pytest.fixture(autouse=True)
def _as_command():
    with acting(None, via="command"):
        yield


def _approve_all(tahap):
    for rka in tahap.rka.exclude(status=Rka.Status.DISETUJUI):
        if svc.kas_sum(rka) != rka.total:
            svc.simpan_kas(None, rka, svc.ratakan(rka.total))
        svc.ajukan(None, rka)
        svc.setujui(None, rka)


# -- rounds ------------------------------------------------------------------------------------------------


def test_new_round_copies_everything_of_the_previous_round(chain):
    tahap = open_round(chain)
    assert tahap.sebelumnya == chain.tahap and tahap.urutan == 2 and tahap.status == "penyusunan"
    assert tahap.rka.count() == chain.tahap.rka.count() == 3
    assert set(tahap.rka.values_list("status", flat=True)) == {"draft"}
    old = dict(RincianBelanja.objects.filter(rka__tahap=chain.tahap).values_list("kunci", "jumlah"))
    new = dict(RincianBelanja.objects.filter(rka__tahap=tahap).values_list("kunci", "jumlah"))
    assert old == new and len(new) == 7
    assert AnggaranKas.objects.filter(rka__tahap=tahap).count() == 36
    assert dict(tahap.pagu.values_list("unit", "nilai")) == dict(chain.tahap.pagu.values_list("unit", "nilai"))
    copy = tahap.rka.get(sub_kegiatan=chain.sub)
    assert copy.total == chain.rka.total and svc.kas_sum(copy) == copy.total


def test_only_one_round_in_drafting_and_murni_first(chain):
    open_round(chain)
    with pytest.raises(ValidationError, match="still being drafted"):
        svc.buka_tahap(None, chain.tahun, "perubahan")
    with pytest.raises(ValidationError, match="murni round of 2031 first"):
        svc.buka_tahap(None, 2031, "pergeseran")
    murni = svc.buka_tahap(None, 2031, "murni")
    assert murni.urutan == 1 and murni.nama == "APBD Murni"
    with pytest.raises(ValidationError, match="already has its murni"):
        svc.buka_tahap(None, 2031, "murni")


def test_adopting_needs_every_rka_approved_and_names_the_pending(drafting):
    chain, tahap, rka = drafting
    with pytest.raises(ValidationError) as excinfo:
        svc.tetapkan_tahap(None, tahap)
    message = " ".join(excinfo.value.messages)
    assert "3 RKA are not approved" in message and chain.sub.sub_kegiatan.kode in message
    _approve_all(tahap)
    svc.tetapkan_tahap(None, tahap, "Perkada 12/2026")
    tahap.refresh_from_db()
    assert tahap.status == TahapAnggaran.Status.DITETAPKAN and tahap.dasar_hukum == "Perkada 12/2026"


# -- ceilings and lines ------------------------------------------------------------------------------------


def test_total_over_pagu_is_refused_naming_the_excess_and_nothing_is_written(drafting, city):
    chain, tahap, rka = drafting
    used = svc.total_opd(tahap.pk, city.dinas_a.pk)
    svc.set_pagu(None, tahap, city.dinas_a, used + Decimal("100000"))
    lines_before, events_before = RincianBelanja.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        svc.tambah_rincian(None, rka, line(volume="10", harga_satuan="15000"))  # 150,000: 50,000 too much
    message = excinfo.value.messages[0]
    assert "Dinas Alfa" in message and "50,000" in message and svc.rupiah(used + 100000) in message
    assert svc.rupiah(used + 150000) in message
    assert RincianBelanja.objects.count() == lines_before and AuditEvent.objects.count() == events_before
    rka.refresh_from_db()
    assert rka.total == chain.rka.total
    svc.tambah_rincian(None, rka, line(volume="5", harga_satuan="20000"))  # exactly the pagu
    assert svc.total_opd(tahap.pk, city.dinas_a.pk) == used + 100000


def test_pagu_cannot_be_set_below_what_is_budgeted(drafting, city):
    chain, tahap, rka = drafting
    with pytest.raises(ValidationError, match="already budgets"):
        svc.set_pagu(None, tahap, city.dinas_a, Decimal("1000"))
    with pytest.raises(ValidationError, match="adopted and locked"):
        svc.set_pagu(None, chain.tahap, city.dinas_a, Decimal("2000000000"))


def test_amount_is_computed_and_rounded_half_up_and_total_follows(drafting):
    chain, tahap, rka = drafting
    made = svc.tambah_rincian(None, rka, line(volume="0.5", harga_satuan="3", jumlah="999999"))
    assert made.jumlah == Decimal("2")  # 1.5 → 2, the input jumlah ignored
    rka.refresh_from_db()
    assert rka.total == chain.rka.total + 2
    svc.ubah_rincian(None, made, {"volume": "3"})
    rka.refresh_from_db()
    assert rka.total == chain.rka.total + 9
    svc.hapus_rincian(None, made)
    rka.refresh_from_db()
    assert rka.total == chain.rka.total


def test_ssh_price_rule(drafting):
    chain, tahap, rka = drafting
    atk = chain.rekening["5.1.02.01.01.0024"]
    item = make_ssh(chain.tahun, "1.1.7.01.01.01.001", "50000", [atk])
    with pytest.raises(ValidationError) as excinfo:
        svc.tambah_rincian(None, rka, line(kode_ssh=item.kode, harga_satuan="60000", satuan="", justifikasi=""))
    assert "above the standard price" in excinfo.value.message_dict["harga_satuan"][0]
    cheaper = svc.tambah_rincian(None, rka, line(kode_ssh=item.kode, harga_satuan="45000", satuan="lembar"))
    assert cheaper.harga_satuan == Decimal("45000") and cheaper.satuan == "rim" and cheaper.standar_harga == item
    default = svc.tambah_rincian(None, rka, line(kode_ssh=item.kode, harga_satuan="", justifikasi=""))
    assert default.harga_satuan == Decimal("50000") and default.jumlah == Decimal("500000")
    with pytest.raises(ValidationError) as excinfo:
        svc.tambah_rincian(None, rka, line(kode="5.1.02.01.01.0052", kode_ssh=item.kode, harga_satuan=""))
    assert "may not be budgeted on 5.1.02.01.01.0052" in excinfo.value.message_dict["kode_rekening"][0]


def test_without_ssh_a_justification_is_required_and_codes_are_checked(drafting):
    chain, tahap, rka = drafting
    with pytest.raises(ValidationError) as excinfo:
        svc.tambah_rincian(None, rka, line(justifikasi=""))
    assert "justification is required" in excinfo.value.message_dict["justifikasi"][0]
    with pytest.raises(ValidationError) as excinfo:
        svc.tambah_rincian(None, rka, line(kode="5.1.02.01.01"))
    assert "5.1.02.01.01" in excinfo.value.message_dict["kode_rekening"][0]
    with pytest.raises(ValidationError) as excinfo:
        svc.tambah_rincian(None, rka, line(kode="9.9.99.99.99.9999", volume="-1"))
    assert set(excinfo.value.message_dict) == {"kode_rekening", "volume"}
    retired = chain.rekening["5.1.02.04.01.0001"]
    retired.aktif = False
    retired.save()
    with pytest.raises(ValidationError):
        svc.tambah_rincian(None, rka, line(kode=retired.kode))


def test_locked_rka_and_rounds_refuse_edits(drafting):
    chain, tahap, rka = drafting
    with pytest.raises(ValidationError, match="adopted and locked"):
        svc.tambah_rincian(None, chain.rka, line())
    with pytest.raises(ValidationError, match="adopted and locked"):
        svc.hapus_rincian(None, chain.rka.rincian.first())
    with pytest.raises(ValidationError, match="adopted and locked"):
        svc.simpan_kas(None, chain.rka, svc.ratakan(chain.rka.total))
    svc.ajukan(None, rka)
    with pytest.raises(ValidationError, match="submitted to tapd"):
        svc.tambah_rincian(None, rka, line())


# -- verification and the DPA --------------------------------------------------------------------------------


def test_returned_fixed_then_approved_updates_the_dpa(drafting):
    chain, tahap, rka = drafting
    kopi = rka.rincian.get(rekening__kode="5.1.02.01.01.0052")
    svc.ajukan(None, rka)
    with pytest.raises(ValidationError, match="overall note or a note"):
        svc.kembalikan(None, rka, "", {})
    svc.kembalikan(None, rka, "Kurangi konsumsi", {kopi.pk: "Volume terlalu besar"})
    rka.refresh_from_db()
    kopi.refresh_from_db()
    assert rka.status == "dikembalikan" and kopi.perlu_perbaikan and kopi.catatan_verifikasi
    svc.ubah_rincian(None, kopi, {"volume": "300"})
    kopi.refresh_from_db()
    assert not kopi.perlu_perbaikan and kopi.jumlah == Decimal("12000000")
    rka.refresh_from_db()
    with pytest.raises(ValidationError, match="difference"):
        svc.ajukan(None, rka)  # the cash plan still sums to the old total
    svc.simpan_kas(None, rka, svc.ratakan(rka.total))
    svc.ajukan(None, rka)
    svc.setujui(None, rka)
    rka.refresh_from_db()
    assert rka.status == "disetujui" and rka.disetujui
    dpa = DpaBaris.objects.get(sub_kegiatan=chain.sub, kode_rekening="5.1.02.01.01.0052")
    assert dpa.pagu == Decimal("12000000") and dpa.pagu_murni == Decimal("16000000") and dpa.tahap == tahap
    assert dpa.pk == chain.dpa["5.1.02.01.01.0052"].pk
    assert AuditEvent.objects.filter(object_id=str(rka.pk), action="approve").exists()


def test_approval_adds_and_removes_dpa_lines(drafting):
    chain, tahap, rka = drafting
    svc.hapus_rincian(None, rka.rincian.get(rekening__kode="5.2.02.10.02.0004"))
    rka.refresh_from_db()
    svc.simpan_kas(None, rka, svc.ratakan(rka.total))
    svc.ajukan(None, rka)
    svc.setujui(None, rka)
    assert not DpaBaris.objects.filter(sub_kegiatan=chain.sub, kode_rekening="5.2.02.10.02.0004").exists()
    rka2 = tahap.rka.get(sub_kegiatan=chain.sub2)
    svc.tambah_rincian(None, rka2, line())
    rka2.refresh_from_db()
    svc.simpan_kas(None, rka2, svc.ratakan(rka2.total))
    svc.ajukan(None, rka2)
    svc.setujui(None, rka2)
    new = DpaBaris.objects.get(sub_kegiatan=chain.sub2, kode_rekening="5.1.02.01.01.0024")
    assert new.pagu == new.pagu_murni == Decimal("150000") and new.unit == chain.sub2.unit


def _paket(chain, dpa, nilai):
    from terpadu.kontrak.models import Paket, PaketDpa

    paket = Paket.objects.create(
        tahun=chain.tahun, unit=dpa.unit, nama="Pengadaan switch", metode="e_purchasing", jenis="barang", pagu=nilai
    )
    return PaketDpa.objects.create(paket=paket, dpa_baris=dpa, nilai=nilai)


def _realisasi(chain, dpa, nilai):
    from terpadu.realisasi.models import Realisasi, Sp2d

    sp2d = Sp2d.objects.create(
        tahun=chain.tahun,
        unit=dpa.unit,
        nomor="SP2D/1",
        tanggal=dt.date(2026, 3, 1),
        jenis="LS",
        uraian="uji",
        nilai=nilai,
    )
    return Realisasi.objects.create(
        sp2d=sp2d, dpa_baris=dpa, sub_kegiatan=dpa.sub_kegiatan, unit=dpa.unit, tahun=chain.tahun, bulan=3, nilai=nilai
    )


@pytest.mark.parametrize("kind", ["committed", "realised"])
def test_a_line_below_what_is_realised_or_committed_is_refused(drafting, kind):
    chain, tahap, rka = drafting
    dpa = chain.dpa["5.2.02.10.02.0004"]  # 50,000,000
    (_paket if kind == "committed" else _realisasi)(chain, dpa, Decimal("37500000"))
    switch = rka.rincian.get(rekening__kode="5.2.02.10.02.0004")
    svc.ubah_rincian(None, switch, {"volume": "2"})  # 25,000,000
    rka.refresh_from_db()
    svc.simpan_kas(None, rka, svc.ratakan(rka.total))
    svc.ajukan(None, rka)
    with pytest.raises(ValidationError) as excinfo:
        svc.setujui(None, rka)
    message = excinfo.value.messages[0]
    assert dpa.kode in message and "25,000,000" in message and "37,500,000" in message
    dpa.refresh_from_db()
    rka.refresh_from_db()
    assert dpa.pagu == Decimal("50000000") and rka.status == "diajukan"


def test_a_removed_line_with_a_package_of_zero_keeps_its_row_at_zero(drafting):
    chain, tahap, rka = drafting
    dpa = chain.dpa["5.2.02.10.02.0004"]
    _paket(chain, dpa, Decimal("0"))
    svc.hapus_rincian(None, rka.rincian.get(rekening__kode="5.2.02.10.02.0004"))
    rka.refresh_from_db()
    svc.simpan_kas(None, rka, svc.ratakan(rka.total))
    svc.ajukan(None, rka)
    svc.setujui(None, rka)
    dpa.refresh_from_db()
    assert dpa.pagu == 0 and dpa.pagu_murni == Decimal("50000000")


def test_approval_checks_registry(drafting):
    chain, tahap, rka = drafting

    def pasal_39(checked):
        return [f"Pasal 39: {checked.sub_kegiatan.sub_kegiatan.kode} has no indicator target"]

    svc.register_approval_check(pasal_39)
    try:
        svc.ajukan(None, rka)
        with pytest.raises(ValidationError) as excinfo:
            svc.setujui(None, rka)
        assert any(f"Pasal 39: {chain.sub.sub_kegiatan.kode}" in m for m in excinfo.value.messages)
    finally:
        svc.unregister_approval_check(pasal_39)
    svc.setujui(None, rka)
    assert Rka.objects.get(pk=rka.pk).status == "disetujui"


# -- cash plans --------------------------------------------------------------------------------------------


def test_cash_plan_must_sum_to_the_total(drafting):
    chain, tahap, rka = drafting
    months = svc.ratakan(rka.total)
    assert sum(months) == rka.total and len(months) == 12
    months[0] += 1000
    with pytest.raises(ValidationError) as excinfo:
        svc.simpan_kas(None, rka, months)
    assert "difference Rp 1,000" in excinfo.value.messages[0]
    with pytest.raises(ValidationError):
        svc.simpan_kas(None, rka, months[:11])
    assert sum(svc.ratakan(Decimal("7"))) == 7 and min(svc.ratakan(Decimal("7"))) >= 0


def test_kas_kumulatif_reads_the_latest_adopted_round(drafting):
    chain, tahap, rka = drafting
    monthly = chain.rka.anggaran_kas.get(bulan=1).nilai
    assert svc.kas_kumulatif(chain.sub, 3) == monthly * 3
    assert svc.kas_kumulatif(chain.sub, 12) == chain.rka.total
    svc.simpan_kas(None, rka, [rka.total] + [0] * 11)
    assert svc.kas_kumulatif(chain.sub, 1) == monthly  # the drafting round does not count yet
    _approve_all(tahap)
    svc.tetapkan_tahap(None, tahap)
    assert svc.kas_kumulatif(chain.sub, 1) == rka.total


# -- comparison --------------------------------------------------------------------------------------------


def test_two_rounds_compare_line_by_line(drafting):
    chain, tahap, rka = drafting
    switch = rka.rincian.get(rekening__kode="5.2.02.10.02.0004")
    svc.ubah_rincian(None, switch, {"volume": "3", "harga_satuan": "12000000"})
    svc.hapus_rincian(None, rka.rincian.get(rekening__kode="5.1.02.04.01.0001"))
    added = svc.tambah_rincian(None, rka, line())
    result = svc.bandingkan(chain.tahap, tahap)
    by_status = {r.status: r for r in result.baris}
    assert len(result.baris) == 3
    assert by_status["changed"].volume == (Decimal("4"), Decimal("3"))
    assert by_status["changed"].jumlah == (Decimal("50000000"), Decimal("36000000"))
    assert by_status["removed"].jumlah == (Decimal("15000000"), None)
    assert by_status["added"].kunci == str(added.kunci) and by_status["added"].selisih == Decimal("150000")
    sub = next(s for s in result.per_sub if s["sub_kegiatan"] == chain.sub.sub_kegiatan.kode)
    assert sub["selisih"] == Decimal("-14000000") - Decimal("15000000") + Decimal("150000")
    assert result.total[1] - result.total[0] == sub["selisih"]
    scoped = svc.bandingkan(chain.tahap, tahap, rka_scope=Rka.objects.filter(unit=chain.sub_b.unit))
    assert scoped.baris == [] and [o["unit"] for o in scoped.per_opd] == ["Dinas Beta"]


def test_changes_are_audited(drafting):
    chain, tahap, rka = drafting
    made = svc.tambah_rincian(None, rka, line())
    event = AuditEvent.objects.get(object_id=str(made.pk), action="create", object_type__icontains="rincian")
    assert event.changes["jumlah"][1] in ("150000.00", "150000")
    assert AuditEvent.objects.filter(object_id=str(tahap.pk), action="open").exists()
    assert Pagu.objects.filter(tahap=tahap).count() == 2
