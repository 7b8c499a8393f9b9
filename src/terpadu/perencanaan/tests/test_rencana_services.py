"""The planning services: adoption locks, code nesting and levels, retired codes, targets inside the period,
the Renja drawn from the Renstra across editions, the consistency report, the pohon kinerja and the audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from terpadu.core.models import AuditEvent
from terpadu.perencanaan import rencana
from terpadu.perencanaan import services_rencana as services
from terpadu.perencanaan.models import Indikator, Misi, RenjaSubKegiatan, RenstraItem, TargetIndikator
from terpadu.perencanaan.tests.rencana_fixtures import adopt_all, english_plan


@pytest.fixture
def plan(city):
    return english_plan(city)


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


# -- RPJMD ----------------------------------------------------------------------------------------------------


def test_a_target_outside_the_rpjmd_period_is_refused_and_nothing_is_written(plan):
    before = TargetIndikator.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.set_targets(plan.indikator, {2027: "3.5", 2031: "4"})
    assert "2031" in _messages(exc) and "2025–2029" in _messages(exc)
    assert TargetIndikator.objects.count() == before  # 2027 was not kept either


def test_targets_are_set_changed_and_removed_per_year(plan):
    services.set_targets(plan.indikator, {2025: None, 2026: "3.1", 2029: "4"})
    assert dict(plan.indikator.target.values_list("tahun", "target")) == {2026: Decimal("3.1"), 2029: Decimal("4")}


def test_an_rpjmd_cannot_be_adopted_while_a_sasaran_has_no_indicator(plan):
    bare = services.create_sasaran(plan.tujuan, {"kode": "S1.2", "uraian": "Tanpa indikator"})
    with pytest.raises(ValidationError) as exc:
        services.adopt_rpjmd(plan.rpjmd)
    assert bare.kode in _messages(exc)
    plan.rpjmd.refresh_from_db()
    assert plan.rpjmd.status == "draft"


def test_adoption_locks_the_rpjmd_and_every_element_below_it(plan):
    services.adopt_rpjmd(plan.rpjmd)
    attempts = [
        lambda: services.create_misi(plan.rpjmd, {"nomor": 2, "uraian": "Baru"}),
        lambda: services.update_element(plan.sasaran, {"kode": "S9", "uraian": "Diubah"}),
        lambda: services.set_targets(plan.indikator, {2027: "3.3"}),
        lambda: services.add_indikator(plan.tujuan, {"uraian": "X", "satuan": "%"}),
        lambda: services.delete_element(plan.misi),
        lambda: services.add_program_prioritas(plan.sasaran, {"kode": "2.16.03"}),
        lambda: services.update_rpjmd(plan.rpjmd, {"nama": "Lain"}),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert "adopted" in _messages(exc) and "reopened" in _messages(exc)
    assert Misi.objects.filter(rpjmd=plan.rpjmd).count() == 1
    plan.sasaran.refresh_from_db()
    assert plan.sasaran.kode == "S1.1"


def test_reopening_needs_a_reason_which_the_audit_keeps_and_then_edits_work_again(plan):
    services.adopt_rpjmd(plan.rpjmd)
    with pytest.raises(ValidationError):
        services.reopen(plan.rpjmd, "  ")
    services.reopen(plan.rpjmd, "Penyesuaian hasil evaluasi paruh waktu")
    event = AuditEvent.objects.filter(object_type="perencanaan.rpjmd", action="reopen").get()
    assert event.changes["alasan"][1] == "Penyesuaian hasil evaluasi paruh waktu"
    assert event.changes["status"] == ["ditetapkan", "draft"]
    services.create_misi(plan.rpjmd, {"nomor": 2, "uraian": "Misi tambahan"})
    assert AuditEvent.objects.filter(object_type="perencanaan.rpjmd", action="adopt").count() == 1


def test_priority_programs_take_a_program_code_of_the_first_years_edition(plan):
    with pytest.raises(ValidationError) as exc:
        services.add_program_prioritas(plan.sasaran, {"kode": "2.16.03.2.02"})
    assert "Kegiatan" in _messages(exc) and "Program" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.add_program_prioritas(plan.sasaran, {"kode": "9.99.99"})
    assert "9.99.99" in _messages(exc)
    pp = services.add_program_prioritas(plan.sasaran, {"kode": "2.16.02", "pagu_indikatif": "5000000000"})
    assert pp.program.versi.tahun == 2025 and pp.pagu_indikatif == Decimal("5000000000.00")


def test_a_sasaran_used_by_a_renstra_cannot_be_removed(plan):
    with pytest.raises(ValidationError) as exc:
        services.delete_element(plan.sasaran)
    assert "still used" in _messages(exc)
    assert plan.sasaran.__class__.objects.filter(pk=plan.sasaran.pk).exists()
    assert not AuditEvent.objects.filter(action="delete", object_type="perencanaan.sasaran").exists()


# -- Renstra --------------------------------------------------------------------------------------------------


def test_renstra_codes_must_nest_under_their_parent(plan):
    with pytest.raises(ValidationError) as exc:
        services.add_item(plan.renstra, {"kode": "2.16.02.2.01", "parent": plan.program})
    assert "2.16.02.2.01" in _messages(exc) and "2.16.03." in _messages(exc)


def test_renstra_levels_are_program_then_kegiatan_then_sub_kegiatan(plan):
    with pytest.raises(ValidationError) as exc:
        services.add_item(plan.renstra, {"kode": "2.16.02.2.01.0014", "sasaran_pd": plan.sasaran_pd})
    assert "Sub kegiatan" in _messages(exc) and "Program" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.add_item(plan.renstra, {"kode": "2.16.03.2.02.0023", "parent": plan.items["2.16.03.2.02.0021"]})
    assert "below a sub kegiatan" in _messages(exc)


def test_a_retired_or_unknown_code_cannot_be_planned(plan):
    for kode in ("2.16.03.2.02.0099", "2.16.03.2.02.0777"):
        with pytest.raises(ValidationError) as exc:
            services.add_item(plan.renstra, {"kode": kode, "parent": plan.kegiatan})
        assert kode in _messages(exc) and "retired" in _messages(exc)
    assert not RenstraItem.objects.filter(nomenklatur__kode="2.16.03.2.02.0099").exists()


def test_pagu_and_targets_of_a_renstra_item_stay_inside_the_period(plan):
    item = plan.items["2.16.03.2.02.0023"]
    with pytest.raises(ValidationError) as exc:
        services.set_pagu(item, {2024: "1000"})
    assert "2024" in _messages(exc)
    with pytest.raises(ValidationError):
        services.set_pagu(item, {2026: "-5"})
    assert item.pagu.get(tahun=2026).nilai == Decimal("240000000")


def test_a_sasaran_pd_must_serve_a_sasaran_of_its_own_rpjmd(plan):
    with pytest.raises(ValidationError) as exc:
        services.create_sasaran_pd(plan.tujuan_pd, {"kode": "SPD2", "uraian": "Tanpa induk"})
    assert "sasaran_rpjmd" in exc.value.message_dict
    other = services.create_rpjmd({"nama": "Lain", "tahun_awal": 2030, "tahun_akhir": 2034, "visi": "v"})
    misi = services.create_misi(other, {"nomor": 1, "uraian": "m"})
    tujuan = services.create_tujuan(misi, {"kode": "T", "uraian": "t"})
    foreign = services.create_sasaran(tujuan, {"kode": "S", "uraian": "s"})
    with pytest.raises(ValidationError) as exc:
        services.create_sasaran_pd(plan.tujuan_pd, {"kode": "SPD2", "uraian": "x", "sasaran_rpjmd": foreign})
    assert "another RPJMD" in _messages(exc)


def test_a_renstra_needs_an_adopted_rpjmd_and_is_then_locked(plan):
    with pytest.raises(ValidationError) as exc:
        services.adopt_renstra(plan.renstra)
    assert "RPJMD" in _messages(exc)
    adopt_all(plan)
    with pytest.raises(ValidationError) as exc:
        services.add_item(plan.renstra, {"kode": "2.16.02", "sasaran_pd": plan.sasaran_pd})
    assert "adopted" in _messages(exc)


# -- Renja ----------------------------------------------------------------------------------------------------


def test_a_renja_is_drawn_only_from_an_adopted_renstra(plan, city):
    with pytest.raises(ValidationError) as exc:
        services.draw_renja(city.dinas_a, 2026)
    assert "not adopted" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.draw_renja(city.dinas_b, 2026)
    assert "no Renstra" in _messages(exc)


def test_the_renja_carries_codes_to_the_years_edition_and_lists_what_does_not_map(plan, city):
    adopt_all(plan)
    result = services.draw_renja(city.dinas_a, 2026)
    drawn = {s.renstra_item.nomenklatur.kode: s for s in result.created}
    assert set(drawn) == {"2.16.03.2.02.0021", "2.16.03.2.02.0023"}
    renumbered = drawn["2.16.03.2.02.0021"]
    assert renumbered.sub_kegiatan.kode == "2.16.03.2.02.0025" and renumbered.sub_kegiatan.versi.tahun == 2026
    assert (renumbered.kode_program, renumbered.kode_kegiatan) == ("2.16.03", "2.16.03.2.02")
    assert renumbered.pagu_indikatif == Decimal("120000000") and renumbered.prakiraan_maju == Decimal("130000000")
    assert [item.nomenklatur.kode for item, _reason in result.unmapped] == ["2.16.03.2.02.0030"]
    assert "2026" in str(result.unmapped[0][1])
    # the indicators come along with the year's target only, and stay editable while the Renja is a draft
    ind = renumbered.indikator.get()
    assert ind.uraian == "Keluaran 2.16.03.2.02.0021"
    assert dict(ind.target.values_list("tahun", "target")) == {2026: Decimal("2")}
    services.set_targets(ind, {2026: "5"})
    with pytest.raises(ValidationError):
        services.set_targets(ind, {2027: "5"})
    # drawing again adds nothing twice and still lists the unmapped item
    again = services.draw_renja(city.dinas_a, 2026)
    assert again.created == [] and len(again.existing) == 2 and len(again.unmapped) == 1
    event = AuditEvent.objects.filter(object_type="perencanaan.renja", action="draw").first()
    assert event.changes["tidak_terpetakan"][1] == ["2.16.03.2.02.0030"]


def test_sub_kegiatan_outside_the_renstra_need_a_reason_in_the_audit(plan, city):
    adopt_all(plan)
    renja = services.draw_renja(city.dinas_a, 2026).renja
    with pytest.raises(ValidationError) as exc:
        services.add_sub_kegiatan(renja, {"kode": "2.16.02.2.01.0014", "alasan": ""})
    assert "alasan" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a code of the wrong edition / retired in 2026
        services.add_sub_kegiatan(renja, {"kode": "2.16.03.2.02.0030", "alasan": "x"})
    assert "retired" in _messages(exc)
    sub = services.add_sub_kegiatan(
        renja, {"kode": "2.16.02.2.01.0014", "alasan": "Arahan Wali Kota", "pagu_indikatif": "75000000"}
    )
    assert sub.renstra_item is None and sub.kode_program == "2.16.02" and sub.pagu_indikatif == Decimal("75000000")
    create = AuditEvent.objects.filter(object_type="perencanaan.renjasubkegiatan", object_id=str(sub.pk)).get()
    assert create.changes["alasan"][1] == "Arahan Wali Kota"
    with pytest.raises(ValidationError):
        services.remove_sub_kegiatan(sub, "")
    services.remove_sub_kegiatan(sub, "Dibatalkan")
    assert not RenjaSubKegiatan.objects.filter(pk=sub.pk).exists()
    removed = AuditEvent.objects.filter(action="delete", object_type="perencanaan.renjasubkegiatan").get()
    assert removed.changes["alasan"][1] == "Dibatalkan"


def test_a_sub_kegiatan_with_a_budget_cannot_be_removed(chain):
    services.reopen(chain.renja, "Perbaikan")
    with pytest.raises(ValidationError) as exc:
        services.remove_sub_kegiatan(chain.sub, "Tidak jadi")
    assert "still used" in _messages(exc)
    assert RenjaSubKegiatan.objects.filter(pk=chain.sub.pk).exists()


def test_an_adopted_renja_is_locked(chain):
    with pytest.raises(ValidationError) as exc:
        services.update_sub_kegiatan(chain.sub, {"pagu_indikatif": "1"})
    assert "adopted" in _messages(exc)
    chain.sub.refresh_from_db()
    assert chain.sub.pagu_indikatif == Decimal("200000000")


# -- consistency report -------------------------------------------------------------------------------------------


def test_the_consistency_report_finds_pagu_gaps_missing_indicators_targets_and_undrawn_items(plan, city):
    adopt_all(plan)
    renja = services.draw_renja(city.dinas_a, 2026).renja
    sub = renja.sub_kegiatan.get(sub_kegiatan__kode="2.16.03.2.02.0023")
    services.update_sub_kegiatan(sub, {"pagu_indikatif": "250000000"})  # Renstra says 240,000,000
    other = renja.sub_kegiatan.get(sub_kegiatan__kode="2.16.03.2.02.0025")
    TargetIndikator.objects.filter(indikator__renja_sub_kegiatan=other).delete()
    extra = services.add_sub_kegiatan(renja, {"kode": "2.16.02.2.01.0014", "alasan": "Arahan"})
    report = rencana.konsistensi(2026)
    assert [(r["sub"].pk, r["selisih"]) for r in report["pagu"]] == [(sub.pk, Decimal("10000000"))]
    opd = report["per_opd"][0]
    assert opd["unit"] == city.dinas_a
    assert opd["renstra"] == Decimal("720000000")  # 120 + 240 + 360 million (the unmapped item counts too)
    assert opd["renja"] == Decimal("120000000") + Decimal("250000000")
    assert report["tanpa_indikator"] == [extra]
    assert report["tanpa_target"] == [other]
    assert [i.nomenklatur.kode for i in report["tanpa_renja"]] == ["2.16.03.2.02.0030"]
    assert report["jumlah_masalah"] == 4


# -- pohon kinerja ----------------------------------------------------------------------------------------------


def test_the_pohon_kinerja_goes_down_from_a_city_sasaran_with_renja_and_dpa_pagu(chain):
    tree = rencana.pohon_turun(chain.sasaran, chain.tahun)
    [spd] = tree["children"]
    assert spd["type"] == "sasaran_pd" and spd["id"] == chain.sasaran_pd.pk
    [program] = spd["children"]
    [kegiatan] = program["children"]
    assert (program["kode"], kegiatan["kode"]) == ("2.16.03", "2.16.03.2.02")
    assert program["nama"].startswith("PROGRAM PENGELOLAAN")
    subs = {s["id"]: s for s in kegiatan["children"]}
    assert set(subs) == {chain.sub.pk, chain.sub2.pk}
    assert subs[chain.sub.pk]["dpa"] == sum(d.pagu for d in chain.dpa.values())
    dpa_total = sum(d.pagu for d in [*chain.dpa.values(), *chain.dpa2.values()])
    assert tree["dpa"] == spd["dpa"] == program["dpa"] == dpa_total
    assert tree["pagu"] == chain.sub.pagu_indikatif + chain.sub2.pagu_indikatif
    assert subs[chain.sub.pk]["indikator"][0]["target"] == Decimal("10")
    assert tree["indikator"][0]["target"] == Decimal("3.2")


def test_the_pohon_kinerja_goes_up_from_a_sub_kegiatan_to_the_misi(chain):
    chain_up = rencana.pohon_naik(chain.sub)
    types = [n["type"] for n in chain_up]
    assert types == ["sub_kegiatan", "kegiatan", "program", "renstra_item", "sasaran_pd", "tujuan_pd", "sasaran",
                     "tujuan", "misi", "rpjmd"]  # fmt: skip
    by_type = {n["type"]: n for n in chain_up}
    assert by_type["sasaran"]["kode"] == chain.sasaran.kode
    assert by_type["misi"]["nama"] == chain.sasaran.tujuan.misi.uraian
    # outside the Renstra the chain stops at the program
    assert [n["type"] for n in rencana.pohon_naik(chain.sub_b)] == ["sub_kegiatan", "kegiatan", "program"]


def test_every_change_is_in_the_audit_trail(plan):
    adopt_all(plan)
    for object_type, action in (
        ("perencanaan.rpjmd", "create"),
        ("perencanaan.rpjmd", "adopt"),
        ("perencanaan.sasaran", "create"),
        ("perencanaan.indikator", "create"),
        ("perencanaan.targetindikator", "create"),
        ("perencanaan.renstraitem", "create"),
        ("perencanaan.paguindikatif", "create"),
        ("perencanaan.renstra", "adopt"),
    ):
        assert AuditEvent.objects.filter(object_type=object_type, action=action).exists(), (object_type, action)
    assert Indikator.objects.filter(renstra_item__isnull=False).count() == 3
