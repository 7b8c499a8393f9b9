"""SP2D import: dry run, row errors (unknown line, over the line also across the file), all-or-nothing,
idempotent re-import, XLSX, export that imports back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import login_as
from django.test import Client
from django.urls import reverse

from terpadu.core import tabular
from terpadu.core.context import acting
from terpadu.core.models import JobRecord
from terpadu.realisasi import importing, services
from terpadu.realisasi.models import Realisasi, Sp2d
from terpadu.realisasi.tests.conftest import give_role, make_kontrak

HEADER = "nomor_sp2d,tanggal_sp2d,jenis,kode_skpd,kode_sub_kegiatan,kode_rekening,nilai,uraian,nomor_kontrak,termin\n"
SUB = "2.16.03.2.02.0023"


def csv(*rows) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def run(data: bytes, dry_run=False, kind="csv"):
    with acting(None, via="command"):
        return importing.import_sp2d(kind, data, None, dry_run)


@pytest.fixture
def good(chain):
    kode = chain.sub.unit.kode
    return csv(
        f"001/SP2D/2026,2026-02-10,LS,{kode},{SUB},5.1.02.01.01.0024,1.000.000,ATK,,",
        f'001/SP2D/2026,2026-02-10,LS,{kode},{SUB},5.1.02.01.01.0052,"2,500,000.50",Mamin,,',
        f"002/SP2D/2026,14/03/2026,GU,{kode},{SUB},5.1.02.04.01.0001,3000000,Perjadin,,",
    )


def test_dry_run_writes_nothing(chain, good):
    result = run(good, dry_run=True)
    assert result["ok"] and result["rows"] == 3 and result["sp2d"] == 2
    assert not Sp2d.objects.exists()


def test_apply_then_reimport_is_idempotent(chain, good):
    result = run(good)
    assert result["ok"] and result["sp2d"] == 2 and result["skipped"] == []
    first = Sp2d.objects.get(nomor="001/SP2D/2026")
    assert first.sumber == Sp2d.Sumber.IMPOR and first.nilai == Decimal("3500000.50") and first.rincian.count() == 2
    assert Sp2d.objects.get(nomor="002/SP2D/2026").tanggal.month == 3
    again = run(good)
    assert again["ok"] and again["sp2d"] == 0 and again["skipped"] == ["001/SP2D/2026", "002/SP2D/2026"]
    assert Sp2d.objects.count() == 2 and Realisasi.objects.count() == 3


def test_row_errors_and_all_or_nothing(chain):
    kode = chain.sub.unit.kode
    pagu = chain.dpa["5.1.02.01.01.0024"].pagu  # 5.500.000
    data = csv(
        f"A,2026-02-10,LS,{kode},{SUB},5.1.02.01.01.0024,3000000,ok,,",
        f"B,2026-02-11,LS,{kode},{SUB},5.1.02.01.01.0024,3000000,cumulatively over,,",
        f"C,2026-02-11,LS,{kode},{SUB},9.9.99.99.99.9999,10,unknown line,,",
        f"D,2026-02-11,LS,999.9,{SUB},5.1.02.01.01.0024,10,unknown OPD,,",
        f"E,kemarin,LS,{kode},{SUB},5.1.02.01.01.0024,10,bad date,,",
        f"F,2026-02-11,XX,{kode},{SUB},5.1.02.01.01.0024,-4,bad kind and amount,,",
        f"G,2026-02-11,LS,{kode},{SUB},5.1.02.01.01.0024,10,,KTR/none,1",
    )
    result = run(data)
    assert not result["ok"]
    by_row = {}
    for error in result["errors"]:
        by_row.setdefault(error["row"], []).append(error)
    assert set(by_row) == {3, 4, 5, 6, 7, 8}
    assert "5.1.02.01.01.0024" in by_row[3][0]["message"] and services.rupiah(pagu) in by_row[3][0]["message"]
    assert by_row[4][0]["column"] == "kode_rekening"
    assert by_row[5][0]["column"] == "kode_skpd"
    assert {e["column"] for e in by_row[7]} == {"jenis", "nilai"}
    assert not Sp2d.objects.exists()  # A was valid, but nothing is written


def test_missing_columns(chain):
    result = run(b"nomor_sp2d,nilai\nX,10\n")
    assert not result["ok"] and {e["column"] for e in result["errors"]} >= {"tanggal_sp2d", "kode_rekening"}


def test_termin_and_conflicting_number(chain):
    line = chain.dpa["5.2.02.10.02.0004"]
    kontrak, (t1,) = make_kontrak(line, "40000000", ["40000000"])
    kode = chain.sub.unit.kode
    result = run(csv(f"T,2026-04-01,LS,{kode},{SUB},5.2.02.10.02.0004,40000000,bayar,{kontrak.nomor},1"))
    assert result["ok"] and services.terbayar(t1) == Decimal("40000000")
    over = run(csv(f"T2,2026-04-02,LS,{kode},{SUB},5.2.02.10.02.0004,1,lagi,{kontrak.nomor},1"))
    assert not over["ok"]
    conflict = run(csv(f"T,2026-04-01,LS,{kode},{SUB},5.2.02.10.02.0004,50000000,beda,{kontrak.nomor},1"))
    assert not conflict["ok"] and conflict["errors"][0]["column"] == "nilai"


def test_xlsx_and_export_round_trip(chain, good):
    run(good)
    exported = importing.export_file(Sp2d.objects.all(), "xlsx")
    sheets = tabular.read_xlsx(exported)
    assert len(sheets["sp2d"]) == 3
    result = run(exported, kind="xlsx")
    assert result["ok"] and len(result["skipped"]) == 2 and Sp2d.objects.count() == 2


def test_import_page_runs_the_job(chain, city, good, django_capture_on_commit_callbacks, settings, monkeypatch):
    settings.JOBS_BACKEND = "eager"  # the job runs after the request's commit (on PostgreSQL too)
    monkeypatch.setattr(importing, "progress_alias", lambda: "default")  # one connection inside the test transaction
    from django.core.files.uploadedfile import SimpleUploadedFile

    give_role(city.staff_other, "bud")
    client = login_as(Client(), city.staff_other)
    upload = SimpleUploadedFile("sp2d.csv", good, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("realisasi:sp2d_import"), {"file": upload, "dry_run": ""})
    assert response.status_code == 302
    job = JobRecord.objects.get(kind="realisasi.import_sp2d")
    assert job.status == JobRecord.Status.SUCCEEDED, job.message
    assert Sp2d.objects.count() == 2 and Sp2d.objects.first().dicatat_oleh == city.staff_other
