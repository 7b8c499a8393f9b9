# ruff: noqa: F811  (pytest fixtures imported from test_keluar_fixtures)
"""The outgoing pages and API: forms, lists, detail actions, documents, API errors."""

from __future__ import annotations

import pytest
from conftest import login_as
from django.core.files.uploadedfile import SimpleUploadedFile

from terpadu.naskah import services
from terpadu.naskah.models import Naskah
from terpadu.naskah.tests.test_keluar_fixtures import (  # noqa: F401
    PASSPHRASE,
    a_pdf,
    ca,
    keluar,
    make_draft,
    to_ready,
)

pytestmark = pytest.mark.django_db


def _form_data(keluar, **extra):
    data = {
        "jenis": keluar.jenis["surat_dinas"].pk,
        "klasifikasi": keluar.klasifikasi["000.1.5"].pk,
        "sifat": "biasa",
        "urgensi": "segera",
        "hal": "Permohonan data",
        "ringkasan": "Mohon data.",
        "penandatangan_jabatan": keluar.city.kepala_a.pk,
        "atas_nama": "",
        "penerima-TOTAL_FORMS": "2",
        "penerima-INITIAL_FORMS": "0",
        "penerima-0-peran": "tujuan",
        "penerima-0-jabatan": keluar.city.kepala_b.pk,
        "penerima-1-peran": "tembusan",
        "penerima-1-nama": "Kepala BPS",
        "penerima-1-instansi": "BPS",
        "penerima-1-email": "bps@example.test",
    }
    data.update(extra)
    return data


def test_drafting_through_the_form_with_an_attachment(keluar, client):
    login_as(client, keluar.drafter)
    assert client.get(f"/naskah/baru/?jenis={keluar.jenis['surat_dinas'].pk}").status_code == 200
    data = _form_data(keluar, lampiran=SimpleUploadedFile("l.pdf", a_pdf("Lampiran")), lampiran_judul="Daftar")
    response = client.post("/naskah/baru/", data)
    naskah = Naskah.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/naskah/{naskah.pk}/"
    assert naskah.urgensi == "segera" and naskah.penerima.count() == 2 and naskah.lampiran.get().judul == "Daftar"
    page = client.get(f"/naskah/{naskah.pk}/").content.decode()
    for expected in ("Permohonan data", "Kepala BPS", f"/naskah/{naskah.pk}/dokumen/", "Submit"):
        assert expected in page
    pdf = client.get(f"/naskah/{naskah.pk}/dokumen/")
    assert pdf.status_code == 200 and pdf["Content-Disposition"].startswith("inline")
    assert naskah.pk in [n.pk for n in client.get("/naskah/konsep/").context["page"]]


@pytest.mark.parametrize(
    "content, reason",
    [(b"%PDF-1.4 rusak", "not a valid PDF"), (b"GIF89a....", "not accepted")],
)
def test_a_bad_upload_is_a_form_error_and_writes_nothing(keluar, client, content, reason):
    login_as(client, keluar.drafter)
    data = _form_data(keluar, dokumen=SimpleUploadedFile("surat.pdf", content))
    response = client.post("/naskah/baru/", data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert reason  # the reason is core.files' message, shown in the user's language
    assert not Naskah.objects.exists()


def test_an_encrypted_upload_is_refused(keluar, client):
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(a_pdf())))
    writer.encrypt("rahasia")
    buffer = io.BytesIO()
    writer.write(buffer)
    login_as(client, keluar.drafter)
    response = client.post("/naskah/baru/", _form_data(keluar, dokumen=SimpleUploadedFile("e.pdf", buffer.getvalue())))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Naskah.objects.exists()


def test_the_detail_actions_follow_the_flow(keluar, client):
    naskah = make_draft(keluar)
    login_as(client, keluar.drafter)
    assert client.post(f"/naskah/{naskah.pk}/ajukan/").status_code == 302
    client.logout()
    login_as(client, keluar.kabid)
    page = client.get(f"/naskah/{naskah.pk}/").content.decode()
    assert f"/naskah/{naskah.pk}/paraf/" in page  # the paraf form
    assert naskah.pk in [n.pk for n in client.get("/naskah/perlu-paraf/").context["page"]]
    client.post(f"/naskah/{naskah.pk}/kembalikan/", {"catatan": "Perbaiki"})
    naskah.refresh_from_db()
    assert naskah.status == Naskah.Status.DIKEMBALIKAN
    client.logout()
    login_as(client, keluar.drafter)
    assert client.get(f"/naskah/{naskah.pk}/ubah/").status_code == 200
    response = client.post(f"/naskah/{naskah.pk}/ubah/", _form_data(keluar, hal="Permohonan data baru"))
    assert response.status_code == 302
    compare = client.get(f"/naskah/{naskah.pk}/versi/banding/?a=1&b=2")
    assert compare.status_code == 200 and "baru" in compare.content.decode()


def test_signing_through_the_page_needs_2fa(keluar, ca, client):
    naskah = to_ready(keluar, make_draft(keluar))
    option = services._tte().signing_options(keluar.signer.pegawai)[0]
    data = {"backend": f"{option.code}:{option.credential_id}", "passphrase": PASSPHRASE}
    login_as(client, keluar.signer, verified=False)
    client.post(f"/naskah/{naskah.pk}/tandatangani/", data)
    naskah.refresh_from_db()
    assert naskah.status == Naskah.Status.SIAP_TTD
    client.logout()
    login_as(client, keluar.signer)
    page = client.get(f"/naskah/{naskah.pk}/").content.decode()
    assert 'autocomplete="off"' in page and f"/naskah/{naskah.pk}/tandatangani/" in page
    response = client.post(
        f"/naskah/{naskah.pk}/tandatangani/", {**data, "passphrase": "salah-salah-salah"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]]  # the SigningError message is shown
    naskah.refresh_from_db()
    assert naskah.status == Naskah.Status.SIAP_TTD
    client.post(f"/naskah/{naskah.pk}/tandatangani/", data)
    naskah.refresh_from_db()
    assert naskah.status == Naskah.Status.DITANDATANGANI
    assert client.post(f"/naskah/{naskah.pk}/kirim/").status_code == 302
    naskah.refresh_from_db()
    assert naskah.status == Naskah.Status.TERKIRIM
    assert naskah.pk in [n.pk for n in client.get("/naskah/terkirim/").context["page"]]


# -- API ---------------------------------------------------------------------------------------------


def _api_draft(keluar):
    return {
        "jenis": keluar.jenis["nota_dinas"].pk,
        "klasifikasi": keluar.klasifikasi["000.1.5"].pk,
        "hal": "Nota lewat API",
        "penandatangan_jabatan": keluar.city.kepala_a.pk,
        "penerima": [{"peran": "tujuan", "jabatan": keluar.city.kepala_b.pk}],
    }


def test_the_api_drafts_submits_and_verifies(keluar, client):
    login_as(client, keluar.drafter)
    created = client.post("/api/v1/naskah/keluar/", _api_draft(keluar), content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    changed = client.patch(f"/api/v1/naskah/keluar/{pk}/", {"hal": "Nota diubah"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["hal"] == "Nota diubah"
    assert [v["nomor"] for v in client.get(f"/api/v1/naskah/keluar/{pk}/versi/").json()] == [1, 2]
    assert client.post(f"/api/v1/naskah/keluar/{pk}/ajukan/").json()["status"] == "verifikasi"
    denied = client.post(f"/api/v1/naskah/keluar/{pk}/paraf/")
    assert denied.status_code == 403 and denied.json()["error"]["status"] == 403
    client.logout()
    login_as(client, keluar.kabid)
    assert client.post(f"/api/v1/naskah/keluar/{pk}/paraf/", {"catatan": "ok"}).json()["status"] == "siap_ttd"


def test_api_errors_are_json_and_the_passphrase_is_never_echoed(keluar, ca, client):
    naskah = to_ready(keluar, make_draft(keluar))
    login_as(client, keluar.drafter)
    bad = client.post("/api/v1/naskah/keluar/", {"hal": ""}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    client.logout()
    login_as(client, keluar.signer)
    wrong = client.post(
        f"/api/v1/naskah/keluar/{naskah.pk}/tandatangani/",
        {"backend": "ca", "passphrase": "passphrase-yang-salah"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "passphrase-yang-salah" not in wrong.content.decode()
    assert wrong.json()["error"]["details"]["non_field_errors"]  # the SigningError message
    ok = client.post(
        f"/api/v1/naskah/keluar/{naskah.pk}/tandatangani/",
        {"backend": "ca", "passphrase": PASSPHRASE},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "ditandatangani" and PASSPHRASE not in ok.content.decode()
    missing = client.get("/api/v1/naskah/keluar/999999/")
    assert missing.status_code == 404 and missing.json()["error"]["status"] == 404


def test_the_schema_lists_the_outgoing_api(client):
    schema = client.get("/api/v1/schema/").content.decode()
    for path in ("/api/v1/naskah/keluar/{id}/tandatangani/", "/api/v1/naskah/verifikasi/{code}/"):
        assert path in schema
