# ruff: noqa: F811  (pytest fixtures imported from test_keluar_fixtures)
"""Outgoing naskah: draft → paraf → sign → number → send, with every refusal."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from terpadu.naskah import services
from terpadu.naskah.models import Naskah, PihakNaskah, UrutanNomor, Verifikasi
from terpadu.naskah.tests.test_keluar_fixtures import (  # noqa: F401  (fixtures)
    PASSPHRASE,
    a_pdf,
    ca,
    draft_input,
    keluar,
    make_draft,
    sign,
    signed,
    stored_bytes,
    to_ready,
)

pytestmark = pytest.mark.django_db


# -- draft and versions ----------------------------------------------------------------------------


def test_a_draft_gets_its_unit_parties_default_chain_and_first_version(keluar):
    naskah = make_draft(keluar)

    assert naskah.status == Naskah.Status.DRAF
    assert naskah.unit == keluar.city.dinas_a  # the signing position's unit
    assert naskah.pembuat == keluar.drafter.pegawai
    peran = set(naskah.pihak.values_list("peran", flat=True))
    assert {PihakNaskah.Peran.PEMBUAT, PihakNaskah.Peran.PENANDATANGAN} <= peran
    assert PihakNaskah.Peran.TUJUAN not in peran  # addressees become parties only when it is sent
    assert [v.jabatan for v in services.planned_chain(naskah)] == [keluar.city.kabid_a]
    versi = naskah.versi.get()
    assert versi.nomor == 1 and versi.konten["hal"] == "Undangan rapat koordinasi"
    assert versi.pdf is not None and stored_bytes(versi.pdf).startswith(b"%PDF")
    assert naskah.penerima.count() == 3


def test_every_edit_keeps_a_new_version_and_versions_compare_word_by_word(keluar):
    naskah = make_draft(keluar)
    services.update_draft(naskah, keluar.drafter, services.DraftInput(data={"hal": "Undangan rapat evaluasi"}))

    first, second = naskah.versi.order_by("nomor")
    assert first.konten["hal"] == "Undangan rapat koordinasi"  # never changed
    assert second.konten["hal"] == "Undangan rapat evaluasi"
    rows = {row["field"]: row for row in services.compare_versions(first, second)}
    assert rows["hal"]["changed"] and not rows["ringkasan"]["changed"]
    assert ("-", "koordinasi") in rows["hal"]["words"] and ("+", "evaluasi") in rows["hal"]["words"]


def test_only_the_drafter_edits_and_only_while_it_is_a_draft(keluar):
    naskah = make_draft(keluar)
    with pytest.raises(PermissionDenied):
        services.update_draft(naskah, keluar.kabid, services.DraftInput(data={"hal": "x"}))
    services.submit(naskah, keluar.drafter)
    with pytest.raises(ValidationError):
        services.update_draft(naskah, keluar.drafter, services.DraftInput(data={"hal": "x"}))
    assert naskah.versi.count() == 1


def test_a_draft_needs_an_addressee_and_a_signer(keluar):
    with pytest.raises(ValidationError):
        make_draft(keluar, penerima=[{"peran": "tembusan", "jabatan": keluar.city.kepala_b}])
    with pytest.raises(ValidationError):
        make_draft(keluar, penandatangan_jabatan=None)
    assert not Naskah.objects.exists()


def test_an_rejected_attachment_writes_nothing(keluar):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from terpadu.core import files

    draft = draft_input(keluar)
    draft.lampiran = [(SimpleUploadedFile("x.pdf", b"%PDF-1.4 broken"), "Rusak")]
    with pytest.raises(files.UploadRejected):
        services.create_draft(keluar.drafter, draft)
    assert not Naskah.objects.exists()


# -- verification chain ----------------------------------------------------------------------------


def test_submit_then_paraf_in_turn_then_ready_to_sign(keluar):
    naskah = services.submit(make_draft(keluar), keluar.drafter)
    assert naskah.status == Naskah.Status.VERIFIKASI
    assert naskah.pihak.filter(peran=PihakNaskah.Peran.VERIFIKATOR, jabatan=keluar.city.kabid_a).exists()

    for outsider in (keluar.city.staff_other, keluar.signer, keluar.drafter):  # not the step's holder
        with pytest.raises(PermissionDenied):
            services.approve(naskah, outsider)
    naskah = services.approve(naskah, keluar.kabid, "OK")
    assert naskah.status == Naskah.Status.SIAP_TTD
    step = naskah.verifikasi.get()
    assert step.status == Verifikasi.Status.DISETUJUI and step.pegawai == keluar.kabid.pegawai
    with pytest.raises(ValidationError):  # no turn any more
        services.approve(naskah, keluar.kabid)


def test_a_return_goes_back_to_the_drafter_and_resubmission_opens_a_new_round(keluar):
    naskah = services.submit(make_draft(keluar), keluar.drafter)
    with pytest.raises(ValidationError):
        services.return_to_drafter(naskah, keluar.kabid, "")  # notes are required
    naskah = services.return_to_drafter(naskah, keluar.kabid, "Perbaiki tanggal rapat")
    assert naskah.status == Naskah.Status.DIKEMBALIKAN

    services.update_draft(naskah, keluar.drafter, services.DraftInput(data={"ringkasan": "Tanggal diperbaiki."}))
    naskah = services.submit(naskah, keluar.drafter)
    assert naskah.status == Naskah.Status.VERIFIKASI
    assert services.current_round(naskah) == 2
    assert naskah.verifikasi.filter(putaran=1, status=Verifikasi.Status.DIKEMBALIKAN).exists()
    assert services.current_step(naskah).versi.nomor == 2  # the new round verifies the new version
    naskah = services.approve(naskah, keluar.kabid)
    assert naskah.status == Naskah.Status.SIAP_TTD


def test_the_chain_is_editable_before_submission_only(keluar):
    naskah = make_draft(keluar)
    services.set_chain(naskah, keluar.drafter, [])
    assert services.planned_chain(naskah) == []
    naskah = services.submit(naskah, keluar.drafter)
    assert naskah.status == Naskah.Status.SIAP_TTD  # no verifier: straight to the signer
    with pytest.raises(ValidationError):
        services.set_chain(naskah, keluar.drafter, [keluar.city.kabid_a])


def test_a_plt_of_the_steps_position_may_give_the_paraf(keluar, today):
    from terpadu.core.context import acting
    from terpadu.organisasi import services as org

    naskah = services.submit(make_draft(keluar), keluar.drafter)
    with acting(None, via="command"):
        org.assign_acting(keluar.city.pegawai_other, keluar.city.kabid_a, "plh", today, today)
    services.forget_positions(keluar.city.staff_other)
    naskah = services.approve(naskah, keluar.city.staff_other)
    assert naskah.status == Naskah.Status.SIAP_TTD


# -- signing ---------------------------------------------------------------------------------------


def test_signing_is_refused_without_2fa_without_the_right_or_in_the_wrong_status(keluar, ca):
    naskah = services.submit(make_draft(keluar), keluar.drafter)
    with pytest.raises(services.SignFailed) as wrong_status:
        sign(keluar, naskah)
    assert wrong_status.value.error_code == "wrong_status"
    naskah = services.approve(naskah, keluar.kabid)
    with pytest.raises(services.SignFailed) as no_otp:
        sign(keluar, naskah, otp=False)
    assert no_otp.value.error_code == "otp_required"
    with pytest.raises(services.SignFailed) as not_signer:
        sign(keluar, naskah, user=keluar.kabid)
    assert not_signer.value.error_code == "not_signer"
    naskah.refresh_from_db()
    assert naskah.status == Naskah.Status.SIAP_TTD and naskah.nomor == ""


def test_signing_numbers_renders_signs_and_stores_the_document(keluar, ca, django_capture_on_commit_callbacks):
    naskah = to_ready(keluar, make_draft(keluar))
    received = []
    from terpadu.core import events

    events.subscribe("naskah.ditandatangani")(lambda name, payload: received.append(payload))
    with django_capture_on_commit_callbacks(execute=True):
        naskah = sign(keluar, naskah)

    assert naskah.status == Naskah.Status.DITANDATANGANI
    assert naskah.nomor and naskah.nomor_urut == 1 and naskah.tanggal is not None
    assert naskah.penandatangan == keluar.signer.pegawai and naskah.ditandatangani is not None
    assert naskah.penandatangan_label.startswith("Kepala Dinas Alfa")
    data = stored_bytes(naskah.dokumen)
    assert hashlib.sha256(data).hexdigest() == naskah.hash_sha256
    report = ca.validate_pdf(data)
    assert report.valid, report.message
    assert {"naskah_id": naskah.pk, "pegawai_id": keluar.signer.pegawai_id} in received
    assert naskah.pihak.filter(peran=PihakNaskah.Peran.PENANDATANGAN, pegawai=keluar.signer.pegawai).exists()


def test_a_failed_signature_uses_no_number_and_changes_nothing(keluar, ca, monkeypatch):
    first = to_ready(keluar, make_draft(keluar))
    with pytest.raises(services.SignFailed) as failure:
        sign(keluar, first, passphrase="salah-sama-sekali")
    assert failure.value.error_code == "wrong_passphrase"

    def broken_render(*args, **kwargs):
        raise RuntimeError("template error")

    monkeypatch.setattr(services, "_render_final", broken_render)
    with pytest.raises(services.SignFailed) as render_failure:
        sign(keluar, first)
    assert render_failure.value.error_code == "render_failed"
    monkeypatch.undo()

    first.refresh_from_db()
    assert (first.status, first.nomor, first.nomor_urut, first.dokumen_id) == (Naskah.Status.SIAP_TTD, "", None, None)
    assert not UrutanNomor.objects.filter(terakhir__gt=0).exists()
    first = sign(keluar, first)
    assert first.nomor_urut == 1  # the number the failed attempts would have had


def test_the_signature_block_snapshots_an_and_plh(keluar, ca, today):
    from terpadu.core.context import acting
    from terpadu.organisasi import services as org

    naskah = make_draft(keluar, atas_nama="an", atas_nama_jabatan=keluar.city.kepala_a)
    naskah = services.update_draft(
        naskah,
        keluar.drafter,
        services.DraftInput(data={"penandatangan_jabatan": keluar.city.kabid_a}, verifikator=[]),
    )
    naskah = services.submit(naskah, keluar.drafter)
    naskah = sign(keluar, naskah, user=keluar.kabid)
    assert naskah.penandatangan_label.splitlines()[0].startswith("a.n.")
    assert "Kepala Dinas Alfa" in naskah.penandatangan_label.splitlines()[0]

    with acting(None, via="command"):
        org.assign_acting(keluar.kabid.pegawai, keluar.city.kepala_a, "plh", today, today)
    services.forget_positions(keluar.kabid)
    plh = services.submit(make_draft(keluar, verifikator=[]), keluar.drafter)
    plh = sign(keluar, plh, user=keluar.kabid)
    assert plh.penandatangan_label.startswith("Plh. Kepala Dinas Alfa")
    assert plh.penandatangan == keluar.kabid.pegawai


def test_an_uploaded_pdf_gets_its_number_stamped(keluar, ca):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfReader

    draft = draft_input(keluar, sumber="unggah", verifikator=[])
    draft.dokumen = SimpleUploadedFile("surat.pdf", a_pdf())
    naskah = services.create_draft(keluar.drafter, draft)
    assert naskah.sumber == Naskah.Sumber.UNGGAH
    naskah = sign(keluar, naskah)
    import io

    text = PdfReader(io.BytesIO(stored_bytes(naskah.dokumen))).pages[0].extract_text()
    assert naskah.nomor in text


# -- sending ---------------------------------------------------------------------------------------


def test_send_delivers_inside_and_mails_outside(keluar, ca, django_capture_on_commit_callbacks):
    from terpadu.core import notifications
    from terpadu.core.models import OutgoingEmail
    from terpadu.naskah.models import Penerima

    naskah = signed(keluar)
    with pytest.raises(PermissionDenied):
        services.send(naskah, keluar.city.staff_other)
    with django_capture_on_commit_callbacks(execute=True):
        naskah = services.send(naskah, keluar.signer)
    assert naskah.status == Naskah.Status.TERKIRIM

    internal = naskah.penerima.filter(email="")
    assert internal.count() == 2 and all(p.terkirim for p in internal)
    assert internal.get(peran="tembusan").jabatan == keluar.city.kepala_b  # a unit goes to its head
    assert naskah.pihak.filter(peran=PihakNaskah.Peran.TUJUAN, jabatan=keluar.city.kepala_b).exists()

    external = naskah.penerima.get(email="bps@example.test")
    email = OutgoingEmail.objects.get(pk=external.surel_id)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_email(email_id=email.pk)  # what the job does (eager on SQLite, a worker on PostgreSQL)
    assert email.attachments == [naskah.dokumen_id]
    assert f"/v/{naskah.kode_verifikasi}/" in email.body
    external.refresh_from_db()
    assert external.surel == Penerima.Surel.TERKIRIM  # the e-mail job's outcome is mirrored on the recipient
    assert email.__class__.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
    from django.core import mail

    sent = [m for m in mail.outbox if "bps@example.test" in m.to]
    assert sent and sent[0].attachments and sent[0].attachments[0][1].startswith(b"%PDF")


def test_only_a_signed_naskah_is_sent(keluar):
    naskah = make_draft(keluar)
    with pytest.raises(ValidationError):
        services.send(naskah, keluar.signer)


def test_opening_the_detail_page_as_recipient_is_the_read_receipt(keluar, ca, client):
    from conftest import login_as

    naskah = services.send(signed(keluar), keluar.signer)
    login_as(client, keluar.kepala_beta)
    response = client.get(f"/naskah/{naskah.pk}/")
    assert response.status_code == 200
    addressee = naskah.penerima.get(peran="tujuan", jabatan=keluar.city.kepala_b)
    assert addressee.dibaca is not None and addressee.dibaca_oleh == keluar.kepala_beta.pegawai


def test_a_failed_e_mail_is_marked_on_its_recipient(keluar):
    from terpadu.core.models import OutgoingEmail
    from terpadu.naskah.models import Penerima

    naskah = make_draft(keluar)
    external = naskah.penerima.get(email="bps@example.test")
    Penerima.objects.filter(pk=external.pk).update(surel=Penerima.Surel.ANTRE, surel_id=4242)
    assert services.email_status_changed(4242, OutgoingEmail.Status.PENDING) == 0
    assert services.email_status_changed(4242, OutgoingEmail.Status.FAILED) == 1
    external.refresh_from_db()
    assert external.surel == Penerima.Surel.GAGAL and external.terkirim is None
