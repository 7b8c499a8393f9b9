"""Who may reach the tte module's routes: merged into tests/authz_expectations.py (see its docstring)."""

from __future__ import annotations

from tests.authz_expectations import ADMIN, ADMIN_ONLY, EVERYONE, PIMPINAN, SIGNED_IN, Expect, World, _pk  # noqa: F401

HOLDER = frozenset({PIMPINAN})  # heads hold tte.enrol (pimpinan role); the walker's certificate is theirs
HOLDER_OR_MANAGER = frozenset({PIMPINAN, ADMIN})  # admin-sistem has tte.manage on the whole pemda


def build(world: World) -> dict:
    """An instance CA row and a certificate of the pimpinan, written directly (no key file needed)."""
    import datetime as dt

    from terpadu.tte import crypto
    from terpadu.tte.models import OtoritasSertifikat, SertifikatPenandatangan

    ca_key, ca_cert = crypto.make_ca("Walker CA", "Pemerintah Kota Uji", 3650)
    ca = OtoritasSertifikat.objects.create(
        nama="Walker CA",
        sertifikat_pem=crypto.cert_pem(ca_cert),
        sidik_jari=crypto.fingerprint(ca_cert),
        serial=crypto.serial_hex(ca_cert),
        berlaku_mulai=ca_cert.not_valid_before_utc,
        berlaku_sampai=ca_cert.not_valid_after_utc,
    )
    key = crypto.new_key("ec")
    now = dt.datetime.now(dt.UTC)
    pegawai = world.city.pimpinan.pegawai
    who = crypto.SubjectInfo(pegawai.nama_lengkap, pegawai.nip, "Pemerintah Kota Uji", "Dinas Alfa")
    cert = crypto.issue(ca_key, ca_cert, key.public_key(), who, now, now + dt.timedelta(days=30))
    tte_cert = SertifikatPenandatangan.objects.create(
        pegawai=pegawai,
        backend="ca",
        otoritas=ca,
        subjek=crypto.subject_text(cert),
        penerbit=crypto.subject_text(ca_cert),
        serial=crypto.serial_hex(cert),
        sidik_jari=crypto.fingerprint(cert),
        berlaku_mulai=cert.not_valid_before_utc,
        berlaku_sampai=cert.not_valid_after_utc,
        sertifikat_pem=crypto.cert_pem(cert),
        kunci_terenkripsi=crypto.encrypt_key(key, "Walker-Passphrase-1"),
        jenis_kunci="ec",
    )
    return {"tte_cert": tte_cert}


def _validate_upload(world: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from terpadu.tte.tests import pdfs

    return {"file": SimpleUploadedFile("surat.pdf", pdfs.blank(), content_type="application/pdf")}


EXPECTATIONS: dict[str, Expect] = {
    "tte:mine": Expect(SIGNED_IN, note="one's own certificates; the forms need tte.enrol"),
    "tte:enrol": Expect(HOLDER, note="tte.enrol and a session that passed 2FA"),
    "tte:upload": Expect(HOLDER, note="tte.enrol and a session that passed 2FA"),
    "tte:detail": Expect(HOLDER_OR_MANAGER, kwargs=_pk("tte_cert"), note="the holder, or tte.manage in scope"),
    "tte:renew": Expect(HOLDER, kwargs=_pk("tte_cert"), note="only the holder renews"),
    "tte:revoke": Expect(HOLDER_OR_MANAGER, kwargs=_pk("tte_cert"), post=True, note="the holder or tte.manage"),
    "tte:ca": Expect(ADMIN_ONLY, note="tte.manage"),
    "tte:ca_pem": Expect(EVERYONE, note="the public CA certificate"),
    "api-tte-ca": Expect(EVERYONE, note="the public CA certificate"),
    "api-tte-validate": Expect(EVERYONE, post=True, data=_validate_upload, note="public verification of a PDF"),
    "api-tte-sertifikat-list": Expect(SIGNED_IN, note="one's own certificates"),
    "api-tte-sertifikat-detail": Expect(HOLDER, kwargs=_pk("tte_cert"), note="one's own certificate"),
}
