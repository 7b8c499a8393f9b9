"""The signing interface with the own-CA and PKCS#12 backends, and validation."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.utils import timezone
from pypdf import PdfReader

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.tte import services
from terpadu.tte.models import SertifikatPenandatangan
from terpadu.tte.services import SigningError, Stamp
from terpadu.tte.tests import pdfs
from terpadu.tte.tests.conftest import P12_PASSWORD, PASSPHRASE, make_p12, store_ca_cert

QR_URL = "https://terpadu.example.go.id/v/ABCD1234/"


def _stamp(page: int = -1) -> Stamp:
    return Stamp(page, (350, 60, 560, 140), QR_URL, ["Ditandatangani secara elektronik oleh", "Kepala Alfa", "NIP x"])


def _sign(pdf, pegawai, backend="ca", passphrase=PASSPHRASE, stamp=None, credential_id=None):
    return services.sign_pdf(
        pdf,
        pegawai=pegawai,
        backend=backend,
        passphrase=passphrase,
        stamp=stamp,
        reason="Menyetujui",
        location="Kota Uji",
        credential_id=credential_id,
    )


def test_enrolled_certificate_names_the_pegawai_and_is_for_signing(enrolled, signer, city):
    cert = x509.load_pem_x509_certificate(enrolled.sertifikat_pem.encode())
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == signer.nama_lengkap
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == signer.nip
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == city.pemda.nama
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == signer.unit.nama
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    days = (cert.not_valid_after_utc - cert.not_valid_before_utc).days
    assert 729 <= days <= 731
    assert b"ENCRYPTED PRIVATE KEY" in bytes(enrolled.kunci_terenkripsi)


def test_ca_backend_signs_a_visible_pades_signature_that_validates(enrolled, signer, letter_pdf):
    signed = _sign(letter_pdf, signer, stamp=_stamp())
    assert signed.backend == "ca" and signed.certificate_serial == enrolled.serial
    assert signed.data.startswith(letter_pdf)  # an incremental update: the original bytes are untouched
    report = services.validate_pdf(signed.data)
    assert report.valid, report.message
    (info,) = report.signatures
    assert info.signer == signer.nama_lengkap
    assert info.intact and info.trusted and info.covers_whole_document
    assert info.reason == "Menyetujui" and info.location == "Kota Uji"
    assert info.backend == "ca"
    assert abs((info.signed_at - timezone.now()).total_seconds()) < 120


def test_the_stamp_carries_the_qr_link_and_sits_in_the_box(enrolled, signer):
    signed = _sign(pdfs.letter(pages=2), signer, stamp=_stamp(page=-1))
    reader = PdfReader(io.BytesIO(signed.data))
    last = reader.pages[-1]
    annots = [a.get_object() for a in last.get("/Annots", [])]
    widget = next(a for a in annots if a.get("/FT") == "/Sig")
    assert [round(float(v)) for v in widget["/Rect"]] == [350, 60, 560, 140]
    assert widget["/A"]["/URI"] == QR_URL  # the stamp opens the verification page
    appearance = widget["/AP"]["/N"].get_object()
    content = _all_content(appearance)
    # The QR code is drawn as many small filled squares; the text lines are in the same appearance.
    assert content.count(b" re") > 100
    assert b"Ditandatangani" in content or b"Ditandatangani".hex().encode() in content.lower()
    assert not reader.pages[0].get("/Annots")  # page 1 is untouched


def _all_content(xobject) -> bytes:
    data = xobject.get_data()
    resources = xobject.get("/Resources", {})
    for inner in (resources.get("/XObject") or {}).values():
        data += _all_content(inner.get_object())
    return data


def test_invisible_signature_and_second_signature_keep_the_first_valid(enrolled, signer, letter_pdf):
    first = _sign(letter_pdf, signer).data
    second = _sign(first, signer, stamp=_stamp()).data
    report = services.validate_pdf(second)
    assert report.valid, report.message
    assert [s.covers_whole_document for s in report.signatures] == [False, True]
    assert all(s.intact for s in report.signatures)


def test_pdfa_input_is_signed_incrementally(enrolled, signer):
    source = pdfs.letter(pdf_variant="pdf/a-3b")
    signed = _sign(source, signer, stamp=_stamp()).data
    assert signed[: len(source)] == source
    root = PdfReader(io.BytesIO(signed)).trailer["/Root"]
    assert "/OutputIntents" in root and "/Metadata" in root  # the PDF/A parts are still referenced
    assert b"pdfaid" in root["/Metadata"].get_object().get_data()
    assert services.validate_pdf(signed).valid


def test_wrong_passphrase(enrolled, signer, letter_pdf):
    with pytest.raises(SigningError) as caught:
        _sign(letter_pdf, signer, passphrase="bukan-ini-kuncinya")
    assert caught.value.code == "wrong_passphrase"


def test_no_certificate(ca, signer, letter_pdf):
    with pytest.raises(SigningError) as caught:
        _sign(letter_pdf, signer)
    assert caught.value.code == "no_certificate"


def test_expired_and_not_yet_valid_certificates_are_refused(ca, signer, letter_pdf):
    now = timezone.now()
    expired = store_ca_cert(signer, PASSPHRASE, now - dt.timedelta(days=800), now - dt.timedelta(days=1))
    with pytest.raises(SigningError) as caught:
        _sign(letter_pdf, signer)
    assert caught.value.code == "certificate_expired"
    future = store_ca_cert(signer, PASSPHRASE, now + dt.timedelta(days=2), now + dt.timedelta(days=30))
    with pytest.raises(SigningError) as caught:
        _sign(letter_pdf, signer, credential_id=future.pk)
    assert caught.value.code == "certificate_not_yet_valid"
    assert expired.pk != future.pk


def test_revoked_certificate_is_refused_and_old_signatures_stay_valid(enrolled, signer, letter_pdf):
    signed = _sign(letter_pdf, signer).data
    with acting(signer.user, via="web"):
        services.revoke(enrolled, "kunci hilang")
    with pytest.raises(SigningError) as caught:
        _sign(letter_pdf, signer)
    assert caught.value.code == "certificate_revoked"
    assert services.validate_pdf(signed).valid


def test_someone_without_tte_enrol_cannot_enrol_or_sign(ca, city, letter_pdf):
    with pytest.raises(SigningError) as caught:
        services.enrol(city.pegawai_same, PASSPHRASE)
    assert caught.value.code == "not_allowed"
    with pytest.raises(SigningError):
        _sign(letter_pdf, city.pegawai_same)
    assert services.signing_options(city.pegawai_same) == []


@pytest.mark.parametrize(
    "document, code",
    [(pdfs.encrypted, "encrypted_pdf"), (lambda: pdfs.GARBAGE, "invalid_pdf"), (lambda: pdfs.NOT_A_PDF, "invalid_pdf")],
)
def test_bad_pdfs_are_refused_before_signing(enrolled, signer, document, code):
    with pytest.raises(SigningError) as caught:
        _sign(document(), signer)
    assert caught.value.code == code
    assert caught.value.message


def test_stamp_on_a_page_that_does_not_exist(enrolled, signer, letter_pdf):
    with pytest.raises(SigningError) as caught:
        _sign(letter_pdf, signer, stamp=_stamp(page=5))
    assert caught.value.code == "invalid_pdf"


def test_signing_writes_nothing_to_the_database(enrolled, signer, letter_pdf):
    events = AuditEvent.objects.count()
    certs = list(SertifikatPenandatangan.objects.values())
    _sign(letter_pdf, signer, stamp=_stamp())
    with pytest.raises(SigningError):
        _sign(letter_pdf, signer, passphrase="salah-salah-salah")
    assert AuditEvent.objects.count() == events
    assert list(SertifikatPenandatangan.objects.values()) == certs


def test_passphrase_is_never_stored_or_logged(ca, signer, letter_pdf, caplog):
    caplog.set_level(logging.DEBUG)
    with acting(signer.user, via="web"):
        cert = services.enrol(signer, PASSPHRASE)
        services.renew(cert, PASSPHRASE)
        blob, _root = make_p12()
        services.upload_pkcs12(signer, blob, P12_PASSWORD)
    _sign(letter_pdf, signer)
    _sign(letter_pdf, signer, backend="pkcs12", passphrase=P12_PASSWORD)
    with pytest.raises(SigningError):
        _sign(letter_pdf, signer, passphrase=PASSPHRASE + "x")
    for secret in (PASSPHRASE, P12_PASSWORD):
        for event in AuditEvent.objects.all():
            assert secret not in str(event.changes) and secret not in event.object_repr
        assert secret not in caplog.text
        for row in SertifikatPenandatangan.objects.all():
            assert secret.encode() not in bytes(row.kunci_terenkripsi)
            assert secret not in row.subjek + row.alasan_pencabutan
    assert caplog.records  # the outcomes were logged, without the secrets


def test_pkcs12_upload_and_sign_trusted_only_with_its_root(ca_settings, ca, signer, letter_pdf, tmp_path):
    blob, foreign_root = make_p12()
    with acting(signer.user, via="web"):
        cert = services.upload_pkcs12(signer, blob, P12_PASSWORD)
    assert bytes(cert.kunci_terenkripsi) == blob and cert.backend == "pkcs12"
    assert "Pejabat Uji" in cert.subjek
    signed = _sign(letter_pdf, signer, backend="pkcs12", passphrase=P12_PASSWORD, stamp=_stamp()).data
    untrusted = services.validate_pdf(signed)
    assert not untrusted.valid and untrusted.signatures[0].intact and not untrusted.signatures[0].trusted
    roots = tmp_path / "roots.pem"
    roots.write_text(services.crypto.cert_pem(foreign_root))
    ca_settings.TERPADU_TTE_TRUST_ROOTS_FILE = str(roots)
    trusted = services.validate_pdf(signed)
    assert trusted.valid and trusted.signatures[0].backend == "pkcs12"


def test_pkcs12_wrong_password_expired_or_not_a_p12_is_refused_at_upload(ca, signer):
    blob, _root = make_p12()
    with pytest.raises(SigningError) as caught:
        services.upload_pkcs12(signer, blob, "salah")
    assert caught.value.code == "wrong_passphrase"
    old, _root = make_p12(days_from=-400, days_to=-1)
    with pytest.raises(SigningError) as caught:
        services.upload_pkcs12(signer, old, P12_PASSWORD)
    assert caught.value.code == "certificate_expired"
    with pytest.raises(SigningError) as caught:
        services.upload_pkcs12(signer, b"not a p12 file at all", P12_PASSWORD)
    assert caught.value.code == "invalid_pkcs12"
    assert not SertifikatPenandatangan.objects.exists()


def test_pkcs12_wrong_password_at_signing(ca, signer, letter_pdf):
    blob, _root = make_p12()
    with acting(signer.user, via="web"):
        services.upload_pkcs12(signer, blob, P12_PASSWORD)
    with pytest.raises(SigningError) as caught:
        _sign(letter_pdf, signer, backend="pkcs12", passphrase="salah")
    assert caught.value.code == "wrong_passphrase"


def test_tampered_file_is_reported_modified(enrolled, signer, letter_pdf):
    signed = bytearray(_sign(letter_pdf, signer).data)
    index = signed.find(b"Surat uji")
    if index < 0:  # compressed content: flip a byte inside the signed range of the original instead
        index = len(letter_pdf) // 2
    signed[index] ^= 0x01
    report = services.validate_pdf(bytes(signed))
    assert not report.valid
    assert report.signatures == [] or not report.signatures[0].intact


def test_a_signature_added_outside_the_pdf_is_reported(enrolled, signer, letter_pdf):
    signed = _sign(letter_pdf, signer).data + b"\n% appended after signing\n"
    report = services.validate_pdf(signed)
    assert not report.valid
    assert not report.signatures[0].covers_whole_document


def test_unsigned_and_unreadable_pdfs_validate_as_invalid_with_a_message(ca, letter_pdf):
    for document in (letter_pdf, pdfs.GARBAGE, pdfs.encrypted()):
        report = services.validate_pdf(document)
        assert not report.valid and report.message and report.signatures == []


def test_renew_issues_a_new_certificate_for_the_same_key(enrolled, signer, letter_pdf):
    with acting(signer.user, via="web"):
        with pytest.raises(SigningError):
            services.renew(enrolled, "salah-salah-salah")
        new = services.renew(enrolled, PASSPHRASE)
    enrolled.refresh_from_db()
    assert not enrolled.aktif and new.aktif and new.serial != enrolled.serial
    assert _sign(letter_pdf, signer).certificate_serial == new.serial


def test_signing_options_list_usable_certificates(enrolled, signer):
    options = services.signing_options(signer)
    assert [(o.code, o.credential_id) for o in options] == [("ca", enrolled.pk)]
