"""The inbox per persona, its filters and paging, the dashboard counters (never revealing a secret naskah to a
non-party) and the incoming part's API."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.urls import reverse
from django.utils import timezone

from terpadu.core.context import acting
from terpadu.naskah import disposisi, masuk
from terpadu.naskah.models import Naskah, Penerima, PihakNaskah
from terpadu.naskah.tests.test_masuk import pencatat  # noqa: F401  (fixture)
from terpadu.naskah.tests.test_masuk_support import incoming, outgoing, reference_data, upload


def _letter(city, **kwargs):
    with acting(None, via="command"):
        return incoming(city, **kwargs)


def _ids(items):
    return [item.naskah.pk for item in items]


def test_inbox_per_persona(city):
    to_head = _letter(city, hal="Untuk kepala")
    to_kabid = _letter(city, hal="Untuk kabid", tujuan=[city.kabid_a])
    copy = _letter(city, hal="Tembusan", tujuan=[city.kabid_a], tembusan=[city.kepala_a])
    assert _ids(masuk.inbox_page(city.pimpinan)[0]) == [copy.pk, to_head.pk]
    assert masuk.inbox_page(city.staff_same)[0] == []
    assert masuk.inbox_page(city.staff_other)[0] == []
    # a Plt. of the Kepala Bidang sees the position's mail, newest first
    from terpadu.organisasi import services as org

    today = timezone.localdate()
    with acting(None, via="command"):
        org.assign_acting(city.pegawai_same, city.kabid_a, "plt", today - dt.timedelta(days=1), today, "800/3")
    from terpadu.accounts.models import User

    plt = User.objects.get(pk=city.staff_same.pk)  # a fresh user: positions are cached per request
    assert _ids(masuk.inbox_page(plt)[0]) == [copy.pk, to_kabid.pk]


def test_inbox_includes_dispositions_and_filters(city):
    letter = _letter(city, hal="Undangan")
    other = _letter(city, hal="Laporan")
    Naskah.objects.filter(pk=other.pk).update(urgensi="amat_segera")
    with acting(city.pimpinan, via="web"):
        (d,) = disposisi.dispose(
            city.pimpinan, letter, {"kepada": [city.staff_a_jabatan], "instruksi": reference_data()[2][:1]}
        )
    items, _more = masuk.inbox_page(city.staff_same)
    assert [(i.kind, i.disposisi) for i in items] == [("disposisi", d)]
    with acting(city.pimpinan, via="web"):
        masuk.mark_read(letter, city.pimpinan)
    assert _ids(masuk.inbox_page(city.pimpinan, unread=True)[0]) == [other.pk]
    assert _ids(masuk.inbox_page(city.pimpinan, urgensi="amat_segera")[0]) == [other.pk]
    assert masuk.inbox_page(city.pimpinan, tembusan=True)[0] == []


def test_inbox_page_bold_unread_and_paging(client, city):
    for i in range(27):
        _letter(city, hal=f"Surat nomor {i}")
    login_as(client, city.pimpinan)
    first = client.get(reverse("naskah:inbox"))
    assert first.status_code == 200
    assert first.content.count(b"data-unread") == 25 and b"page=2" in first.content
    assert b'data-count="inbox_unread">27<' in first.content
    second = client.get(reverse("naskah:inbox") + "?page=2")
    assert second.content.count(b'data-item="penerima-') == 2 and b"page=3" not in second.content
    fragment = client.get(reverse("naskah:inbox") + "?tembusan=1", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    login_as(client, city.staff_other)
    assert b'data-item="penerima-' not in client.get(reverse("naskah:inbox")).content


def test_counters_through_the_gate(city):
    _letter(city)
    _letter(city, tujuan=[city.kabid_a], tembusan=[city.kepala_a])
    counts = masuk.incoming_counters(city.pimpinan)
    assert (counts["inbox_unread"], counts["tembusan_unread"]) == (1, 1)
    assert masuk.incoming_counters(city.staff_other)["inbox_unread"] == 0


def test_counters_never_reveal_a_secret_naskah_to_a_non_party(city):
    # A secret letter wrongly routed: a Penerima row for the head's position but no party row for it.
    secret = _letter(city, sifat="rahasia", tujuan=[city.kabid_a])
    PihakNaskah.objects.filter(naskah=secret, peran="pencatat").delete()  # the helper registers as pimpinan
    Penerima.objects.create(naskah=secret, jabatan=city.kepala_a, terkirim=timezone.now())
    outgoing(city, status="siap_ttd", sifat="rahasia", pembuat=city.pegawai_other, unit=city.dinas_a)
    Naskah.objects.filter(status="siap_ttd").update(penandatangan_jabatan=city.kepala_a)
    open_one = outgoing(city, status="siap_ttd", pembuat=city.pegawai_other, penandatangan_jabatan=city.kepala_a)
    assert masuk.incoming_counters(city.pimpinan)["inbox_unread"] == 0
    assert masuk.inbox_page(city.pimpinan)[0] == []
    out = masuk.outgoing_counters(city.pimpinan)
    assert out["to_sign"] == 1  # the open one only
    assert open_one.sifat == "biasa"


def test_outgoing_counters(city):
    from terpadu.naskah.models import Verifikasi

    outgoing(city, status="draf")
    outgoing(city, status="dikembalikan")
    waiting = outgoing(city, status="verifikasi", pembuat=city.pegawai_other)
    Verifikasi.objects.create(naskah=waiting, putaran=1, urutan=1, jabatan=city.kabid_a, status="disetujui")
    Verifikasi.objects.create(naskah=waiting, putaran=1, urutan=2, jabatan=city.kepala_a)
    later = outgoing(city, status="verifikasi", pembuat=city.pegawai_other)
    Verifikasi.objects.create(naskah=later, putaran=1, urutan=1, jabatan=city.kabid_a)
    Verifikasi.objects.create(naskah=later, putaran=1, urutan=2, jabatan=city.kepala_a)  # not its turn yet
    outgoing(city, status="ditandatangani", penandatangan_jabatan=city.kepala_a)
    assert masuk.outgoing_counters(city.staff_same)["drafts"] == 2
    mine = masuk.outgoing_counters(city.pimpinan)
    assert (mine["to_verify"], mine["signed_not_sent"]) == (1, 1)


def test_home_dashboard_shows_the_incoming_card(client, city):
    _letter(city)
    login_as(client, city.pimpinan)
    home = client.get(reverse("core:home"))
    assert b'data-count="inbox_unread">1<' in home.content


# -- API -----------------------------------------------------------------------------------------


def test_api_inbox_and_read_receipt(client, city):
    letter = _letter(city)
    login_as(client, city.pimpinan)
    listing = client.get("/api/v1/naskah/kotak-masuk/").json()
    assert [r["naskah"]["id"] for r in listing["results"]] == [letter.pk] and listing["results"][0]["unread"]
    assert client.post(f"/api/v1/naskah/kotak-masuk/{letter.pk}/baca/").status_code == 200
    assert not client.get("/api/v1/naskah/kotak-masuk/?unread=1").json()["results"]
    bad = client.get("/api/v1/naskah/kotak-masuk/?urgensi=kilat")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    login_as(client, city.staff_other)
    denied = client.post(f"/api/v1/naskah/kotak-masuk/{letter.pk}/baca/")
    assert denied.status_code == 404 and denied.json()["error"]["status"] == 404


def test_api_dispositions(client, city):
    letter = _letter(city)
    _jenis, _klas, instruksi = reference_data()
    login_as(client, city.pimpinan)
    wrong = client.post(
        "/api/v1/naskah/disposisi/",
        {"naskah": letter.pk, "kepada": [city.staff_b_jabatan.pk], "instruksi": [instruksi[0].kode]},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "kepada" in wrong.json()["error"]["details"]
    created = client.post(
        "/api/v1/naskah/disposisi/",
        {"naskah": letter.pk, "kepada": [city.staff_a_jabatan.pk, city.kabid_a.pk], "catatan": "Tindak lanjuti"},
        content_type="application/json",
    )
    assert created.status_code == 201
    to_staff, to_kabid = (row["id"] for row in created.json())
    assert client.post(f"/api/v1/naskah/disposisi/{to_kabid}/batal/").json()["status"] == "dibatalkan"
    tree = client.get(f"/api/v1/naskah/disposisi/pohon/{letter.pk}/").json()
    assert {row["id"] for row in tree["disposisi"]} == {to_staff, to_kabid}
    login_as(client, city.staff_same)
    assert client.post(f"/api/v1/naskah/disposisi/{to_staff}/baca/").json()["status"] == "dibaca"
    assert [r["id"] for r in client.get("/api/v1/naskah/disposisi/").json()["results"]] == [to_staff]
    no_right = client.post(
        "/api/v1/naskah/disposisi/", {"naskah": letter.pk, "kepada": [city.staff_a_jabatan.pk]}, "application/json"
    )
    assert no_right.status_code == 403 and no_right.json()["error"]["code"] == "permission_denied"
    done = client.post(
        f"/api/v1/naskah/disposisi/{to_staff}/selesai/", {"tindak_lanjut": "Sudah", "lampiran": [upload("a.pdf")]}
    )
    assert done.status_code == 200 and done.json()["status"] == "selesai"
    login_as(client, city.pimpinan)
    late = client.post(f"/api/v1/naskah/disposisi/{to_staff}/batal/")
    assert late.status_code == 400 and late.json()["error"]["message"]
    login_as(client, city.staff_other)
    assert client.get(f"/api/v1/naskah/disposisi/pohon/{letter.pk}/").status_code == 404
    assert client.get(f"/api/v1/naskah/disposisi/{to_staff}/").status_code == 404


def test_api_registration(client, city, pencatat):  # noqa: F811
    jenis, klasifikasi, _instruksi = reference_data()
    form = {
        "unit": city.dinas_a.pk,
        "nomor": "005/77/2026",
        "tanggal": "2026-01-05",
        "asal_instansi": "Kementerian",
        "hal": "Surat",
        "jenis": jenis.pk,
        "klasifikasi": klasifikasi.pk,
        "tujuan": [city.kepala_a.pk],
    }
    login_as(client, pencatat)
    created = client.post("/api/v1/naskah/masuk/", {**form, "dokumen": upload()})
    assert created.status_code == 201 and created.json()["agenda"].startswith("1/")
    duplicate = client.post("/api/v1/naskah/masuk/", {**form, "dokumen": upload()})
    assert duplicate.status_code == 409 and duplicate.json()["error"]["details"]["duplicates"] == [created.json()["id"]]
    broken = client.post("/api/v1/naskah/masuk/", {**form, "nomor": "2", "dokumen": upload("x.pdf", b"%PDF-1.4 no")})
    assert broken.status_code == 400 and "dokumen" in broken.json()["error"]["details"]
    outside = client.post("/api/v1/naskah/masuk/", {**form, "unit": city.dinas_b.pk, "dokumen": upload()})
    assert outside.status_code in (400, 403) and "error" in outside.json()
    assert Naskah.objects.filter(arah="masuk").count() == 1
    login_as(client, city.staff_same)
    assert client.post("/api/v1/naskah/masuk/", {**form, "dokumen": upload()}).status_code == 403


@pytest.mark.parametrize("path", ["/naskah/masuk/", "/naskah/disposisi/", "/naskah/disposisi/keluar/"])
def test_lists_answer_an_empty_user(client, city, path):
    login_as(client, city.admin)  # no pegawai position
    assert client.get(path).status_code == 200
