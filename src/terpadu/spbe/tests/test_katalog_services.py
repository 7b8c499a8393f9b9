"""Catalogue services: lifecycle date rules, the OPD scope, the audit trail, all-or-nothing import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.spbe import importing_katalog, services_katalog
from terpadu.spbe.models import Aplikasi, AplikasiNasional, DataAplikasi, IntegrasiAplikasi
from terpadu.spbe.tests import katalog_fixtures
from terpadu.spbe.tests.katalog_fixtures import layanan_elemen, make_app

pytestmark = pytest.mark.django_db
katalog = katalog_fixtures.katalog


def csv_bytes(header, rows) -> bytes:
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_lifecycle_dates_and_reasons(katalog):
    today = timezone.localdate()
    app = make_app(katalog.dinas_a, nama="Siklus")
    assert app.status == "usulan" and app.tanggal_usulan == today  # a new proposal is dated today
    with acting(katalog.admin):
        app = services_katalog.change_status(katalog.admin, app, "pengembangan")
        app = services_katalog.change_status(katalog.admin, app, "operasi")
        assert app.tanggal_operasi == today  # the status change set its date
        with pytest.raises(ValidationError) as err:
            services_katalog.change_status(katalog.admin, app, "dihentikan", today - dt.timedelta(days=400))
        assert "tanggal_dihentikan" in err.value.message_dict  # before the go-live date
        with pytest.raises(ValidationError) as err:
            services_katalog.change_status(katalog.admin, app, "usulan")
        assert "needs a reason" in err.value.message_dict["alasan"][0]
        app = services_katalog.change_status(katalog.admin, app, "usulan", alasan="Kajian ulang")
    assert app.status == "usulan" and app.tanggal_operasi is None and app.tanggal_usulan == today
    event = AuditEvent.objects.filter(object_id=str(app.pk), action="update").order_by("-seq").first()
    assert event.changes["alasan"] == [None, "Kajian ulang"] and event.changes["status"] == ["operasi", "usulan"]
    with pytest.raises(ValidationError) as err:
        make_app(katalog.dinas_a, nama="Salah", status="operasi", tanggal_usulan=today,
                 tanggal_operasi=today - dt.timedelta(days=1))  # fmt: skip
    assert "cannot be before the date it was proposed" in err.value.message_dict["tanggal_operasi"][0]
    with pytest.raises(ValidationError) as err:
        make_app(katalog.dinas_a, nama="Operasi tanpa tanggal", status="operasi")
    assert "tanggal_operasi" in err.value.message_dict
    assert not Aplikasi.objects.filter(nama__in=["Salah", "Operasi tanpa tanggal"]).exists()


def test_umum_points_at_its_national_app(katalog):
    with pytest.raises(ValidationError) as err:
        make_app(katalog.dinas_a, nama="SRIKANDI kota", jenis="umum")
    assert "aplikasi_nasional" in err.value.message_dict
    with pytest.raises(ValidationError):
        make_app(katalog.dinas_a, nama="Khusus", aplikasi_nasional=AplikasiNasional.objects.get(nama="SRIKANDI"))


def test_opd_scope_on_services(katalog):
    own = make_app(katalog.dinas_a, nama="Milik Alfa")
    other = make_app(katalog.dinas_b, nama="Milik Beta")
    operator = katalog.staff_same  # operator-opd of Dinas Alfa: spbe.propose there
    with acting(operator):
        services_katalog.update_aplikasi(operator, own, {"pengguna": "Staf"})
        with pytest.raises(PermissionDenied):
            services_katalog.update_aplikasi(operator, other, {"pengguna": "Staf"})
        with pytest.raises(ValidationError) as err:
            services_katalog.update_aplikasi(operator, own, {"unit": katalog.dinas_b})  # moving it away
        assert "unit" in err.value.message_dict
        with pytest.raises(ValidationError):
            services_katalog.create_aplikasi(operator, {"nama": "X", "jenis": "khusus", "fungsi_bisnis": "x"})
        created = services_katalog.create_aplikasi(
            operator, {"nama": "Baru", "jenis": "khusus", "fungsi_bisnis": "x", "unit": katalog.bidang_a}
        )
    assert created.unit == katalog.bidang_a
    assert Aplikasi.objects.get(pk=other.pk).pengguna == ""
    with acting(katalog.admin):  # Diskominfo: anywhere, also without an owner
        services_katalog.create_aplikasi(katalog.admin, {"nama": "Tanpa", "jenis": "khusus", "fungsi_bisnis": "x"})


def test_data_and_integrations_are_audited_on_the_application(katalog):
    a = make_app(katalog.dinas_a, nama="A")
    b = make_app(katalog.dinas_b, nama="B")
    with acting(katalog.admin):
        services_katalog.add_data(katalog.admin, a, "Data warga", "pribadi")
        with pytest.raises(ValidationError):
            services_katalog.add_data(katalog.admin, a, "Data warga", "pribadi")
        with pytest.raises(ValidationError):
            services_katalog.add_data(katalog.admin, a, "Data lain", "sangat_rahasia")
        services_katalog.add_integrasi(katalog.admin, a, b, "splp")
        with pytest.raises(ValidationError):
            services_katalog.add_integrasi(katalog.admin, a, a, "api")
        with pytest.raises(ValidationError):
            services_katalog.add_integrasi(katalog.admin, a, b, "splp")
    actions = set(
        AuditEvent.objects.filter(object_id=str(a.pk), object_type="spbe.aplikasi").values_list("action", flat=True)
    )
    assert {"create", "data_ditambah", "integrasi_ditambah"} <= actions
    assert DataAplikasi.objects.filter(aplikasi=a).count() == 1 and IntegrasiAplikasi.objects.count() == 1
    assert services_katalog.ringkasan()["terintegrasi_splp"] == 2


def test_delete_refused_when_spending_is_linked(katalog):
    from terpadu.spbe.models import BelanjaTik

    a = make_app(katalog.dinas_a, nama="Dibelanjakan")
    BelanjaTik.objects.create(tahun=2026, unit=katalog.dinas_a, uraian="Lisensi", kategori="perangkat_lunak",
                              nilai="1000.00", aplikasi=a)  # fmt: skip
    with acting(katalog.admin), pytest.raises(ValidationError, match="set it to stopped"):
        services_katalog.delete_aplikasi(katalog.admin, a)
    b = make_app(katalog.dinas_a, nama="Hapus saja")
    pk = b.pk
    with acting(katalog.admin):
        services_katalog.delete_aplikasi(katalog.admin, b)
    assert not Aplikasi.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(object_id=str(pk), action="delete").exists()


HEADER = ["nama", "jenis", "unit", "fungsi_bisnis", "aplikasi_nasional", "status", "tanggal_usulan", "tanggal_operasi",
          "layanan", "hosting"]  # fmt: skip


def test_import_dry_run_row_errors_and_all_or_nothing(katalog):
    layanan_elemen("L.01")
    good = [
        ["Sistem Satu", "khusus", "400.1", "Pendataan", "", "operasi", "2024-01-01", "2024-06-01", "L.01", "dc_kota"],
        ["SRIKANDI Kota", "umum", "400.1", "Naskah", "SRIKANDI", "operasi", "2023-01-01", "2023-02-01", "", "nasional"],
    ]
    report = importing_katalog.run(katalog.admin, "csv", csv_bytes(HEADER, good), dry_run=True)
    assert report.ok and report.rows == 2 and not Aplikasi.objects.exists()
    bad = good + [
        ["Sistem Tiga", "khusus", "999", "x", "", "operasi", "2024-06-01", "2024-01-01", "L.99", "bulan"],
        ["", "lain", "400.1", "", "", "", "", "", "", ""],
    ]
    with acting(katalog.admin):
        report = importing_katalog.run(katalog.admin, "csv", csv_bytes(HEADER, bad), dry_run=False)
    assert not report.ok and not Aplikasi.objects.exists()  # nothing half-written
    by_line = {(e.row, e.column) for e in report.errors}
    assert {(4, "unit"), (4, "layanan"), (4, "hosting"), (4, "tanggal_operasi"), (5, "nama"), (5, "jenis")} <= by_line
    with acting(katalog.admin):
        report = importing_katalog.run(katalog.admin, "csv", csv_bytes(HEADER, good), dry_run=False)
    assert report.ok and report.created == 2
    assert Aplikasi.objects.get(nama="Sistem Satu").layanan.get().kode == "L.01"
    # Re-import updates by name and OPD; an operator may not import into another OPD.
    again = [["Sistem Satu", "khusus", "400.1", "Pendataan baru", "", "", "2024-01-01", "2024-06-01", "L.01", "pdn"]]
    with acting(katalog.admin):
        report = importing_katalog.run(katalog.admin, "csv", csv_bytes(HEADER, again), dry_run=False)
    assert report.updated == 1 and Aplikasi.objects.get(nama="Sistem Satu").hosting == "pdn"
    foreign = [["Sistem Beta", "khusus", "400.2", "x", "", "", "", "", "", ""]]
    report = importing_katalog.run(katalog.staff_same, "csv", csv_bytes(HEADER, foreign), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "unit")]


def test_export_round_trip(katalog):
    make_app(katalog.dinas_a, nama="Ekspor", layanan=[layanan_elemen("L.02")])
    content = importing_katalog.export_file(Aplikasi.objects.all(), "csv").decode("utf-8-sig")
    assert content.splitlines()[0].split(",") == importing_katalog.COLUMNS and "Ekspor" in content
    report = importing_katalog.run(katalog.admin, "csv", content.encode(), dry_run=True)
    assert report.ok, report.as_dict()
    assert importing_katalog.export_file(Aplikasi.objects.all(), "xlsx")[:2] == b"PK"
