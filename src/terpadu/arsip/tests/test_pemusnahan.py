"""Destruction and transfer with a berita acara: the content goes, the trace stays."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from terpadu.arsip import services
from terpadu.arsip.models import BeritaAcara, Berkas, IsiBerkas
from terpadu.arsip.tests.conftest import PDF, make_arsiparis, make_naskah
from terpadu.core.models import AuditEvent, StoredFile


def _stored(name: str, content: bytes = b"isi naskah") -> StoredFile:
    stored = StoredFile(original_name=name, content_type="application/pdf", size=len(content), sha256="a" * 64)
    stored.file.save(name, ContentFile(content), save=False)
    stored.save()
    return stored


@pytest.fixture
def rapat(klasifikasi):
    return klasifikasi["000.1.5"]


@pytest.fixture
def full_naskah(city, rapat, jenis):
    """A signed naskah with a document, a version PDF, an attachment and a disposition follow-up file."""
    from terpadu.naskah.models import Disposisi, Lampiran, LampiranTindakLanjut, NaskahVersi, PihakNaskah

    naskah = make_naskah(
        city.bidang_a,
        city.pegawai_same,
        rapat,
        jenis["nota_dinas"],
        nomor="000.1.5/12/400.1.2/2020",
        tanggal=dt.date(2020, 2, 3),
        hal="Rapat koordinasi",
        ringkasan="Ringkasan rahasia",
        teks="teks lengkap",
        isi={"kegiatan": "Rapat", "paragraf": "isi"},
        hash_sha256="b" * 64,
        penandatangan=city.pegawai_same,
        dokumen=_stored("dokumen.pdf"),
    )
    NaskahVersi.objects.create(naskah=naskah, nomor=1, konten={"hal": "x", "isi": {"p": 1}}, pdf=_stored("v1.pdf"))
    Lampiran.objects.create(naskah=naskah, file=_stored("lampiran.pdf"), judul="Lampiran")
    disposisi = Disposisi.objects.create(
        naskah=naskah,
        dari_jabatan=city.kepala_a,
        dari_pegawai=city.pegawai_same,
        kepada_jabatan=city.staff_a_jabatan,
    )
    LampiranTindakLanjut.objects.create(disposisi=disposisi, file=_stored("tl.pdf"), judul="Tindak lanjut")
    PihakNaskah.objects.create(naskah=naskah, peran=PihakNaskah.Peran.PEMBUAT, pegawai=city.pegawai_same)
    return naskah


def _due(city, naskah, freeze_today, unit=None) -> Berkas:
    """The naskah filed, its berkas closed in 2020 and moved by the clock to the destruction proposals."""
    item = services.propose_for(naskah, unit or city.bidang_a)
    services.confirm_items(None, [item])
    services.close_berkas(item.berkas, on=dt.date(2020, 3, 1))
    freeze_today(dt.date(2026, 1, 1))
    services.run_retention_clock()
    item.berkas.refresh_from_db()
    assert item.berkas.status == Berkas.Status.USUL_MUSNAH
    return item.berkas


@pytest.fixture
def disposer(city):
    make_arsiparis(city.staff_same, city.dinas_a)
    return login_as(Client(), city.staff_same)


def _ba_data(pdf_upload, **extra):
    data = {
        "jenis": "pemusnahan",
        "nomor": "BA-01/2026",
        "tanggal": "2025-12-20",
        "dasar": "Persetujuan Wali Kota 2025",
        "dokumen": pdf_upload(),
        "confirm": "on",
    }
    data.update(extra)
    return data


def test_destruction_removes_content_and_keeps_metadata_ba_and_audit(
    city, full_naskah, freeze_today, disposer, pdf_upload, django_capture_on_commit_callbacks
):
    from terpadu.naskah.models import Naskah
    from terpadu.naskah.pemusnahan import content_file_ids

    berkas = _due(city, full_naskah, freeze_today)
    file_ids = content_file_ids(full_naskah)
    paths = [f.file.name for f in StoredFile.objects.filter(pk__in=file_ids)]
    assert len(paths) == 4 and all(default_storage.exists(p) for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        response = disposer.post(reverse("arsip:ba_create"), {**_ba_data(pdf_upload), "berkas": [berkas.pk]})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    ba = BeritaAcara.objects.get()
    berkas.refresh_from_db()
    assert berkas.status == Berkas.Status.MUSNAH and list(ba.berkas.all()) == [berkas]
    assert ba.dokumen.sha256 and default_storage.exists(ba.dokumen.file.name)  # the BA itself stays
    naskah = Naskah.objects.get(pk=full_naskah.pk)
    # the content is gone ...
    assert (naskah.teks, naskah.isi, naskah.ringkasan, naskah.search_vector) == ("", {}, "", None)
    assert naskah.konten_dimusnahkan is not None
    assert not any(default_storage.exists(p) for p in paths)
    assert all(v.konten == {} for v in naskah.versi.all())
    # ... the metadata stays
    assert (naskah.nomor, naskah.hal, naskah.tanggal, naskah.hash_sha256) == (
        "000.1.5/12/400.1.2/2020",
        "Rapat koordinasi",
        dt.date(2020, 2, 3),
        "b" * 64,
    )
    assert naskah.penandatangan == city.pegawai_same and naskah.pihak.count() == 1
    kept = StoredFile.objects.filter(pk__in=file_ids)
    assert kept.count() == 4 and all(f.sha256 and f.size and f.original_name and not f.file for f in kept)
    assert IsiBerkas.objects.filter(berkas=berkas, naskah=naskah).exists()
    # ... and the audit trail says what happened, naming the berita acara and every file
    event = AuditEvent.objects.get(object_type="naskah.naskah", object_id=str(naskah.pk), action="destroy_content")
    assert event.changes["berita_acara"][1]["nomor"] == "BA-01/2026"
    assert {f["name"] for f in event.changes["files"][1]} == {"dokumen.pdf", "v1.pdf", "lampiran.pdf", "tl.pdf"}
    assert AuditEvent.objects.filter(object_type="arsip.beritaacara", object_id=str(ba.pk), action="create").exists()
    assert (
        AuditEvent.objects.filter(object_type="arsip.berkas", object_id=str(berkas.pk), action="retention").count() == 3
    )


def test_berkas_not_on_the_proposal_list_are_refused(city, rapat, full_naskah, pdf_upload):
    item = services.propose_for(full_naskah, city.bidang_a)
    with pytest.raises(ValidationError) as error:
        services.record_disposal(
            None, "pemusnahan", [item.berkas_id], _ba_data(pdf_upload, tanggal=dt.date(2025, 1, 1))
        )
    assert "berkas" in error.value.message_dict
    assert not BeritaAcara.objects.exists()


def test_a_naskah_filed_in_another_living_berkas_is_refused(city, full_naskah, freeze_today, pdf_upload):
    berkas = _due(city, full_naskah, freeze_today)
    services.propose_for(full_naskah, city.dinas_b)  # the receiving unit keeps its own copy
    with pytest.raises(ValidationError) as error:
        services.record_disposal(None, "pemusnahan", [berkas.pk], _ba_data(pdf_upload, tanggal=dt.date(2025, 1, 1)))
    assert "also filed" in str(error.value.message_dict["berkas"])
    full_naskah.refresh_from_db()
    assert full_naskah.konten_dimusnahkan is None and full_naskah.teks == "teks lengkap"


def test_a_berita_acara_without_a_valid_pdf_is_refused(city, full_naskah, freeze_today, disposer, pdf_upload):
    berkas = _due(city, full_naskah, freeze_today)
    events = AuditEvent.objects.count()
    response = disposer.post(
        reverse("arsip:ba_create"),
        {**_ba_data(pdf_upload, dokumen=pdf_upload("ba.pdf", b"%PDF-1.4 not really")), "berkas": [berkas.pk]},
    )
    assert response.status_code == 200 and "dokumen" in response.context["form"].errors
    berkas.refresh_from_db()
    assert berkas.status == Berkas.Status.USUL_MUSNAH and not BeritaAcara.objects.exists()
    assert AuditEvent.objects.count() == events


def test_transfer_keeps_the_content(city, klasifikasi, full_naskah, freeze_today, pdf_upload):
    from terpadu.naskah.models import Naskah

    permanen = services.update_klasifikasi(klasifikasi["000.1.5"], {"nasib_akhir": "permanen"})
    item = services.propose_for(full_naskah, city.bidang_a)
    services.confirm_items(None, [item])
    services.close_berkas(item.berkas, on=dt.date(2019, 1, 1))
    freeze_today(dt.date(2026, 1, 1))
    services.run_retention_clock()
    data = _ba_data(pdf_upload, tanggal=dt.date(2025, 12, 1))
    with pytest.raises(ValidationError):  # not on the destruction list
        services.record_disposal(None, "pemusnahan", [item.berkas_id], data)
    ba = services.record_disposal(
        None, "penyerahan", [item.berkas_id], _ba_data(pdf_upload, tanggal=dt.date(2025, 12, 1))
    )
    item.berkas.refresh_from_db()
    assert (
        item.berkas.status == Berkas.Status.DISERAHKAN
        and ba.jenis == "penyerahan"
        and permanen.nasib_akhir == "permanen"
    )
    assert Naskah.objects.get(pk=full_naskah.pk).konten_dimusnahkan is None


def test_destroy_content_is_idempotent(city, full_naskah, freeze_today, pdf_upload):
    from terpadu.naskah.pemusnahan import destroy_content

    berkas = _due(city, full_naskah, freeze_today)
    ba = services.record_disposal(None, "pemusnahan", [berkas.pk], _ba_data(pdf_upload, tanggal=dt.date(2025, 12, 1)))
    again = destroy_content(full_naskah, ba)
    assert again["files"] == [] and again.get("already")
    assert AuditEvent.objects.filter(object_type="naskah.naskah", action="destroy_content").count() == 1


def test_only_disposers_reach_the_berita_acara_form(city):
    client = login_as(Client(), city.pimpinan)
    assert client.get(reverse("arsip:ba_create")).status_code == 403
    assert PDF.startswith(b"%PDF")
