"""Klasifikasi arsip: reference loading, import/export, editing (audited), editions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from conftest import login_as
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from terpadu.arsip import importing, services
from terpadu.arsip.models import Keyakinan, Klasifikasi, KlasifikasiVersi
from terpadu.core import tabular
from terpadu.core.models import AuditEvent, JobRecord

HEADER = "code,name,parent_code,confidence,retensi_aktif,retensi_inaktif,nasib_akhir,skkaad\n"


@pytest.fixture
def versi(db):
    return KlasifikasiVersi.objects.create(nama="Uji", berlaku_mulai=dt.date(2024, 1, 1), aktif=True)


def _import(versi, text: str, dry_run=False, kind="csv"):
    data = text.encode() if isinstance(text, str) else text
    return tabular.run_import(importing.build_plan(versi, kind, data), dry_run=dry_run)


# -- the shipped reference ---------------------------------------------------------------------


def test_load_reference_is_idempotent_and_fills_missing_parents(db):
    first = services.load_reference()
    codes = Klasifikasi.objects.filter(versi_id=first["versi"])
    assert first["created"] == codes.count() > 100
    assert services.current_versi().pk == first["versi"]
    audit_after_first = AuditEvent.objects.count()
    second = services.load_reference()
    assert second["created"] == 0 and second["jra_defaults"] == 0
    assert AuditEvent.objects.count() == audit_after_first  # a second run writes nothing
    # 000.8.3.3's parent 000.8.3 is not in the reference: created as an unconfirmed placeholder
    placeholder = services.klasifikasi_by_kode("000.8.3")
    assert placeholder.nama == services.PLACEHOLDER_NAME
    assert placeholder.keyakinan == Keyakinan.UNCONFIRMED
    assert placeholder.parent.kode == "000.8"
    assert services.klasifikasi_by_kode("000.8.3.3").parent == placeholder
    assert services.klasifikasi_by_kode("700.1.2.1").parent.parent.kode == "700.1"


def test_reference_keeps_source_and_confidence_and_default_jra_is_unconfirmed(db):
    services.load_reference()
    umum = services.klasifikasi_by_kode("000")
    assert umum.keyakinan == Keyakinan.MULTI and "Permendagri" in umum.sumber
    sub = services.klasifikasi_by_kode("900.1")
    assert sub.keyakinan == Keyakinan.UNCONFIRMED and "CONFLICT" in sub.catatan
    assert sub.jra_lengkap and sub.jra_keyakinan == Keyakinan.UNCONFIRMED
    assert "JRA Perkada" in sub.keterangan
    assert services.incomplete_jra_count() == 0


def test_reload_never_overwrites_a_jra_the_city_set(db):
    services.load_reference()
    code = services.klasifikasi_by_kode("000.1.5")
    services.update_klasifikasi(code, {"retensi_aktif": 1, "retensi_inaktif": 1})
    services.load_reference(update=True)
    code.refresh_from_db()
    assert (code.retensi_aktif, code.retensi_inaktif, code.jra_keyakinan) == (1, 1, Keyakinan.LOCAL)


def test_public_lookups(db):
    services.load_reference()
    assert services.klasifikasi_by_kode("000.1.5").nama
    assert services.klasifikasi_by_kode("999.9") is None
    assert services.current_klasifikasi().filter(kode="800").exists()


# -- import ------------------------------------------------------------------------------------


def test_good_csv_imports_codes_with_their_jra(versi):
    report = _import(
        versi,
        HEADER + "000,Umum,,multi,,,,\n000.1,Ketatausahaan,000,secondary,2,3,musnah,biasa\n",
    )
    assert report.ok and report.created == 2
    code = Klasifikasi.objects.get(versi=versi, kode="000.1")
    assert (code.retensi_aktif, code.retensi_inaktif, code.nasib_akhir, code.parent.kode) == (2, 3, "musnah", "000")


def test_a_dry_run_writes_nothing(versi):
    report = _import(versi, HEADER + "000,Umum,,multi,,,,\n", dry_run=True)
    assert report.ok and not Klasifikasi.objects.exists()


def test_xlsx_imports_the_same_columns(versi):
    content = tabular.write_xlsx(
        {"klasifikasi": (["code", "name", "retensi_aktif"], [["100", "Pemerintahan", 2], ["100.1", "Otda", ""]])}
    )
    report = _import(versi, content, kind="xlsx")
    assert report.ok and report.created == 2
    assert Klasifikasi.objects.get(versi=versi, kode="100").retensi_aktif == 2


def test_bad_rows_are_listed_and_nothing_is_written(versi):
    report = _import(
        versi,
        HEADER
        + "000,Umum,,multi,,,,\n"
        + "abc,Salah,,multi,,,,\n"
        + "000.1,,000,secondary,x,3,hancur,biasa\n"
        + "000.2,Dua,100,secondary,,,,\n"
        + "000,Lagi,,multi,,,,\n",
    )
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert {
        (3, "code"),
        (4, "name"),
        (4, "retensi_aktif"),
        (4, "nasib_akhir"),
        (5, "parent_code"),
        (6, "code"),
    } <= found
    assert not Klasifikasi.objects.exists()


def test_a_missing_parent_is_created_as_an_unconfirmed_placeholder(versi):
    report = _import(versi, HEADER + "000,Umum,,multi,,,,\n000.8.3.3,Arsip Vital,000.8.3,secondary,,,,\n")
    assert report.ok
    parent = Klasifikasi.objects.get(versi=versi, kode="000.8.3")
    assert parent.nama == services.PLACEHOLDER_NAME and parent.keyakinan == Keyakinan.UNCONFIRMED
    assert parent.parent.kode == "000.8" and parent.parent.parent.kode == "000"


@pytest.mark.django_db(transaction=True, databases="__all__")  # the progress bar has its own connection
def test_import_through_the_page_runs_as_a_job(city, settings, tmp_path):
    from conftest import empty_job_queue

    from terpadu.core import jobs

    settings.MEDIA_ROOT = tmp_path
    empty_job_queue()
    versi = KlasifikasiVersi.objects.create(nama="Uji", berlaku_mulai=dt.date(2024, 1, 1), aktif=True)
    client = login_as(Client(), city.admin)
    upload = SimpleUploadedFile("k.csv", (HEADER + "000,Umum,,multi,,,,\n").encode(), content_type="text/csv")
    response = client.post(reverse("arsip:klasifikasi_import"), {"versi": versi.pk, "file": upload})
    jobs.run_worker(wait=False, install_signal_handlers=False)  # eager: it already ran after the commit
    job = JobRecord.objects.get(kind="arsip.import_klasifikasi")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobRecord.Status.SUCCEEDED, job.message
    assert job.result["created"] == 1 and job.progress_done == 1
    assert Klasifikasi.objects.filter(versi=versi, kode="000").exists()


def test_export_can_be_imported_back(db):
    services.load_reference()
    versi = services.current_versi()
    content = importing.export_file(versi, "csv")
    copy = KlasifikasiVersi.objects.create(nama="Salinan", berlaku_mulai=dt.date(2026, 1, 1))
    report = _import(copy, content)
    assert report.ok, report.errors[:3]
    assert copy.kode.count() == versi.kode.count()
    assert copy.kode.get(kode="000.8.3").nama == services.PLACEHOLDER_NAME
    xlsx = importing.export_file(versi, "xlsx")
    assert xlsx[:2] == b"PK"


# -- editing in the browser --------------------------------------------------------------------


def test_editing_the_jra_is_audited_and_marks_it_set_by_the_city(city, klasifikasi):
    code = klasifikasi["000.1.5"]
    client = login_as(Client(), city.admin)
    data = {
        "nama": code.nama,
        "retensi_aktif": 5,
        "retensi_inaktif": 10,
        "nasib_akhir": "permanen",
        "skkaad": "rahasia",
    }
    response = client.post(reverse("arsip:klasifikasi_edit", args=[code.pk]), data)
    assert response.status_code == 302
    code.refresh_from_db()
    assert (code.retensi_aktif, code.nasib_akhir, code.skkaad, code.jra_keyakinan) == (
        5,
        "permanen",
        "rahasia",
        "local",
    )
    event = AuditEvent.objects.filter(object_type="arsip.klasifikasi", object_id=str(code.pk)).latest("seq")
    assert event.action == "update" and event.changes["retensi_aktif"] == [2, 5]
    assert event.actor_username == "admin"


def test_staff_cannot_edit_the_jra(city, klasifikasi):
    client = login_as(Client(), city.staff_same)
    code = klasifikasi["000.1.5"]
    response = client.post(reverse("arsip:klasifikasi_edit", args=[code.pk]), {"nama": "X", "skkaad": "biasa"})
    assert response.status_code == 403
    code.refresh_from_db()
    assert code.nama == "Rapat Pimpinan"


def test_adding_a_code_under_a_parent_and_retiring_it(city, klasifikasi):
    client = login_as(Client(), city.admin)
    parent = klasifikasi["000"]
    response = client.post(
        reverse("arsip:klasifikasi_create") + f"?versi={parent.versi_id}",
        {"kode": "000.7", "parent": parent.pk, "nama": "Perencanaan", "skkaad": "biasa"},
    )
    assert response.status_code == 302
    code = Klasifikasi.objects.get(versi=parent.versi, kode="000.7")
    assert code.parent == parent and code.depth == 1 and code.keyakinan == Keyakinan.LOCAL
    bad = client.post(
        reverse("arsip:klasifikasi_create") + f"?versi={parent.versi_id}",
        {"kode": "100.1", "parent": parent.pk, "nama": "Salah tempat", "skkaad": "biasa"},
    )
    assert bad.status_code == 200 and "kode" in bad.context["form"].errors
    client.post(reverse("arsip:klasifikasi_retire", args=[code.pk]))
    code.refresh_from_db()
    assert not code.aktif
    assert AuditEvent.objects.filter(object_type="arsip.klasifikasi", object_id=str(code.pk), action="retire").exists()
    assert not services.current_klasifikasi().filter(pk=code.pk).exists()


def test_a_code_with_active_children_cannot_be_retired(klasifikasi):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.retire_klasifikasi(klasifikasi["000"])


def test_a_new_edition_becomes_current_and_old_naskah_keep_their_codes(city, klasifikasi, jenis):
    from terpadu.arsip.tests.conftest import make_naskah

    old_code = klasifikasi["000.1.5"]
    naskah = make_naskah(city.bidang_a, city.pegawai_same, old_code, jenis["nota_dinas"])
    baru = services.create_versi({"nama": "Perwali 2026", "berlaku_mulai": dt.date(2026, 1, 1)})
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.activate_versi(baru)  # no codes yet
    assert _import(baru, HEADER + "000,Umum,,official,,,,\n000.1.5,Rapat Dinas,000,official,1,2,musnah,biasa\n").ok
    client = login_as(Client(), city.admin)
    client.post(reverse("arsip:versi_activate", args=[baru.pk]))
    assert services.current_versi() == baru
    assert services.klasifikasi_by_kode("000.1.5").nama == "Rapat Dinas"
    naskah.refresh_from_db()
    old_code.versi.refresh_from_db()
    assert naskah.klasifikasi == old_code and old_code.versi.aktif is False
    assert KlasifikasiVersi.objects.filter(aktif=True).count() == 1


def test_the_list_shows_confidence_badges_and_the_incomplete_jra_banner(city, klasifikasi):
    client = login_as(Client(), city.staff_same)
    page = client.get(reverse("arsip:klasifikasi_list")).content.decode()
    assert 'data-banner="jra-incomplete"' in page  # 000 Umum has no JRA
    assert "unconfirmed" in page and "000.1.5" in page
    incomplete = client.get(reverse("arsip:klasifikasi_list"), {"jra_lengkap": "false"})
    assert [k.kode for k in incomplete.context["page"].object_list] == ["000"]


def test_the_picker_finds_codes_by_code_and_name(city, klasifikasi):
    client = login_as(Client(), city.staff_same)
    by_code = client.get(reverse("core:pick", args=["klasifikasi"]), {"q": "800.1"}).content.decode()
    by_name = client.get(reverse("core:pick", args=["klasifikasi"]), {"q": "rapat"}).content.decode()
    assert "Surat Perintah Dinas" in by_code and "Rapat Pimpinan" in by_name


def test_the_management_command_loads_the_reference(db):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("arsip", "load-reference", stdout=out)
    call_command("arsip", "load-reference", stdout=out)
    assert "0 new" in out.getvalue()
    assert Klasifikasi.objects.filter(kode="000").count() == 1


def test_demo_seed_is_idempotent(db):
    from terpadu.arsip import demo

    demo.seed(dt.date(2026, 1, 5))
    count = Klasifikasi.objects.count()
    demo.seed(dt.date(2026, 1, 5))
    assert Klasifikasi.objects.count() == count > 100
