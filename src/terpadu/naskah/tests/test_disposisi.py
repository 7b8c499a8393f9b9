"""Disposisi: only downward, re-disposition, cancel while unread, completion with files, tree, overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from terpadu.core.context import acting
from terpadu.core.models import Notification
from terpadu.naskah import disposisi as services
from terpadu.naskah.models import Disposisi, LampiranTindakLanjut, PihakNaskah
from terpadu.naskah.tests.test_masuk_support import incoming, reference_data, upload


@pytest.fixture
def letter(city):
    with acting(None, via="command"):
        return incoming(city)


@pytest.fixture
def instruksi(db):
    return reference_data()[2]


@pytest.fixture
def kabid_user(city):
    """Staf Alfa acting (Plt.) as Kepala Bidang Alfa Satu today: holds both positions."""
    from terpadu.organisasi import services as org

    today = timezone.localdate()
    with acting(None, via="command"):
        org.assign_acting(city.pegawai_same, city.kabid_a, "plt", today - dt.timedelta(days=1), today, "800/2")
    return city.staff_same


def _dispose(user, naskah, kepada, **extra):
    data = {"kepada": kepada, "instruksi": reference_data()[2][:1], "catatan": "Segera"}
    data.update(extra)
    with acting(user, via="web"):
        return services.dispose(user, naskah, data)


def test_subordinates_are_the_positions_below_in_the_structure(city):
    below = services.subordinates_of(city.kepala_a)
    assert set(below) == {city.kabid_a, city.staff_a_jabatan}
    assert services.subordinates_of(city.kabid_a) == [city.staff_a_jabatan]
    assert services.subordinates_of(city.staff_a_jabatan) == []
    assert services.is_below(city.staff_a_jabatan, city.kepala_a)
    assert not services.is_below(city.staff_b_jabatan, city.kepala_a)


def test_dispose_downward_makes_parties_notifies_and_publishes(city, letter, instruksi):
    (d,) = _dispose(city.pimpinan, letter, [city.staff_a_jabatan], batas_waktu=timezone.localdate())
    assert (d.dari_jabatan, d.kepada_jabatan, d.kepada_pegawai) == (
        city.kepala_a,
        city.staff_a_jabatan,
        city.pegawai_same,
    )
    assert list(d.instruksi.all()) == instruksi[:1] and d.status == "terkirim"
    assert PihakNaskah.objects.filter(naskah=letter, peran="disposisi", jabatan=city.staff_a_jabatan).exists()
    assert Notification.objects.filter(recipient=city.staff_same, verb="naskah.disposisi").count() == 1


@pytest.mark.parametrize("target", ["staff_b_jabatan", "kepala_a"])
def test_dispose_refuses_positions_not_below(city, letter, target):
    with pytest.raises(ValidationError) as caught:
        _dispose(city.pimpinan, letter, [getattr(city, target)])
    assert "below" in " ".join(caught.value.message_dict["kepada"])
    assert not Disposisi.objects.exists()


def test_dispose_refuses_a_past_deadline_and_an_empty_instruction(city, letter):
    with pytest.raises(ValidationError) as caught:
        _dispose(
            city.pimpinan,
            letter,
            [city.staff_a_jabatan],
            batas_waktu=timezone.localdate() - dt.timedelta(days=1),
            instruksi=[],
            catatan="",
        )
    assert {"batas_waktu", "instruksi"} <= set(caught.value.message_dict)


def test_only_a_recipient_or_a_disposition_receiver_may_dispose(city, letter):
    with pytest.raises(PermissionDenied):
        _dispose(city.staff_other, letter, [city.staff_b_jabatan])
    with pytest.raises(PermissionDenied):
        _dispose(city.staff_same, letter, [city.staff_a_jabatan])


def test_re_disposition_hangs_below_the_disposition_received(client, city, letter, kabid_user):
    (to_kabid,) = _dispose(city.pimpinan, letter, [city.kabid_a])
    choices = services.giver_choices(kabid_user, letter, with_targets=True)
    assert [(c.jabatan, c.induk) for c in choices] == [(city.kabid_a, to_kabid)]
    (down,) = _dispose(kabid_user, letter, [city.staff_a_jabatan], giver=choices[0].key)
    assert down.induk == to_kabid and down.dari_jabatan == city.kabid_a
    roots = services.tree(letter)
    assert [n.disposisi for n in roots] == [to_kabid]
    assert [n.disposisi for n in roots[0].children] == [down]
    tree = services.tree_json(letter)
    assert tree[0]["turunan"][0]["kepada_jabatan"]["id"] == city.staff_a_jabatan.pk
    login_as(client, city.pimpinan)
    page = client.get(reverse("naskah:disposisi_tree", args=[letter.pk])).content.decode()
    assert page.index(f'data-disposisi="{to_kabid.pk}"') < page.index(f'data-disposisi="{down.pk}"')


def test_cancel_only_by_the_giver_while_unread(city, letter):
    (d,) = _dispose(city.pimpinan, letter, [city.staff_a_jabatan])
    with pytest.raises(PermissionDenied):
        services.cancel(city.staff_same, d)
    with acting(city.staff_same, via="web"):
        services.read(city.staff_same, d)
    with pytest.raises(ValidationError) as caught:
        services.cancel(city.pimpinan, d)
    assert "already read" in caught.value.messages[0]
    (other,) = _dispose(city.pimpinan, letter, [city.kabid_a])
    with acting(city.pimpinan, via="web"):
        cancelled = services.cancel(city.pimpinan, other)
    assert cancelled.status == "dibatalkan" and cancelled.dibatalkan is not None
    assert not PihakNaskah.objects.filter(naskah=letter, peran="disposisi", jabatan=city.kabid_a).exists()


def test_complete_with_a_file_by_the_receiver(city, letter):
    from terpadu.core import events

    seen = []
    events.subscribe("naskah.disposisi_selesai")(lambda name, payload: seen.append(payload))
    (d,) = _dispose(city.pimpinan, letter, [city.staff_a_jabatan])
    with pytest.raises(PermissionDenied):
        services.complete(city.pimpinan, d, "Sudah")
    with pytest.raises(ValidationError):
        services.complete(city.staff_same, d, "  ")
    from django.test import TestCase

    try:
        with TestCase.captureOnCommitCallbacks(execute=True), acting(city.staff_same, via="web"):
            done = services.complete(city.staff_same, d, "Sudah dihadiri", [upload("notulen.pdf")])
    finally:
        events._subscribers["naskah.disposisi_selesai"] = [
            s for s in events._subscribers["naskah.disposisi_selesai"] if "lambda" not in s.name
        ]
    assert (done.status, done.tindak_lanjut) == ("selesai", "Sudah dihadiri") and done.selesai is not None
    assert LampiranTindakLanjut.objects.get(disposisi=d).judul == "notulen.pdf"
    assert {"disposisi_id": d.pk, "naskah_id": letter.pk, "pegawai_id": city.pegawai_same.pk} in seen
    assert Notification.objects.filter(recipient=city.pimpinan, verb="naskah.disposisi_selesai").exists()
    with pytest.raises(ValidationError):
        services.complete(city.staff_same, d, "again")


def test_overdue_reminder_once_to_assignee_and_superior(city, letter, freeze_today):
    (d,) = _dispose(city.pimpinan, letter, [city.staff_a_jabatan], batas_waktu=timezone.localdate())
    from terpadu.naskah import tasks_masuk

    assert services.remind_overdue() == 0  # the deadline day itself is not overdue
    freeze_today(timezone.localdate() + dt.timedelta(days=1))
    with acting(None, via="job"):
        tasks_masuk.remind_overdue_disposisi(timestamp=0)
        tasks_masuk.remind_overdue_disposisi(timestamp=0)
    d.refresh_from_db()
    assert d.diingatkan is not None
    # once, to the assignee; Pengelola Alfa's superior (Kepala Bidang) is vacant: the next test covers it
    assert Notification.objects.filter(recipient=city.staff_same, verb="naskah.disposisi_terlambat").count() == 1


def test_overdue_reminder_reaches_the_superior(city, letter, freeze_today):
    (d,) = _dispose(city.pimpinan, letter, [city.kabid_a], batas_waktu=timezone.localdate())
    freeze_today(timezone.localdate() + dt.timedelta(days=2))
    with acting(None, via="job"):
        assert services.remind_overdue() == 1
        assert services.remind_overdue() == 0
    # Kepala Bidang's superior is the Kepala Dinas (pimpinan)
    assert Notification.objects.filter(recipient=city.pimpinan, verb="naskah.disposisi_terlambat").count() == 1


def test_completed_ones_are_not_reminded(city, letter, freeze_today):
    (d,) = _dispose(city.pimpinan, letter, [city.staff_a_jabatan], batas_waktu=timezone.localdate())
    with acting(city.staff_same, via="web"):
        services.complete(city.staff_same, d, "Selesai")
    freeze_today(timezone.localdate() + dt.timedelta(days=5))
    assert services.remind_overdue() == 0


# -- pages ---------------------------------------------------------------------------------------


def test_panel_tree_and_print_view(client, city, letter):
    (d,) = _dispose(city.pimpinan, letter, [city.staff_a_jabatan])
    login_as(client, city.pimpinan)
    panel = client.get(reverse("naskah:disposisi_panel", args=[letter.pk]), HTTP_HX_REQUEST="true")
    assert panel.status_code == 200 and f'data-disposisi="{d.pk}"'.encode() in panel.content
    assert reverse("naskah:disposisi_create", args=[letter.pk]).encode() in panel.content
    assert client.get(reverse("naskah:lembar_disposisi", args=[letter.pk])).status_code == 200
    login_as(client, city.staff_other)
    assert client.get(reverse("naskah:disposisi_tree", args=[letter.pk])).status_code == 404
    login_as(client, city.staff_same)
    tree = client.get(reverse("naskah:disposisi_tree", args=[letter.pk]))
    assert tree.status_code == 200 and f'data-complete="{d.pk}"'.encode() in tree.content
    d.refresh_from_db()
    assert d.status == "dibaca"  # opened by the receiver: can no longer be cancelled


def test_dispose_and_complete_through_the_pages(client, city, letter, instruksi):
    login_as(client, city.pimpinan)
    url = reverse("naskah:disposisi_create", args=[letter.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"kepada": [city.staff_a_jabatan.pk], "batas_waktu": "2000-01-01"})
    assert bad.status_code == 200 and not Disposisi.objects.exists()
    ok = client.post(url, {"kepada": [city.staff_a_jabatan.pk], "instruksi": [instruksi[0].pk], "catatan": "Ok"})
    assert ok.status_code == 302
    d = Disposisi.objects.get()
    login_as(client, city.staff_same)
    done = client.post(
        reverse("naskah:disposisi_complete", args=[d.pk]),
        {f"d{d.pk}-tindak_lanjut": "Sudah", f"d{d.pk}-lampiran": upload("hasil.pdf")},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200 and b'data-status="selesai"' in done.content
    assert client.get(reverse("naskah:disposisi_list") + "?status=completed").content.count(b"data-disposisi=") == 1
    login_as(client, city.pimpinan)
    given = client.get(reverse("naskah:disposisi_keluar"))
    assert f'data-disposisi="{d.pk}"'.encode() in given.content


def test_cancel_through_the_page(client, city, letter):
    (d,) = _dispose(city.pimpinan, letter, [city.kabid_a])
    login_as(client, city.staff_same)  # sees the naskah? no: not a party, not in scope
    assert client.post(reverse("naskah:disposisi_cancel", args=[d.pk])).status_code == 404
    login_as(client, city.pimpinan)
    assert client.post(reverse("naskah:disposisi_cancel", args=[d.pk])).status_code == 302
    d.refresh_from_db()
    assert d.status == "dibatalkan"


def test_secret_letters_keep_their_subject_out_of_notifications(city):
    with acting(None, via="command"):
        secret = incoming(city, hal="Penilaian kerentanan", sifat="rahasia")
    _dispose(city.pimpinan, secret, [city.staff_a_jabatan])
    titles = list(Notification.objects.values_list("title", flat=True))
    assert titles and not any("kerentanan" in title for title in titles)


def test_dispose_publishes_the_created_event(city, letter):
    from django.test import TestCase

    from terpadu.core import events

    seen = []
    events.subscribe("naskah.disposisi_dibuat")(lambda name, payload: seen.append(payload))
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            (d,) = _dispose(city.pimpinan, letter, [city.staff_a_jabatan])
    finally:
        events._subscribers["naskah.disposisi_dibuat"] = [
            s for s in events._subscribers["naskah.disposisi_dibuat"] if "lambda" not in s.name
        ]
    assert seen == [{"disposisi_id": d.pk, "naskah_id": letter.pk, "pegawai_id": city.pimpinan.pegawai_id}]
