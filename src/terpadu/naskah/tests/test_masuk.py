"""Registration of incoming letters, delivery into inboxes and read receipts."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as, make_pegawai
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent, Notification, StoredFile
from terpadu.naskah import masuk
from terpadu.naskah.models import Lampiran, Naskah, Penerima, PihakNaskah
from terpadu.naskah.tests.test_masuk_support import encrypted_pdf_bytes, incoming, reference_data, upload


@pytest.fixture
def pencatat(city):
    """A registrar (pencatat-surat) of Dinas Alfa."""
    from terpadu.accounts import services as accounts
    from terpadu.accounts.models import Role
    from terpadu.organisasi import services as org

    with acting(None, via="command"):
        jabatan = org.create_jabatan(
            {"unit": city.dinas_a, "kode": "PU", "nama": "Pengadministrasi Umum", "jenis": "pelaksana"}
        )
        pegawai = make_pegawai(org, "Pencatat Alfa", jabatan)
        user = accounts.create_user("pencatat.alfa", "Rahasia-Uji-12345", pegawai=pegawai)
        accounts.assign_role(user, Role.objects.get(code="pencatat-surat"), city.dinas_a)
    return user


def _data(city, **extra):
    jenis, klasifikasi, _instruksi = reference_data()
    data = {
        "unit": city.dinas_a,
        "nomor": "005/123/Bappeda/2026",
        "tanggal": timezone.localdate() - dt.timedelta(days=2),
        "asal_instansi": "Pemerintah Provinsi Jawa Timur",
        "asal_nama": "Kepala Bappeda Provinsi",
        "hal": "Undangan rapat koordinasi",
        "ringkasan": "Rapat hari Senin",
        "jenis": jenis,
        "klasifikasi": klasifikasi,
        "sifat": "biasa",
        "urgensi": "segera",
    }
    data.update(extra)
    return data


def _register(user, city, dokumen=None, lampiran=(), **extra):
    with acting(user, via="web"):
        return masuk.register_incoming(user, _data(city, **extra), dokumen or upload(), lampiran)


def test_registration_records_delivers_and_notifies(city, pencatat):
    naskah = _register(pencatat, city, lampiran=[upload("lampiran.pdf")])

    assert (naskah.arah, naskah.status, naskah.unit) == ("masuk", "diterima", city.dinas_a)
    assert masuk.agenda_label(naskah) == f"1/{timezone.localdate().year}"
    assert naskah.dokumen is not None and naskah.hash_sha256 == naskah.dokumen.sha256
    assert Lampiran.objects.filter(naskah=naskah).count() == 1
    penerima = naskah.penerima.get()
    assert (penerima.jabatan, penerima.peran) == (city.kepala_a, "tujuan")  # default: the unit's head
    assert penerima.terkirim is not None and penerima.dibaca is None
    parties = set(PihakNaskah.objects.filter(naskah=naskah).values_list("peran", "jabatan_id", "pegawai_id"))
    assert ("pencatat", None, pencatat.pegawai_id) in parties
    assert ("tujuan", city.kepala_a.pk, None) in parties
    assert Notification.objects.filter(recipient=city.pimpinan, verb="naskah.masuk").count() == 1
    assert AuditEvent.objects.filter(object_id=str(naskah.pk), action="register").exists()


def test_registration_with_tembusan_and_a_long_sender_number(city, pencatat):
    nomor = "X" * 255
    naskah = _register(pencatat, city, nomor=nomor, tujuan=[city.kabid_a], tembusan=[city.kepala_a])
    assert naskah.nomor == nomor
    assert set(naskah.penerima.values_list("jabatan_id", "peran")) == {
        (city.kabid_a.pk, "tujuan"),
        (city.kepala_a.pk, "tembusan"),
    }


def test_agenda_numbers_are_consecutive_per_unit_and_year(city, pencatat):
    from terpadu.organisasi.models import UnitKerja

    numbers = [_register(pencatat, city, nomor=f"00{i}").nomor_agenda for i in range(3)]
    assert numbers == [1, 2, 3]
    # another unit has its own book
    with acting(None, via="command"):
        other = masuk.next_agenda(UnitKerja.objects.get(pk=city.dinas_b.pk), timezone.localdate().year)
        next_year = masuk.next_agenda(city.dinas_a, timezone.localdate().year + 1)
    assert (other, next_year) == (1, 1)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.4 this is not really a pdf", "not a valid PDF"),
        (encrypted_pdf_bytes(), "encrypted"),
        (b"", "empty"),
    ],
)
def test_a_bad_document_writes_nothing(city, pencatat, data, message):
    before = (Naskah.objects.count(), StoredFile.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        _register(pencatat, city, dokumen=SimpleUploadedFile("surat.pdf", data))
    assert message in " ".join(caught.value.message_dict["dokumen"])
    assert (Naskah.objects.count(), StoredFile.objects.count(), AuditEvent.objects.count()) == before


def test_an_oversized_document_is_refused_with_a_clear_message(city, pencatat, settings):
    settings.UPLOAD_MAX_BYTES = 100  # the test PDF is a few hundred bytes
    with pytest.raises(ValidationError) as caught:
        _register(pencatat, city)
    assert "limit" in " ".join(caught.value.message_dict["dokumen"])
    assert not Naskah.objects.exists()


def test_duplicate_warning_then_confirmed(city, pencatat):
    first = _register(pencatat, city)
    with pytest.raises(masuk.DuplicateWarning) as caught:
        _register(pencatat, city)
    assert caught.value.duplicates == [first]
    assert "1/" in caught.value.messages[0]
    with acting(pencatat, via="web"):
        second = masuk.register_incoming(pencatat, _data(city), upload(), allow_duplicate=True)
    assert second.nomor_agenda == 2
    # the same letter in another OPD's book is no duplicate (a circular reaches every OPD)
    assert not masuk.duplicates_of(city.dinas_b, first.asal_instansi, first.nomor).exists()


def test_only_a_registrar_of_the_unit_may_register(city, pencatat):
    with pytest.raises(PermissionDenied):
        _register(city.staff_same, city)
    with pytest.raises(PermissionDenied):
        _register(pencatat, city, unit=city.dinas_b)
    with pytest.raises(ValidationError) as caught:
        _register(pencatat, city, tanggal=timezone.localdate() + dt.timedelta(days=3))
    assert "tanggal" in caught.value.message_dict


def test_registration_page(client, city, pencatat):
    login_as(client, pencatat)
    url = reverse("naskah:register")
    assert client.get(url).status_code == 200
    jenis, klasifikasi, _instruksi = reference_data()
    form = {
        "unit": city.dinas_a.pk,
        "nomor": "800/9/2026",
        "tanggal": "2026-01-05",
        "asal_instansi": "Kementerian Dalam Negeri",
        "hal": "Surat edaran",
        "jenis": jenis.pk,
        "klasifikasi": klasifikasi.pk,
        "sifat": "biasa",
        "urgensi": "biasa",
        "tujuan": [city.kepala_a.pk],
    }
    response = client.post(url, {**form, "dokumen": upload()})
    assert response.status_code == 302
    naskah = Naskah.objects.get(arah="masuk")
    assert naskah.nomor_agenda == 1
    again = client.post(url, {**form, "dokumen": upload()})
    assert again.status_code == 200 and b"data-duplicates" in again.content
    assert Naskah.objects.count() == 1
    bad = client.post(url, {**form, "nomor": "other", "dokumen": SimpleUploadedFile("x.pdf", encrypted_pdf_bytes())})
    assert bad.status_code == 200 and b'id="id_dokumen_error"' in bad.content
    confirmed = client.post(url, {**form, "dokumen": upload(), "konfirmasi_duplikat": "on"})
    assert confirmed.status_code == 302 and Naskah.objects.count() == 2
    book = client.get(reverse("naskah:agenda"))
    assert book.status_code == 200 and book.content.count(b"Surat edaran") == 2


def test_registration_page_refuses_addressees_outside_the_unit(client, city, pencatat):
    login_as(client, pencatat)
    jenis, klasifikasi, _instruksi = reference_data()
    response = client.post(
        reverse("naskah:register"),
        {
            "unit": city.dinas_a.pk,
            "nomor": "1",
            "tanggal": "2026-01-05",
            "asal_instansi": "X",
            "hal": "Y",
            "jenis": jenis.pk,
            "klasifikasi": klasifikasi.pk,
            "sifat": "biasa",
            "urgensi": "biasa",
            "tujuan": [city.kepala_b.pk],
            "dokumen": upload(),
        },
    )
    assert response.status_code == 200  # Kepala Dinas Beta is not even a choice for this registrar
    assert not Naskah.objects.exists()


# -- delivery and read receipts ------------------------------------------------------------------


def test_deliver_to_a_unit_resolves_its_head_and_is_idempotent(city):
    from terpadu.naskah.tests.test_masuk_support import outgoing

    naskah = outgoing(city, status="terkirim")
    penerima = Penerima.objects.create(naskah=naskah, unit=city.dinas_b)
    with acting(None, via="command"):
        masuk.deliver_internal(naskah, penerima)
        penerima.refresh_from_db()
        first = penerima.terkirim
        masuk.deliver_internal(naskah, penerima)
    penerima.refresh_from_db()
    assert penerima.jabatan == city.kepala_b and penerima.terkirim == first
    assert PihakNaskah.objects.filter(naskah=naskah, jabatan=city.kepala_b, peran="tujuan").count() == 1
    kepala_b_users = Notification.objects.filter(verb="naskah.masuk", recipient__pegawai__jabatan=city.kepala_b)
    assert kepala_b_users.count() == 0  # Kepala Beta has no user account in the test city
    assert Notification.objects.filter(verb="naskah.masuk").count() == 0


def test_delivery_notifies_the_plt_holder(city):
    from terpadu.organisasi import services as org

    today = timezone.localdate()
    with acting(None, via="command"):
        org.assign_acting(city.pegawai_same, city.kabid_a, "plt", today - dt.timedelta(days=1), today, "800/1")
        incoming(city, tujuan=[city.kabid_a])
    assert Notification.objects.filter(recipient=city.staff_same, verb="naskah.masuk").count() == 1


def test_mark_read_records_the_first_reader_per_recipient(city):
    with acting(None, via="command"):
        naskah = incoming(city, tujuan=[city.kepala_a], tembusan=[city.staff_a_jabatan])
        masuk.mark_read(naskah, city.staff_other)  # not a recipient: nothing happens
        masuk.mark_read(naskah, city.pimpinan)
        first = Penerima.objects.get(naskah=naskah, jabatan=city.kepala_a).dibaca
        masuk.mark_read(naskah, city.pimpinan)
    tujuan = Penerima.objects.get(naskah=naskah, jabatan=city.kepala_a)
    tembusan = Penerima.objects.get(naskah=naskah, jabatan=city.staff_a_jabatan)
    assert tujuan.dibaca == first and tujuan.dibaca_oleh == city.pimpinan.pegawai
    assert tembusan.dibaca is None


def test_registration_publishes_the_received_event(city, pencatat):
    from terpadu.core import events

    seen = []
    events.subscribe("naskah.diterima")(lambda name, payload: seen.append(payload))
    try:
        with pytest.MonkeyPatch.context():
            from django.test import TestCase

            with TestCase.captureOnCommitCallbacks(execute=True):
                naskah = _register(pencatat, city)
    finally:
        events._subscribers["naskah.diterima"] = [
            s for s in events._subscribers["naskah.diterima"] if "lambda" not in s.name
        ]
    assert {"naskah_id": naskah.pk} in seen
