"""ICT spending services: DPA lines registered (never retyped), uniqueness, entered lines, links and flags, SQL
aggregates against hand sums, suggestions from the data files, import, evidence, scope, audit, no partial writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.spbe import services_belanja as svc
from terpadu.spbe.models import BelanjaTik
from terpadu.spbe.tests.belanja_usulan_helpers import architecture, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def who(city):
    return personas(city)


@pytest.fixture
def arch(city):
    return architecture(city)


def _register(user, *dpa, **kw):
    with acting(user):
        return svc.daftarkan_dpa(user, list(dpa), **kw)


def test_dpa_line_amount_follows_the_dpa_and_is_never_typed(chain, who, arch):
    switch = chain.dpa["5.2.02.10.02.0004"]
    (line,) = _register(who.kominfo, switch, kategori="perangkat_keras", links={"elemen": arch.infra})
    assert line.nilai is None and line.sumber == "dpa" and line.jumlah == switch.pagu == Decimal("50000000")
    assert "Switch jaringan" in line.uraian
    # the budget changes (a new round): the spending line follows without anybody retyping it
    type(switch).objects.filter(pk=switch.pk).update(pagu=Decimal("37500000"))
    line.refresh_from_db()
    assert line.jumlah == Decimal("37500000")
    assert svc.ringkasan(BelanjaTik.objects.all())["total"] == Decimal("37500000")
    with acting(who.kominfo), pytest.raises(ValidationError, match="comes from the DPA"):
        svc.ubah(who.kominfo, line, {"nilai": Decimal("1")})
    line.refresh_from_db()
    assert line.nilai is None


def test_a_dpa_line_is_registered_once_and_a_failed_batch_writes_nothing(chain, who):
    switch, atk = chain.dpa["5.2.02.10.02.0004"], chain.dpa["5.1.02.01.01.0024"]
    _register(who.kominfo, switch)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=r"Already registered.*5\.2\.02\.10\.02\.0004"):
        _register(who.kominfo, atk, switch)
    assert BelanjaTik.objects.count() == 1 and not BelanjaTik.objects.filter(dpa_baris=atk).exists()
    assert AuditEvent.objects.count() == before


def test_opd_registers_only_its_own_dpa_lines(chain, who):
    own, other = chain.dpa["5.2.02.10.02.0004"], chain.dpa_b["5.1.02.01.01.0024"]
    with pytest.raises(PermissionDenied):
        _register(who.opd_a, own, other)
    assert not BelanjaTik.objects.exists()  # all or nothing
    (line,) = _register(who.opd_a, own)
    assert line.unit == chain.sub.unit
    with pytest.raises(PermissionDenied):
        _register(who.opd_b, chain.dpa["5.1.02.01.01.0052"])
    with pytest.raises(PermissionDenied):
        _register(who.viewer, chain.dpa["5.1.02.01.01.0052"])  # spbe.view only


def test_suggestions_come_from_the_data_files_and_skip_registered_lines(chain, who):
    assert any(p.prefix == "5.2.02.10" for p in svc.rekening_tik())
    assert any(p.prefix == "2.16" for p in svc.sub_kegiatan_tik())
    saran = list(svc.saran_dpa(who.kominfo, chain.tahun))
    every = [*chain.dpa.values(), *chain.dpa2.values(), *chain.dpa_b.values()]
    assert {d.pk for d in saran} == {d.pk for d in every}  # every chain sub kegiatan is 2.16.*
    _register(who.kominfo, chain.dpa["5.2.02.10.02.0004"])
    assert chain.dpa["5.2.02.10.02.0004"].pk not in {d.pk for d in svc.saran_dpa(who.kominfo, chain.tahun)}
    own = {d.unit_id for d in svc.saran_dpa(who.opd_a, chain.tahun)}
    assert own == {chain.sub.unit_id}
    assert "5.2.02.10" in svc.alasan_saran("5.2.02.10.02.0004", "9.99")
    assert svc.tebak_kategori("5.2.02.10.02.0004") == "perangkat_keras"


def test_entered_lines_need_a_valid_amount(city, who):
    base = {"tahun": 2024, "unit": city.dinas_a, "uraian": "Lisensi antivirus", "kategori": "perangkat_lunak"}
    for bad, message in (
        (None, "required"),
        ("abc", "not a number"),
        ("-5", "more than zero"),
        ("1.234", "two decimals"),
    ):
        with acting(who.opd_a), pytest.raises(ValidationError, match=message):
            svc.buat(who.opd_a, {**base, "nilai": bad})
    with acting(who.opd_a), pytest.raises(PermissionDenied):
        svc.buat(who.opd_a, {**base, "unit": city.dinas_b, "nilai": "100"})
    assert not BelanjaTik.objects.exists()
    with acting(who.opd_a):
        line = svc.buat(who.opd_a, {**base, "nilai": "12500000.50"})
    assert line.jumlah == Decimal("12500000.50") and line.sumber == "manual"
    event = AuditEvent.objects.filter(object_type="spbe.belanjatik", object_id=str(line.pk)).get()
    assert event.action == "create" and event.actor_username == who.opd_a.username


def test_unlinked_and_retired_links_are_flagged(city, who, arch):
    with acting(who.kominfo):
        mk = lambda **kw: svc.buat(who.kominfo, {"tahun": 2026, "unit": city.dinas_a, "uraian": "x",  # noqa: E731
                                                 "kategori": "jasa", "nilai": "10", **kw})  # fmt: skip
        full = mk(elemen=arch.app_el, peta_rencana=arch.rencana)
        no_plan = mk(elemen=arch.app_el)
        nothing = mk()
        retired_later = mk(elemen=arch.infra, peta_rencana=arch.rencana_infra)
    type(arch.infra).objects.filter(pk=arch.infra.pk).update(status="dihentikan")
    retired_later.refresh_from_db()
    assert svc.flags(full) == []
    assert svc.flags(no_plan) == ["tanpa_rencana"]
    assert svc.flags(nothing) == ["tanpa_elemen", "tanpa_rencana"]
    assert svc.flags(retired_later) == ["elemen_dihentikan"]
    listed = set(svc.unlinked(2026, who.kominfo).values_list("pk", flat=True))
    assert listed == {no_plan.pk, nothing.pk, retired_later.pk}
    assert set(svc.unlinked(2026, who.opd_b)) == set()  # another OPD sees none of Dinas Alfa's lines
    # a new link to a retired element or a roadmap item of other years is refused, naming it
    with acting(who.kominfo), pytest.raises(ValidationError, match="Server lama"):
        svc.ubah(who.kominfo, nothing, {"elemen": arch.retired})
    with acting(who.kominfo), pytest.raises(ValidationError, match="does not cover 2026"):
        svc.ubah(who.kominfo, nothing, {"peta_rencana": type(arch.rencana).objects.create(
            muatan="aplikasi", nama="Lama", tahun=2020, unit=city.dinas_a, target_keluaran="-")})  # fmt: skip
    nothing.refresh_from_db()
    assert nothing.elemen_id is None and nothing.peta_rencana_id is None


def test_aggregates_equal_hand_sums(chain, who, arch):
    city_a, city_b = chain.sub.unit, chain.sub_b.unit
    _register(who.kominfo, chain.dpa["5.2.02.10.02.0004"], links={"elemen": arch.infra, "aplikasi": arch.aplikasi})
    _register(who.kominfo, chain.dpa_b["5.1.02.01.01.0024"])
    with acting(who.kominfo):
        svc.buat(who.kominfo, {"tahun": 2025, "unit": city_a, "uraian": "Hosting", "kategori": "jasa",
                               "nilai": "1000000.25", "elemen": arch.app_el, "aplikasi": arch.aplikasi})  # fmt: skip
        svc.buat(who.kominfo, {"tahun": 2025, "unit": city_b, "uraian": "Internet", "kategori": "konektivitas",
                               "nilai": "750000"})  # fmt: skip
    lines = list(BelanjaTik.objects.select_related("dpa_baris", "elemen"))
    hand: dict = {}
    for b in lines:
        for key, value in (
            ("domain", b.elemen.domain if b.elemen_id else None),
            ("unit", b.unit_id),
            ("aplikasi", b.aplikasi_id),
            ("tahun", b.tahun),
        ):
            hand.setdefault(key, {}).setdefault(value, Decimal(0))
            hand[key][value] += b.jumlah
    field = {"domain": "elemen__domain", "unit": "unit_id", "aplikasi": "aplikasi_id", "tahun": "tahun"}
    for by in ("domain", "unit", "aplikasi", "tahun"):
        got = {r[field[by]]: r["total"] for r in svc.rekap(BelanjaTik.objects.all(), by)}
        assert got == hand[by], by
    summary = svc.ringkasan(BelanjaTik.objects.all())
    assert summary["total"] == sum(b.jumlah for b in lines) and summary["n"] == 4
    assert summary["n_linear"] == 0  # none is linked to a Peta Rencana item


def test_import_is_all_or_nothing_with_a_dry_run(city, who, arch):
    from terpadu.spbe import importing_belanja

    good = (
        "tahun,kode_unit,uraian,kategori,nilai,domain,kode_elemen,peta_rencana,aplikasi\n"
        f"2025,{city.dinas_a.kode},Sewa cloud,jasa,2500000,aplikasi,AP.01,{arch.rencana.pk},SIPR\n"
        f"2024,{city.dinas_a.kode},Laptop,perangkat_keras,15000000,,,,\n"
    ).encode()
    bad = good + f"2024,{city.dinas_b.kode},Modem,konektivitas,abc,,,,\n".encode()
    with acting(who.opd_a):
        report = importing_belanja.run(who.opd_a, "b.csv", bad, dry_run=False)
    assert not report.ok and not BelanjaTik.objects.exists()
    messages = {(e.row, e.column) for e in report.errors}
    assert (4, "kode_unit") in messages  # Dinas Beta is outside the operator's scope
    with acting(who.opd_a):
        assert importing_belanja.run(who.opd_a, "g.csv", good, dry_run=True).ok
    assert not BelanjaTik.objects.exists()
    with acting(who.opd_a):
        report = importing_belanja.run(who.opd_a, "g.csv", good, dry_run=False)
    assert report.ok and report.created == 2
    cloud = BelanjaTik.objects.get(uraian="Sewa cloud")
    assert cloud.sumber == "impor" and cloud.elemen == arch.app_el and cloud.aplikasi == arch.aplikasi
    assert svc.flags(cloud) == []


def test_evidence_for_indicator_13(city, who, arch):
    from types import SimpleNamespace

    assert svc.bukti_keterpaduan(SimpleNamespace(tahun=2026), None) == []
    with acting(who.kominfo):
        svc.buat(who.kominfo, {"tahun": 2026, "unit": city.dinas_a, "uraian": "a", "kategori": "jasa",
                               "nilai": "300", "elemen": arch.app_el, "peta_rencana": arch.rencana})  # fmt: skip
        svc.buat(who.kominfo, {"tahun": 2026, "unit": city.dinas_a, "uraian": "b", "kategori": "jasa",
                               "nilai": "100"})  # fmt: skip
    (proposal,) = svc.bukti_keterpaduan(SimpleNamespace(tahun=2026), None)
    assert "75.00%" in proposal.keterangan and "1 of 2" in proposal.keterangan
    from terpadu.spbe import services_evaluasi

    assert "spbe.belanja_tik" in services_evaluasi.PROVIDERS
