"""Pemberkasan: proposals on naskah, the arsiparis' decisions, closing, the retention clock, visibility."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from terpadu.arsip import services
from terpadu.arsip.models import Berkas, IsiBerkas
from terpadu.arsip.tests.conftest import make_arsiparis, make_naskah
from terpadu.core.models import AuditEvent


@pytest.fixture
def rapat(klasifikasi):
    return klasifikasi["000.1.5"]


@pytest.fixture
def naskah(city, rapat, jenis):
    return make_naskah(city.bidang_a, city.pegawai_same, rapat, jenis["nota_dinas"])


@pytest.fixture
def arsiparis(city):
    """staff_same as arsiparis of Dinas Alfa."""
    make_arsiparis(city.staff_same, city.dinas_a)
    return login_as(Client(), city.staff_same)


# -- proposals ---------------------------------------------------------------------------------


def test_propose_for_opens_a_berkas_named_after_the_classification(city, naskah, rapat):
    item = services.propose_for(naskah, city.bidang_a)
    assert item.status == IsiBerkas.Status.USULAN
    berkas = item.berkas
    assert (berkas.unit, berkas.klasifikasi, berkas.tahun, berkas.uraian) == (city.bidang_a, rapat, 2025, rapat.nama)
    assert berkas.nomor == 1 and berkas.status == Berkas.Status.TERBUKA
    assert AuditEvent.objects.filter(object_type="arsip.isiberkas", action="propose").count() == 1


def test_propose_for_is_idempotent_and_reuses_the_most_recent_open_berkas(city, naskah, rapat, jenis):
    first = services.propose_for(naskah, city.bidang_a)
    assert services.propose_for(naskah, city.bidang_a) == first
    newer = services.create_berkas(
        None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "Rapat B", "tahun": 2025}
    )
    other = make_naskah(city.bidang_a, city.pegawai_same, rapat, jenis["nota_dinas"], hal="Lain")
    assert services.propose_for(other, city.bidang_a).berkas == newer
    assert newer.nomor == 2  # numbered per unit and year


def test_the_activity_hint_picks_the_berkas_with_that_description(city, naskah, rapat, jenis):
    kegiatan = services.create_berkas(
        None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "Musrenbang", "tahun": 2025}
    )
    services.create_berkas(None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "Lain-lain", "tahun": 2025})
    hinted = make_naskah(city.bidang_a, city.pegawai_same, rapat, jenis["nota_dinas"], isi={"kegiatan": "musrenbang"})
    assert services.propose_for(hinted, city.bidang_a).berkas == kegiatan


def test_sender_and_receiver_units_each_get_their_own_proposal(city, naskah):
    sent = services.propose_for(naskah, city.bidang_a)
    received = services.propose_for(naskah, city.dinas_b)
    assert sent.berkas.unit == city.bidang_a and received.berkas.unit == city.dinas_b
    assert received.berkas.nomor == 1  # each unit counts its own


def test_berkas_numbers_restart_each_year(city, rapat):
    a = services.create_berkas(None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "A", "tahun": 2025})
    b = services.create_berkas(None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "B", "tahun": 2026})
    c = services.create_berkas(None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "C", "tahun": 2025})
    assert (a.nomor, b.nomor, c.nomor) == (1, 1, 2)


def test_the_arsiparis_confirms_and_rejects_in_bulk(city, naskah, rapat, jenis, arsiparis):
    other = make_naskah(city.bidang_a, city.pegawai_same, rapat, jenis["nota_dinas"], hal="Kedua")
    first, second = services.propose_for(naskah, city.bidang_a), services.propose_for(other, city.bidang_a)
    page = arsiparis.get(reverse("arsip:usulan_list"))
    assert {i.pk for i in page.context["items"]} == {first.pk, second.pk}
    arsiparis.post(reverse("arsip:usulan_decide"), {"one": f"confirm:{first.pk}"})  # a row's own button
    arsiparis.post(reverse("arsip:usulan_decide"), {"item": [second.pk], "decision": "reject"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (IsiBerkas.Status.DIKONFIRMASI, IsiBerkas.Status.DITOLAK)
    assert first.diputuskan_oleh == city.staff_same
    assert services.propose_for(other, city.bidang_a) == second  # a rejection is not proposed again


def test_an_arsiparis_of_another_unit_cannot_decide(city, naskah):
    item = services.propose_for(naskah, city.bidang_a)
    make_arsiparis(city.staff_other, city.dinas_b)
    client = login_as(Client(), city.staff_other)
    client.post(reverse("arsip:usulan_decide"), {"item": [item.pk], "decision": "confirm"})
    item.refresh_from_db()
    assert item.status == IsiBerkas.Status.USULAN
    assert client.get(reverse("arsip:isi_move", args=[item.pk])).status_code == 404


def test_moving_an_item_to_another_open_berkas_confirms_it(city, naskah, rapat, arsiparis):
    item = services.propose_for(naskah, city.bidang_a)
    target = services.create_berkas(
        None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "Tujuan", "tahun": 2025}
    )
    response = arsiparis.post(reverse("arsip:isi_move", args=[item.pk]), {"berkas": target.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.berkas == target and item.status == IsiBerkas.Status.DIKONFIRMASI
    elsewhere = services.create_berkas(None, {"unit": city.dinas_b, "klasifikasi": rapat, "uraian": "B", "tahun": 2025})
    with pytest.raises(ValidationError):
        services.move_item(city.staff_same, item, elsewhere)


def test_the_arsiparis_opens_edits_and_closes_a_berkas(city, rapat, arsiparis, freeze_today):
    freeze_today(dt.date(2026, 3, 1))
    response = arsiparis.post(
        reverse("arsip:berkas_create"), {"unit": city.bidang_a.pk, "klasifikasi": rapat.pk, "uraian": "Rapat staf"}
    )
    berkas = Berkas.objects.get(uraian="Rapat staf")
    assert response.status_code == 302 and berkas.tahun == 2026 and berkas.dibuat_oleh == city.staff_same
    arsiparis.post(
        reverse("arsip:berkas_edit", args=[berkas.pk]),
        {"klasifikasi": rapat.pk, "uraian": "Rapat staf 2026", "lokasi": "Rak 3"},
    )
    arsiparis.post(reverse("arsip:berkas_close", args=[berkas.pk]))
    berkas.refresh_from_db()
    assert (berkas.uraian, berkas.lokasi, berkas.status) == ("Rapat staf 2026", "Rak 3", Berkas.Status.AKTIF)
    assert (berkas.ditutup, berkas.aktif_sampai, berkas.inaktif_sampai) == (
        dt.date(2026, 3, 1),
        dt.date(2028, 3, 1),
        dt.date(2031, 3, 1),
    )
    assert AuditEvent.objects.filter(object_type="arsip.berkas", object_id=str(berkas.pk), action="close").exists()


def test_closing_is_refused_with_pending_proposals_or_without_a_jra(city, naskah, klasifikasi):
    item = services.propose_for(naskah, city.bidang_a)
    with pytest.raises(ValidationError, match="proposed"):
        services.close_berkas(item.berkas)
    no_jra = services.create_berkas(None, {"unit": city.bidang_a, "klasifikasi": klasifikasi["000"], "uraian": "U"})
    with pytest.raises(ValidationError, match="JRA"):
        services.close_berkas(no_jra)
    no_jra.refresh_from_db()
    assert no_jra.status == Berkas.Status.TERBUKA and no_jra.ditutup is None


def test_closing_on_29_february_counts_whole_years(city, rapat):
    berkas = services.create_berkas(
        None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "Kabisat", "tahun": 2028}
    )
    berkas = services.close_berkas(berkas, on=dt.date(2028, 2, 29))
    assert (berkas.aktif_sampai, berkas.inaktif_sampai) == (dt.date(2030, 2, 28), dt.date(2033, 2, 28))


# -- the retention clock -----------------------------------------------------------------------


def _closed(city, rapat, on):
    berkas = services.create_berkas(
        None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": "Jam", "tahun": on.year}
    )
    return services.close_berkas(berkas, on=on)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2027, 1, 9), Berkas.Status.AKTIF),  # the day before aktif_sampai
        (dt.date(2027, 1, 10), Berkas.Status.AKTIF),  # on aktif_sampai: still active
        (dt.date(2027, 1, 11), Berkas.Status.INAKTIF),  # the day after
        (dt.date(2030, 1, 10), Berkas.Status.INAKTIF),  # on inaktif_sampai
        (dt.date(2030, 1, 11), Berkas.Status.USUL_MUSNAH),  # the day after: nasib musnah
    ],
)
def test_the_retention_clock_boundaries(city, rapat, freeze_today, today, expected):
    berkas = _closed(city, rapat, dt.date(2025, 1, 10))  # aktif 2 → 2027-01-10, inaktif 3 → 2030-01-10
    freeze_today(today)
    services.run_retention_clock()
    berkas.refresh_from_db()
    assert berkas.status == expected


def test_the_final_status_follows_the_nasib_akhir(city, klasifikasi, freeze_today):
    permanen = services.update_klasifikasi(klasifikasi["800.1.11.1"], {"nasib_akhir": "permanen"})
    serah = _closed(city, permanen, dt.date(2020, 1, 1))
    freeze_today(dt.date(2026, 1, 1))
    services.run_retention_clock()
    serah.refresh_from_db()
    assert serah.status == Berkas.Status.USUL_SERAH


def test_the_periodic_job_is_idempotent(city, rapat, freeze_today):
    from terpadu.core import jobs

    berkas = _closed(city, rapat, dt.date(2020, 1, 1))
    freeze_today(dt.date(2026, 1, 1))
    assert jobs.TASKS["arsip.retention_clock"].cron
    first = jobs.TASKS["arsip.retention_clock"].func(timestamp=0)
    events = AuditEvent.objects.count()
    second = jobs.TASKS["arsip.retention_clock"].func(timestamp=0)
    berkas.refresh_from_db()
    assert first == {"inaktif": 1, "final": 1} and second == {"inaktif": 0, "final": 0}
    assert berkas.status == Berkas.Status.USUL_MUSNAH and AuditEvent.objects.count() == events


def test_retention_lists_and_dashboard_card_count_per_status(city, rapat, arsiparis, freeze_today):
    _closed(city, rapat, dt.date(2020, 1, 1))
    _closed(city, rapat, dt.date(2026, 1, 1))
    freeze_today(dt.date(2026, 6, 1))
    services.run_retention_clock()
    page = arsiparis.get(reverse("arsip:retensi"), {"status": "usul_musnah"})
    tabs = {code: n for code, _label, n in page.context["tabs"]}
    assert tabs["usul_musnah"] == 1 and tabs["aktif"] == 1
    assert len(page.context["page"].object_list) == 1 and page.context["can_dispose"]
    home = arsiparis.get(reverse("core:home")).content.decode()
    assert 'data-card="arsip"' in home
    other = login_as(Client(), city.staff_other)
    assert 'data-card="arsip"' not in other.get(reverse("core:home")).content.decode()


# -- who sees what -----------------------------------------------------------------------------


def test_secret_naskah_are_hidden_in_berkas_lists_from_non_parties(city, rapat, jenis, naskah, arsiparis):
    from terpadu.naskah.models import PihakNaskah, Sifat

    secret = make_naskah(
        city.bidang_a, city.pegawai_other, rapat, jenis["nota_dinas"], hal="Rahasia sekali", sifat=Sifat.RAHASIA
    )
    open_item = services.propose_for(naskah, city.bidang_a)
    services.propose_for(secret, city.bidang_a)
    page = arsiparis.get(reverse("arsip:berkas_detail", args=[open_item.berkas_id]))
    assert [i.naskah for i in page.context["items"]] == [naskah] and page.context["hidden"] == 1
    assert "Rahasia sekali" not in page.content.decode()
    usulan = arsiparis.get(reverse("arsip:usulan_list")).content.decode()
    assert "Rahasia sekali" not in usulan
    PihakNaskah.objects.create(naskah=secret, peran=PihakNaskah.Peran.TUJUAN, pegawai=city.pegawai_same)
    shown = arsiparis.get(reverse("arsip:berkas_detail", args=[open_item.berkas_id]))
    assert "Rahasia sekali" in shown.content.decode()


def test_berkas_of_another_unit_answer_404(city, rapat, arsiparis):
    berkas = services.create_berkas(None, {"unit": city.dinas_b, "klasifikasi": rapat, "uraian": "Beta"})
    assert arsiparis.get(reverse("arsip:berkas_detail", args=[berkas.pk])).status_code == 404
    assert berkas not in arsiparis.get(reverse("arsip:berkas_list")).context["page"].object_list


def test_the_naskah_panel_says_where_a_naskah_is_filed(city, naskah, arsiparis):
    item = services.propose_for(naskah, city.bidang_a)
    panel = arsiparis.get(reverse("arsip:naskah_panel", args=[naskah.pk])).content.decode()
    assert "Proposed for" in panel and item.berkas.uraian in panel
    services.confirm_items(city.staff_same, [item])
    assert "Filed in" in arsiparis.get(reverse("arsip:naskah_panel", args=[naskah.pk])).content.decode()
    outsider = login_as(Client(), city.staff_other)
    assert outsider.get(reverse("arsip:naskah_panel", args=[naskah.pk])).status_code == 404


def test_item_links_fall_back_when_the_naskah_page_is_missing(city, naskah):
    from terpadu.arsip.views import naskah_url

    url = naskah_url(naskah.pk)
    assert url is None or str(naskah.pk) in url


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_berkas_get_distinct_numbers(city, klasifikasi):
    """Two arsiparis opening berkas at the same moment: the locked counter gives each its own number."""
    import threading

    from django.db import connection

    rapat = klasifikasi["000.1.5"]
    numbers, errors = [], []

    def open_one(name):
        try:
            berkas = services.create_berkas(
                None, {"unit": city.bidang_a, "klasifikasi": rapat, "uraian": name, "tahun": 2025}
            )
            numbers.append(berkas.nomor)
        except Exception as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_one, args=(f"B{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and sorted(numbers) == [1, 2, 3, 4, 5, 6]
