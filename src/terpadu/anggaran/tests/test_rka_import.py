"""Import of rincian lines (SIPD-like CSV/XLSX): dry run, row errors, all-or-nothing, ceiling per OPD, export."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terpadu.anggaran import importing_rka
from terpadu.anggaran import services_rka as svc
from terpadu.anggaran.models import Pagu, RincianBelanja, Rka
from terpadu.anggaran.tests.rka_helpers import give_role, make_drafting, make_ssh
from terpadu.core import tabular
from terpadu.core.context import acting

pytestmark = pytest.mark.django_db
HEADER = (
    "tahun,tahap,kode_unit,kode_sub_kegiatan,kode_rekening,uraian,spesifikasi,koefisien,satuan,harga_satuan,"
    "kode_ssh,justifikasi\n"
)


@pytest.fixture
def drafting(chain):
    return make_drafting(chain)


def _rows(text: str):
    return importing_rka.read_rows("csv", (HEADER + text).encode())


def _good(chain):
    return (
        "2026,2,400.1,2.16.03.2.02.0023,5.1.02.01.01.0024,Map plastik,,10,buah,15000,,tidak ada di SSH\n"
        "2026,2,400.1,2.16.03.2.02.0021,5.1.02.01.01.0052,Snack rapat,,20,kotak,12500.5,,tidak ada di SSH\n"
        "2026,2,400.2,2.16.02.2.01.0014,5.1.02.01.01.0024,Kertas,,4,rim,,SSH-1,\n"
    )


def test_dry_run_then_apply(drafting):
    chain, tahap, rka = drafting
    make_ssh(2026, "SSH-1", "50000", [chain.rekening["5.1.02.01.01.0024"]])
    before = RincianBelanja.objects.count()
    with acting(None, via="command"):
        report = importing_rka.import_rincian(tahap, _rows(_good(chain)), dry_run=True)
        assert report.ok and report.rows == 3 and RincianBelanja.objects.count() == before
        report = importing_rka.import_rincian(tahap, _rows(_good(chain)), dry_run=False)
    assert report.ok and report.created == 3 and RincianBelanja.objects.count() == before + 3
    rka.refresh_from_db()
    assert rka.total == chain.rka.total + 150000
    rka2 = tahap.rka.get(sub_kegiatan=chain.sub2)
    assert rka2.total == chain.rka2.total + Decimal("250010")  # 20 × 12,500.5 = 250,010 (half up)
    kertas = RincianBelanja.objects.get(uraian="Kertas", rka__tahap=tahap)
    assert kertas.satuan == "rim" and kertas.harga_satuan == 50000 and kertas.standar_harga.kode == "SSH-1"


def test_row_errors_and_nothing_written(drafting):
    chain, tahap, rka = drafting
    text = _good(chain).replace("SSH-1,", "SSH-X,") + (
        "2026,2,400.1,2.16.03.2.02.0023,5.1.02.01,Salah kode,,1,unit,1000,,alasan\n"
        "2026,2,400.1,9.99.99.9.99.9999,5.1.02.01.01.0024,Bukan renja,,1,unit,1000,,alasan\n"
        "2025,2,400.1,2.16.03.2.02.0023,5.1.02.01.01.0024,Tahun salah,,1,unit,1000,,\n"
    )
    before = RincianBelanja.objects.count()
    with acting(None, via="command"):
        report = importing_rka.import_rincian(tahap, _rows(text), dry_run=False)
    errors = {(e.row, e.column) for e in report.errors}
    assert (4, "kode_ssh") in errors and (5, "kode_rekening") in errors and (6, "kode_sub_kegiatan") in errors
    assert (7, "tahun") in errors and (7, "justifikasi") in errors
    assert RincianBelanja.objects.count() == before


def test_ceiling_checked_once_per_opd_naming_the_excess(drafting, city):
    chain, tahap, rka = drafting
    Pagu.objects.filter(tahap=tahap, unit=city.dinas_b).update(nilai=chain.rka_b.total + 100)
    text = "2026,2,400.2,2.16.02.2.01.0014,5.1.02.01.01.0024,Map,,1,buah,150,,alasan\n"
    with acting(None, via="command"):
        report = importing_rka.import_rincian(tahap, _rows(text * 2), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "kode_skpd")]
    assert "Dinas Beta" in report.errors[0].message and "Rp 200" in report.errors[0].message


def test_scope_and_locked_rka(drafting, city):
    chain, tahap, rka = drafting
    operator = give_role(city.staff_other, "operator-opd", city.dinas_b)
    with acting(None, via="command"):
        svc.ajukan(None, tahap.rka.get(sub_kegiatan=chain.sub_b))
        report = importing_rka.import_rincian(tahap, _rows(_good(chain)), dry_run=True, user=operator)
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "may not draft" in messages[(2, "kode_skpd")] and "submitted" in messages[(4, "kode_sub_kegiatan")]


def test_export_has_the_import_shape_and_round_trips(drafting):
    chain, tahap, rka = drafting
    content = importing_rka.export_file(tahap, Rka.objects.all(), "csv")
    rows = importing_rka.read_rows("csv", content)
    assert list(rows[0]) == importing_rka.COLUMNS and len(rows) == 7
    with acting(None, via="command"):
        report = importing_rka.import_rincian(tahap, rows, dry_run=True)
    assert report.ok, report.as_dict()
    sheets = tabular.read_xlsx(importing_rka.export_file(tahap, Rka.objects.all(), "xlsx"))
    assert len(sheets["rincian"]) == 7


def test_import_job_through_the_page(client, drafting, city, settings, monkeypatch):
    from conftest import login_as

    from terpadu.core import jobs

    settings.JOBS_BACKEND = "eager"  # the job runs after the request's commit (on PostgreSQL too)
    monkeypatch.setattr(jobs, "progress_alias", lambda: "default")  # one connection inside the test transaction
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase

    from terpadu.core.models import JobRecord

    chain, tahap, rka = drafting
    operator = give_role(city.staff_same, "operator-opd", city.dinas_a)
    login_as(client, operator)
    text = "2026,2,400.1,2.16.03.2.02.0023,5.1.02.01.01.0024,Map plastik,,10,buah,15000,,tidak ada di SSH\n"
    upload = SimpleUploadedFile("rincian.csv", (HEADER + text).encode(), content_type="text/csv")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/anggaran/rincian/impor/", {"tahap": tahap.pk, "file": upload})
    assert response.status_code == 302
    job = JobRecord.objects.get(kind="anggaran.import_rincian")
    assert job.status == "succeeded", job.message
    assert RincianBelanja.objects.filter(rka=rka, uraian="Map plastik").exists()
