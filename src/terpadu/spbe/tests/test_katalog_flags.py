"""Flags of the catalogue, with their boundaries, and the overlap check used before a proposal."""

from __future__ import annotations

import datetime as dt

import pytest

from terpadu.spbe import services_katalog
from terpadu.spbe.models import AplikasiNasional
from terpadu.spbe.tests import katalog_fixtures
from terpadu.spbe.tests.katalog_fixtures import layanan_elemen, make_app, months_ago

pytestmark = pytest.mark.django_db
katalog = katalog_fixtures.katalog
TODAY = dt.date(2026, 3, 15)


def codes(aplikasi, today=TODAY):
    return {f.code for f in services_katalog.flags(aplikasi, today=today)}


def test_national_apps_loaded_with_the_decision_per_row(katalog):
    srikandi = AplikasiNasional.objects.get(nama="SRIKANDI")
    assert srikandi.aplikasi_umum and srikandi.keyakinan == "official" and srikandi.keputusan == "KepmenPANRB 679/2020"
    lapor = AplikasiNasional.objects.get(nama="SP4N-LAPOR!")
    assert lapor.aplikasi_umum and lapor.keyakinan == "unconfirmed"
    assert not AplikasiNasional.objects.get(nama="SIPD / SIPD-RI").aplikasi_umum
    assert not AplikasiNasional.objects.get(nama="e-Kinerja BKN").aplikasi_umum
    before = AplikasiNasional.objects.count()
    assert services_katalog.load_national_apps()["created"] == 0  # idempotent
    assert AplikasiNasional.objects.count() == before


def test_khusus_duplicating_an_umum_by_bidang_or_by_synonym(katalog):
    layanan = [layanan_elemen()]
    by_name = make_app(katalog.dinas_a, nama="e-Office Dinas Alfa", layanan=layanan)
    by_bidang = make_app(katalog.dinas_a, nama="Sistem X", bidang="kearsipan dinamis", layanan=layanan)
    by_function = make_app(katalog.dinas_a, nama="Sistem Y", fungsi_bisnis="Tata naskah dinas", layanan=layanan)
    unrelated = make_app(katalog.dinas_a, nama="Sistem Z", fungsi_bisnis="Data jalan", layanan=layanan)
    umum = make_app(katalog.dinas_a, nama="e-Office nasional", jenis="umum",
                    aplikasi_nasional=AplikasiNasional.objects.get(nama="SRIKANDI"), layanan=layanan)  # fmt: skip
    for app in (by_name, by_bidang, by_function):
        found = [f for f in services_katalog.flags(app, today=TODAY) if f.code == "duplikasi_umum"]
        assert found and "SRIKANDI" in found[0].message and not found[0].unconfirmed
    assert "duplikasi_umum" not in codes(unrelated) and "duplikasi_umum" not in codes(umum)
    # Duplicating an umum whose designation is unconfirmed says so.
    lapor = make_app(katalog.dinas_a, nama="Kanal Aduan Warga", layanan=layanan)
    assert [f.unconfirmed for f in services_katalog.flags(lapor, today=TODAY) if f.code == "duplikasi_umum"] == [True]


def test_no_owner_and_no_layanan(katalog):
    ownerless = make_app(None, nama="Kios")
    assert {"tanpa_pemilik", "tanpa_layanan"} <= codes(ownerless)
    served = make_app(katalog.dinas_a, nama="Layanan Baik", layanan=[layanan_elemen()])
    assert not {"tanpa_pemilik", "tanpa_layanan"} & codes(served)


def test_stopped_within_two_years_boundary(katalog):
    live = dt.date(2022, 2, 10)
    early = make_app(katalog.dinas_a, nama="Parkir", status="dihentikan", tanggal_usulan=dt.date(2021, 1, 1),
                     tanggal_operasi=live, tanggal_dihentikan=dt.date(2024, 2, 9))  # fmt: skip
    exact = make_app(katalog.dinas_a, nama="Parkir 2", status="dihentikan", tanggal_usulan=dt.date(2021, 1, 1),
                     tanggal_operasi=live, tanggal_dihentikan=dt.date(2024, 2, 10))  # fmt: skip
    fourteen = make_app(katalog.dinas_a, nama="Parkir 3", status="dihentikan", tanggal_usulan=dt.date(2021, 1, 1),
                        tanggal_operasi=live, tanggal_dihentikan=dt.date(2023, 4, 10))  # fmt: skip
    assert "umur_pendek" in codes(early)
    assert "umur_pendek" not in codes(exact)  # exactly two years after go-live is not "within"
    message = next(f.message for f in services_katalog.flags(fourteen, today=TODAY) if f.code == "umur_pendek")
    assert "14 months" in message


@pytest.mark.parametrize(("jenis", "months"), [("umum", 12), ("khusus", 24)])
def test_security_audit_period_boundary(katalog, jenis, months):
    nasional = AplikasiNasional.objects.get(nama="SIASN") if jenis == "umum" else None
    exact = months_ago(TODAY, months)
    app = make_app(katalog.dinas_a, nama=f"Audit {jenis}", jenis=jenis, aplikasi_nasional=nasional,
                   hosting="dc_kota", status="operasi", tanggal_usulan=dt.date(2019, 1, 1),
                   tanggal_operasi=dt.date(2019, 6, 1), audit_keamanan_terakhir=exact)  # fmt: skip
    assert "audit_kedaluwarsa" not in codes(app)  # audited exactly one period ago: still within
    assert "audit_kedaluwarsa" in codes(app, today=TODAY + dt.timedelta(days=1))
    flag = next(
        f for f in services_katalog.flags(app, today=TODAY + dt.timedelta(days=1)) if f.code == "audit_kedaluwarsa"
    )
    assert flag.unconfirmed  # the periods come from research marked [3P]
    never = make_app(katalog.dinas_a, nama=f"Never {jenis}", jenis=jenis, aplikasi_nasional=nasional,
                     hosting="dc_kota", status="operasi", tanggal_usulan=dt.date(2019, 1, 1),
                     tanggal_operasi=dt.date(2019, 6, 1))  # fmt: skip
    assert "audit_kedaluwarsa" in codes(never)
    national = make_app(katalog.dinas_a, nama=f"Nasional {jenis}", jenis=jenis, aplikasi_nasional=nasional,
                        hosting="nasional", status="operasi", tanggal_usulan=dt.date(2019, 1, 1),
                        tanggal_operasi=dt.date(2019, 6, 1))  # fmt: skip
    assert "audit_kedaluwarsa" not in codes(national)  # run (and audited) by its national owner


def test_eliminate_in_operation(katalog):
    app = make_app(katalog.dinas_a, nama="Lama", status="operasi", tanggal_usulan=dt.date(2019, 1, 1),
                   tanggal_operasi=dt.date(2019, 6, 1), time="eliminate", audit_keamanan_terakhir=TODAY)  # fmt: skip
    assert "time_eliminate" in codes(app)
    assert [a.pk for a, _f in services_katalog.flagged_applications(type(app).objects.all(), TODAY)] == [app.pk]


def test_overlaps_are_ranked(katalog):
    layanan = [layanan_elemen()]
    common = {"status": "operasi", "tanggal_usulan": dt.date(2020, 1, 1), "tanggal_operasi": dt.date(2020, 6, 1),
              "layanan": layanan}  # fmt: skip
    eoffice = make_app(katalog.dinas_a, nama="e-Office Dinas Alfa", fungsi_bisnis="Persuratan elektronik", **common)
    make_app(katalog.dinas_b, nama="Sistem Pajak", fungsi_bisnis="Pajak daerah", **common)
    proposed_only = make_app(katalog.dinas_b, nama="e-Office Beta", fungsi_bisnis="Persuratan")  # not operating
    found = services_katalog.overlaps("Kearsipan Dinamis", "e-Office Kecamatan", "Surat masuk dan disposisi")
    names = [o.nama for o in found]
    assert names[0] == "SRIKANDI"  # the same bidang ranks first: it is the one to use
    assert eoffice.nama in names and "Sistem Pajak" not in names and proposed_only.nama not in names
    assert all(hasattr(o, "skor") and o.alasan for o in found)
    assert [o.skor for o in found] == sorted((o.skor for o in found), reverse=True)
    # Without a bidang, the name/function synonyms still find SRIKANDI and the local e-office.
    names = [o.nama for o in services_katalog.overlaps("", "Aplikasi E-Surat", "tata naskah")]
    assert "SRIKANDI" in names and eoffice.nama in names
    assert services_katalog.overlaps("", "Sistem Cuaca", "prakiraan hujan") == []
