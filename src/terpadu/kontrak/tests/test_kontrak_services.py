"""The kontrak services: NPWP shapes, DPA funding of packages, contracts within the pagu, termin, jaminan, status,
adendum history, flags; no partial writes; the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from terpadu.core.models import AuditEvent
from terpadu.kontrak import pantauan, services
from terpadu.kontrak.models import Adendum, Kontrak, Paket, PaketDpa, Penyedia, Termin
from terpadu.kontrak.tests.conftest import ATK, MAMIN, SWITCH, kontrak_data, pay, progress


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


# -- NPWP --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("01.234.567.8-901.000", "012345678901000"),
        ("012345678901000", "012345678901000"),
        ("3201234567890001", "3201234567890001"),  # NIK-based (individual)
        ("0012345678901000", "0012345678901000"),  # 0 + old NPWP (non-individual)
        (" 01.234.567.8-901.000 ", "012345678901000"),
    ],
)
def test_npwp_accepted_shapes_are_normalised_to_digits(raw, digits):
    assert services.normalise_npwp(raw) == digits


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("01.234.567.8-901.00", "this one has 14"),
        ("32012345678900011", "this one has 17"),
        ("01.234.567.8-901.00A", "only digits"),
        ("0123.45678-901.000", "99.999.999.9-999.999"),
        ("3201.2345.6789.0001", "plain digits"),
        ("00.000.000.0-000.000", "only zeros"),
        ("", "required"),
    ],
)
def test_npwp_wrong_shapes_are_refused_with_a_reason(raw, reason):
    with pytest.raises(ValidationError) as exc:
        services.normalise_npwp(raw)
    assert reason in messages_of(exc)


def test_format_npwp_round_trips_the_old_format():
    assert services.format_npwp("012345678901000") == "01.234.567.8-901.000"
    assert services.format_npwp("3201234567890001") == "3201234567890001"


def test_penyedia_npwp_is_unique_and_edits_are_audited(db, penyedia):
    assert penyedia.npwp == "012345678901000"
    with pytest.raises(ValidationError) as exc:
        services.create_penyedia({"nama": "PT Lain", "npwp": "012345678901000"})
    assert "CV Maju Jaya" in messages_of(exc)
    assert Penyedia.objects.count() == 1
    services.update_penyedia(penyedia, {"alamat": "Jl. Merdeka 1"})
    actions = list(AuditEvent.objects.filter(object_type="kontrak.penyedia").values_list("action", flat=True))
    assert actions == ["create", "update"]


# -- paket and DPA funding ----------------------------------------------------------------------------


def test_tersedia_is_pagu_minus_other_packages(chain, paket):
    line = chain.dpa[SWITCH]
    assert services.tersedia(line) == line.pagu - Decimal("40000000")
    assert services.tersedia(line, exclude_paket=paket) == line.pagu


def test_a_link_over_what_the_line_has_left_is_refused_naming_line_and_figures(chain, paket):
    line = chain.dpa[SWITCH]
    left = services.tersedia(line)
    with pytest.raises(ValidationError) as exc:
        services.create_paket(
            chain.sub.unit, 2026, {"nama": "Switch tambahan", "metode": "e_purchasing", "jenis": "barang"},
            [(line, left + Decimal("1"))],
        )  # fmt: skip
    text = messages_of(exc)
    assert line.kode in text and services.rupiah(left) in text and services.rupiah(left + 1) in text
    assert Paket.objects.count() == 1
    # exactly what is left is fine
    services.create_paket(
        chain.sub.unit, 2026, {"nama": "Switch tambahan", "metode": "e_purchasing", "jenis": "barang"}, [(line, left)]
    )
    assert services.tersedia(line) == 0


def test_paket_pagu_must_equal_the_sum_of_its_links(chain):
    with pytest.raises(ValidationError) as exc:
        services.create_paket(
            chain.sub.unit, 2026,
            {"nama": "Rapat", "metode": "pengadaan_langsung", "jenis": "barang", "pagu": Decimal("20000000")},
            [(chain.dpa[MAMIN], Decimal("10000000")), (chain.dpa[ATK], Decimal("5000000"))],
        )  # fmt: skip
    assert services.rupiah(Decimal("20000000")) in messages_of(exc)
    assert services.rupiah(Decimal("15000000")) in messages_of(exc)
    assert not Paket.objects.exists() and not PaketDpa.objects.exists()
    paket = services.create_paket(
        chain.sub.unit, 2026,
        {"nama": "Rapat", "metode": "pengadaan_langsung", "jenis": "barang", "pagu": Decimal("15000000")},
        [(chain.dpa[MAMIN], Decimal("10000000")), (chain.dpa[ATK], Decimal("5000000"))],
    )  # fmt: skip
    assert paket.alokasi.count() == 2


def test_links_only_to_dpa_lines_of_the_same_opd_and_year(chain):
    with pytest.raises(ValidationError) as exc:
        services.create_paket(
            chain.sub.unit, 2026, {"nama": "ATK Beta", "metode": "pengadaan_langsung", "jenis": "barang"},
            [(chain.dpa_b[ATK], Decimal("1000000"))],
        )  # fmt: skip
    assert chain.dpa_b[ATK].kode in messages_of(exc)
    with pytest.raises(ValidationError):
        services.create_paket(
            chain.sub.unit, 2027, {"nama": "ATK", "metode": "pengadaan_langsung", "jenis": "barang"},
            [(chain.dpa[ATK], Decimal("1000000"))],
        )  # fmt: skip
    assert not Paket.objects.exists()


def test_update_paket_replaces_links_and_keeps_contracts_within_pagu(chain, paket, kontrak):
    with pytest.raises(ValidationError) as exc:
        services.update_paket(paket, {"pagu": Decimal("30000000")}, [(chain.dpa[SWITCH], Decimal("30000000"))])
    assert services.rupiah(kontrak.nilai) in messages_of(exc)
    assert PaketDpa.objects.get(paket=paket).nilai == Decimal("40000000")
    paket = services.update_paket(
        paket, {"pagu": Decimal("44000000")},
        [(chain.dpa[SWITCH], Decimal("40000000")), (chain.dpa[ATK], Decimal("4000000"))],
    )  # fmt: skip
    assert sorted(paket.alokasi.values_list("nilai", flat=True)) == [Decimal("4000000"), Decimal("40000000")]
    event = AuditEvent.objects.filter(object_type="kontrak.paket", action="update").get()
    assert "alokasi" in event.changes and "pagu" in event.changes


def test_paket_with_contracts_cannot_be_deleted(paket, kontrak):
    with pytest.raises(ValidationError):
        services.delete_paket(paket)
    assert Paket.objects.filter(pk=paket.pk).exists()


# -- kontrak ----------------------------------------------------------------------------------------


def test_kontrak_over_the_paket_pagu_is_refused(paket, penyedia):
    with pytest.raises(ValidationError) as exc:
        services.create_kontrak(paket, kontrak_data(penyedia, hps=None, nilai=Decimal("40000000.01")))
    text = messages_of(exc)
    assert paket.nama in text and services.rupiah(paket.pagu) in text
    assert not Kontrak.objects.exists()


def test_two_contracts_together_over_the_pagu_are_refused(paket, penyedia, kontrak):
    other = kontrak_data(penyedia, nomor="028/SPK/2026", hps=None, nilai=Decimal("2000000.01"))
    with pytest.raises(ValidationError) as exc:
        services.create_kontrak(paket, other)
    assert services.rupiah(kontrak.nilai) in messages_of(exc) and "0,01" in messages_of(exc)
    services.create_kontrak(paket, dict(other, nilai=Decimal("2000000")))
    assert paket.kontrak.count() == 2


def test_kontrak_checks_hps_dates_pdn_and_number(paket, penyedia, kontrak):
    cases = [
        (dict(nomor="X1", hps=Decimal("41000000")), "hps"),
        (dict(nomor="X2", nilai=Decimal("39500000")), "nilai"),  # above HPS 39.000.000
        (dict(nomor="X3", hps=None, nilai=Decimal("1000"), selesai=dt.date(2026, 3, 1)), "selesai"),
        (dict(nomor="X4", hps=None, nilai=Decimal("1000"), nilai_pdn=Decimal("2000")), "nilai_pdn"),
        (dict(hps=None, nilai=Decimal("1000")), "nomor"),  # 027/SPK/2026 again
    ]
    for extra, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.create_kontrak(paket, kontrak_data(penyedia, **extra))
        assert field in exc.value.message_dict, (extra, exc.value)
    assert Kontrak.objects.count() == 1


def test_kontrak_created_event_and_audit(paket, penyedia, django_capture_on_commit_callbacks):
    from terpadu.core import events

    seen = []
    events._subscribers.setdefault("kontrak.kontrak_dibuat", [])
    sub = events.Subscriber("test", lambda e, p: seen.append(p), False)
    events._subscribers["kontrak.kontrak_dibuat"].append(sub)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            kontrak = services.create_kontrak(paket, kontrak_data(penyedia))
    finally:
        events._subscribers["kontrak.kontrak_dibuat"].remove(sub)
    assert seen == [{"kontrak_id": kontrak.pk}]
    assert AuditEvent.objects.filter(object_type="kontrak.kontrak", object_id=str(kontrak.pk), action="create").exists()


def test_value_and_dates_change_only_by_adendum(kontrak):
    with pytest.raises(ValidationError) as exc:
        services.update_kontrak(kontrak, {"nilai": Decimal("1000")})
    assert "adendum" in messages_of(exc)
    services.update_kontrak(kontrak, {"nilai": Decimal("38000000.00"), "lingkup": "4 switch 24 port"})
    kontrak.refresh_from_db()
    assert kontrak.lingkup == "4 switch 24 port" and kontrak.nilai == Decimal("38000000")


# -- termin -----------------------------------------------------------------------------------


def test_termin_sum_cannot_exceed_the_contract_value(kontrak):
    services.add_termin(kontrak, {"jenis": "uang_muka", "persen_fisik": 0, "nilai": Decimal("7600000")})
    services.add_termin(kontrak, {"jenis": "termin", "persen_fisik": 50, "nilai": Decimal("15200000")})
    with pytest.raises(ValidationError) as exc:
        services.add_termin(kontrak, {"jenis": "termin", "persen_fisik": 100, "nilai": Decimal("15200000.01")})
    assert services.rupiah(Decimal("38000000.01")) in messages_of(exc)
    services.add_termin(kontrak, {"jenis": "termin", "persen_fisik": 100, "nilai": Decimal("15200000")})
    assert list(kontrak.termin.values_list("urutan", flat=True)) == [1, 2, 3]


def test_termin_physical_progress_is_0_to_100_and_rising(kontrak):
    services.add_termin(kontrak, {"persen_fisik": 50, "nilai": Decimal("1000")})
    for persen, word in ((Decimal("101"), "between 0 and 100"), (Decimal("-1"), "more than zero"), (40, "less than")):
        with pytest.raises(ValidationError) as exc:
            services.add_termin(kontrak, {"persen_fisik": persen, "nilai": Decimal("1000")})
        assert word in messages_of(exc)
    t2 = services.add_termin(kontrak, {"persen_fisik": 100, "nilai": Decimal("1000")})
    with pytest.raises(ValidationError):
        services.update_termin(t2, {"persen_fisik": 30})
    assert Termin.objects.get(pk=t2.pk).persen_fisik == 100


def test_a_paid_termin_is_not_reduced_below_what_was_paid_nor_deleted(kontrak):
    termin = services.add_termin(kontrak, {"persen_fisik": 30, "nilai": Decimal("10000000")})
    pay(termin, Decimal("10000000"), 4)
    with pytest.raises(ValidationError) as exc:
        services.update_termin(termin, {"nilai": Decimal("9000000")})
    assert services.rupiah(Decimal("10000000")) in messages_of(exc)
    with pytest.raises(ValidationError):
        services.delete_termin(termin)
    assert services.dibayar(termin) == Decimal("10000000")


# -- status ---------------------------------------------------------------------------------------


def test_status_change_needs_a_reason_and_is_one_way(kontrak):
    with pytest.raises(ValidationError) as exc:
        services.set_status(kontrak, "pemutusan", "  ")
    assert "alasan" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.set_status(kontrak, "berjalan", "Kembali")
    services.set_status(kontrak, "pemutusan", "Penyedia wanprestasi", dt.date(2026, 4, 20))
    kontrak.refresh_from_db()
    assert (kontrak.status, kontrak.status_tanggal, kontrak.status_alasan) == (
        "pemutusan", dt.date(2026, 4, 20), "Penyedia wanprestasi",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.set_status(kontrak, "selesai", "Selesai")
    with pytest.raises(ValidationError):
        services.create_adendum(kontrak, "waktu", {"nomor": "A1", "tanggal": dt.date(2026, 5, 1), "alasan": "x",
                                                  "selesai": dt.date(2026, 6, 30)})  # fmt: skip
    with pytest.raises(ValidationError):
        services.add_termin(kontrak, {"persen_fisik": 10, "nilai": Decimal("1000")})
    event = AuditEvent.objects.get(object_type="kontrak.kontrak", action="status")
    assert event.changes["status"] == ["berjalan", "pemutusan"]


# -- adendum -----------------------------------------------------------------------------------


def adendum(kontrak, jenis, **data):
    base = {"nomor": f"A/{jenis}", "tanggal": dt.date(2026, 4, 1), "alasan": "Perubahan kebutuhan lapangan"}
    return services.create_adendum(kontrak, jenis, {**base, **data})


def test_adendum_history_keeps_every_change_in_order(kontrak):
    adendum(kontrak, "nilai", nilai=Decimal("39900000"))
    adendum(kontrak, "waktu", selesai=dt.date(2026, 6, 30))
    adendum(kontrak, "lingkup", lingkup="Tambah 1 switch")
    kontrak.refresh_from_db()
    assert (kontrak.nilai, kontrak.nilai_awal, kontrak.selesai, kontrak.lingkup) == (
        Decimal("39900000"), Decimal("38000000"), dt.date(2026, 6, 30), "Tambah 1 switch",
    )  # fmt: skip
    history = services.riwayat(kontrak)
    assert [h["urutan"] for h in history] == [1, 2, 3]
    assert [h["jenis"] for h in history] == ["nilai", "waktu", "lingkup"]
    assert history[0]["perubahan"] == [
        {"field": "nilai", "label": "contract value", "sebelum": "38000000.00", "sesudah": "39900000.00"}
    ]
    assert history[1]["perubahan"][0]["sebelum"] == "2026-05-31"
    assert history[1]["perubahan"][0]["sesudah"] == "2026-06-30"
    assert history[2]["perubahan"][0]["sebelum"] == "" and history[2]["alasan"] == "Perubahan kebutuhan lapangan"
    assert AuditEvent.objects.filter(object_type="kontrak.adendum", action="create").count() == 3
    assert AuditEvent.objects.filter(object_type="kontrak.kontrak", action="adendum").count() == 3


def test_adendum_rows_are_never_edited_or_deleted(kontrak):
    row = adendum(kontrak, "nilai", nilai=Decimal("39000000"))
    row.alasan = "diubah"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()
    assert Adendum.objects.get(pk=row.pk).alasan == "Perubahan kebutuhan lapangan"


def test_value_adendum_meets_the_pagu_rule_and_writes_nothing_when_refused(paket, penyedia, kontrak):
    services.create_kontrak(paket, kontrak_data(penyedia, nomor="028/SPK/2026", hps=None, nilai=Decimal("1000000")))
    with pytest.raises(ValidationError) as exc:
        adendum(kontrak, "nilai", nilai=Decimal("39000000.01"))  # 39.000.000,01 + 1.000.000 > 40.000.000
    assert services.rupiah(Decimal("1000000")) in messages_of(exc)
    kontrak.refresh_from_db()
    assert kontrak.nilai == Decimal("38000000") and not kontrak.adendum.exists()
    assert not AuditEvent.objects.filter(action="adendum").exists()
    adendum(kontrak, "nilai", nilai=Decimal("39000000"))
    kontrak.refresh_from_db()
    assert kontrak.nilai == Decimal("39000000")


def test_value_adendum_cannot_fall_below_scheduled_termin(kontrak):
    services.add_termin(kontrak, {"persen_fisik": 100, "nilai": Decimal("38000000")})
    with pytest.raises(ValidationError) as exc:
        adendum(kontrak, "nilai", nilai=Decimal("30000000"))
    assert "termin" in messages_of(exc)


def test_time_adendum_keeps_end_after_start(kontrak):
    with pytest.raises(ValidationError) as exc:
        adendum(kontrak, "waktu", selesai=dt.date(2026, 3, 1))
    assert "2026-03-01" in messages_of(exc)
    with pytest.raises(ValidationError):
        adendum(kontrak, "waktu", mulai=dt.date(2026, 7, 1), selesai=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError):
        adendum(kontrak, "waktu", selesai=kontrak.selesai)  # no change
    kontrak.refresh_from_db()
    assert kontrak.selesai == dt.date(2026, 5, 31) and not kontrak.adendum.exists()
    row = adendum(kontrak, "waktu", mulai=dt.date(2026, 3, 10), selesai=dt.date(2026, 7, 15))
    assert row.sebelum == {"mulai": "2026-03-03", "selesai": "2026-05-31"}
    assert row.sesudah == {"mulai": "2026-03-10", "selesai": "2026-07-15"}


def test_adendum_needs_reason_number_and_kind(kontrak):
    with pytest.raises(ValidationError) as exc:
        services.create_adendum(kontrak, "nilai", {"nilai": Decimal("1000"), "tanggal": dt.date(2026, 4, 1)})
    assert {"nomor", "alasan"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        adendum(kontrak, "penyedia")


# -- jaminan and flags ------------------------------------------------------------------------------


def test_flags_paid_beyond_progress_past_end_and_expired_guarantee(chain, kontrak):
    uang_muka = services.add_termin(kontrak, {"jenis": "uang_muka", "persen_fisik": 0, "nilai": Decimal("5000000")})
    t50 = services.add_termin(kontrak, {"persen_fisik": 50, "nilai": Decimal("15000000")})
    services.add_jaminan(kontrak, {"jenis": "pelaksanaan", "penerbit": "Bank Jatim", "nomor": "JP-1",
                                   "nilai": Decimal("1900000"), "berlaku_sampai": dt.date(2026, 4, 30)})  # fmt: skip
    pay(uang_muka, Decimal("5000000"), 3, "SP2D-UM")
    progress(chain.sub, 3, Decimal("20"))
    pay(t50, Decimal("15000000"), 4, "SP2D-T1")  # April: latest progress is March's 20% < 50%

    on = dt.date(2026, 4, 15)
    codes = [f.code for f in pantauan.flags(kontrak, on=on)]
    assert codes == ["bayar_melebihi_progres"]
    rows = pantauan.termin_rows(kontrak)
    assert [(t.dibayar, t.melebihi_progres) for t in rows] == [(Decimal("5000000"), False), (Decimal("15000000"), True)]

    progress(chain.sub, 4, Decimal("55"))
    assert pantauan.flags(kontrak, on=on) == []
    codes = [f.code for f in pantauan.flags(kontrak, on=dt.date(2026, 6, 1))]
    assert codes == ["lewat_waktu", "jaminan_kedaluwarsa"]
    services.set_status(kontrak, "selesai", "BAST diterima", dt.date(2026, 5, 30))
    kontrak.refresh_from_db()
    assert pantauan.flags(kontrak, on=dt.date(2026, 6, 1)) == []


def test_jaminan_validity_cannot_end_before_the_contract(kontrak):
    with pytest.raises(ValidationError):
        services.add_jaminan(kontrak, {"jenis": "pelaksanaan", "penerbit": "Bank", "nomor": "J",
                                       "nilai": Decimal("100"), "berlaku_sampai": dt.date(2026, 1, 1)})  # fmt: skip
    assert not kontrak.jaminan.exists()


def test_ocds_release_carries_budget_amendments_and_payments(chain, kontrak):
    termin = services.add_termin(kontrak, {"persen_fisik": 0, "nilai": Decimal("1000000")})
    pay(termin, Decimal("1000000"), 3)
    adendum(kontrak, "nilai", nilai=Decimal("39000000"))
    kontrak.refresh_from_db()
    release = pantauan.ocds_release(kontrak)
    contract = release["contracts"][0]
    assert contract["value"]["amount"] == "39000000.00"
    assert release["awards"][0]["value"]["amount"] == "38000000.00"
    assert contract["amendments"][0]["changes"][0]["former_value"] == "38000000.00"
    assert contract["implementation"]["transactions"][0]["value"]["amount"] == "1000000.00"
    assert release["planning"]["budget"]["budgetBreakdown"][0]["id"] == chain.dpa[SWITCH].kode


def test_money_is_never_float():
    assert services.money(0.1, "x") == Decimal("0.10")
    for bad in ("abc", "1.001", "NaN", "1e30"):
        with pytest.raises(ValidationError):
            services.money(bad, "x")


def test_demo_seed_builds_packages_through_the_services_and_is_idempotent(chain):
    from terpadu.core.context import acting
    from terpadu.kontrak import demo_kontrak

    with acting(None, via="command"):
        demo_kontrak.seed(dt.date(2026, 8, 1))
        count = Kontrak.objects.count()
        demo_kontrak.seed(dt.date(2026, 8, 1))
    assert count >= 1 and Kontrak.objects.count() == count
    assert Adendum.objects.count() == 1
    for paket in Paket.objects.all():
        assert sum(a.nilai for a in paket.alokasi.all()) == paket.pagu
    assert all(k.termin.count() == 3 for k in Kontrak.objects.all())


def test_demo_seed_does_nothing_without_dpa_lines(db):
    from terpadu.kontrak import demo_kontrak

    demo_kontrak.seed(dt.date(2026, 8, 1))
    assert not Paket.objects.exists() and not Penyedia.objects.exists()
