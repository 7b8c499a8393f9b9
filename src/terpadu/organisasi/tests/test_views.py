"""Organisation pages: tree, detail pages with their history (private changes masked), the employee
list filter shared with the API, and the administrator's forms."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from terpadu.accounts.models import User
from terpadu.organisasi import services as org
from terpadu.organisasi.models import Jabatan, Pegawai, PenugasanSementara, RiwayatJabatan, UnitKerja
from terpadu.organisasi.nip import make_nip

MASK = "•••"


@pytest.fixture(autouse=True)
def english(city, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    User.objects.update(language="en")


@pytest.fixture
def staff(city, client):
    return login_as(client, city.staff_same)


@pytest.fixture
def admin(city, client):
    return login_as(client, city.admin)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def history_actions(client, obj) -> list[str]:
    return [event.action for event in client.get(obj.get_absolute_url()).context["history"]]


def history_events(client, obj) -> list[tuple[str, str]]:
    """(model, action) of each event on the object's page, newest first."""
    history = client.get(obj.get_absolute_url()).context["history"]
    return [(event.object_type.partition(".")[2], event.action) for event in history]


def listed(client, **params) -> set[str]:
    response = client.get(reverse("organisasi:pegawai_list"), params)
    return {p.nama for p in response.context["page"]}


def api_listed(client, **params) -> set[str]:
    response = client.get("/api/v1/organisasi/pegawai/", params)
    assert response.status_code == 200, response.content
    return {row["nama"] for row in response.json()["results"]}


# -- pages for a signed-in staff member ----------------------------------------------------


def test_the_pages_need_a_signed_in_user(city, client):
    response = client.get(reverse("organisasi:tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_tree_shows_units_with_codes_and_their_heads(city, staff):
    html = page(staff, reverse("organisasi:tree"))
    for text in (
        "Pemerintah Kota Uji",
        "Dinas Alfa",
        "400.1",
        "Bidang Alfa Satu",
        "400.1.2",
        "Dinas Beta",
        "Kepala Alfa",
        "Kepala Beta",
    ):
        assert text in html
    assert "vacant" in html  # Bidang Alfa Satu has no head yet


def test_the_tree_marks_an_acting_head(city, staff, today):
    org.assign_acting(city.pegawai_other, city.kabid_a, "plt", today, today + dt.timedelta(days=5))
    html = page(staff, reverse("organisasi:tree"))
    assert "Plt.</span> Staf Beta" in html


def test_the_unit_page_shows_head_sub_units_and_positions(city, staff):
    html = page(staff, city.dinas_a.get_absolute_url())
    for text in ("Dinas Alfa", "400.1", "Kepala Dinas Alfa", "Kepala Alfa", "Bidang Alfa Satu"):
        assert text in html
    html = page(staff, city.bidang_a.get_absolute_url())
    assert "Pengelola Alfa" in html and "Staf Alfa" in html and "Kepala Bidang Alfa Satu" in html


def test_the_position_page_shows_holder_and_superior(city, staff):
    html = page(staff, city.staff_a_jabatan.get_absolute_url())
    assert "Pengelola Alfa" in html
    assert "Staf Alfa" in html
    assert "Kepala Bidang Alfa Satu" in html  # the superior, derived from the tree


def test_the_position_page_shows_an_acting_holder(city, staff, today):
    org.assign_acting(city.pegawai_other, city.kabid_a, "plh", today, today + dt.timedelta(days=5))
    response = staff.get(city.kabid_a.get_absolute_url())
    assert (response.context["holder"], response.context["acting"]) == (city.pegawai_other, "plh")
    assert "Plh.</span>" in response.content.decode()


def test_the_employee_page_shows_position_unit_and_superior(city, staff):
    html = page(staff, city.pegawai_same.get_absolute_url())
    for text in (
        "Staf Alfa",
        city.pegawai_same.nip,
        "Pengelola Alfa",
        "Bidang Alfa Satu",
        "Kepala Bidang Alfa Satu",
        "III/a",
    ):
        assert text in html


def test_the_employee_page_hides_private_data_without_view_private(city, client):
    login_as(client, city.staff_other)
    html = page(client, city.pegawai_same.get_absolute_url())
    assert city.pegawai_same.email not in html
    assert city.pegawai_same.telepon not in html
    login_as(client, city.pimpinan)  # head of Dinas Alfa: may see private data of the unit
    html = page(client, city.pegawai_same.get_absolute_url())
    assert city.pegawai_same.email in html and city.pegawai_same.telepon in html


# -- history -------------------------------------------------------------------------------


def test_detail_pages_show_the_history(city, staff):
    org.update_unit(city.dinas_a, {"nama": "Dinas Alfa Raya"})
    html = page(staff, city.dinas_a.get_absolute_url())
    assert 'id="history"' in html
    assert "Dinas Alfa → Dinas Alfa Raya" in html
    assert history_actions(staff, city.dinas_a) == ["update", "create"]
    assert history_events(staff, city.kepala_a) == [("riwayatjabatan", "create"), ("jabatan", "create")]
    assert "create" in history_actions(staff, city.pegawai_same)


def test_private_changes_are_masked_without_view_private(city, client):
    org.update_pegawai(city.pegawai_same, {"email": "rahasia.baru@example.test", "nama": "Staf Alfa Baru"})
    login_as(client, city.staff_other)
    response = client.get(city.pegawai_same.get_absolute_url())
    own = [e for e in response.context["history"] if e.object_type == "organisasi.pegawai"]
    update = next(e for e in own if e.action == "update")
    assert update.visible_changes["email"] == [MASK, MASK]
    assert update.visible_changes["nama"] == ["Staf Alfa", "Staf Alfa Baru"]
    create = next(e for e in own if e.action == "create")
    assert create.visible_changes["tanggal_lahir"] == [MASK, MASK]
    html = response.content.decode()
    assert "rahasia.baru@example.test" not in html and MASK in html


def test_private_changes_are_shown_with_view_private(city, client):
    org.update_pegawai(city.pegawai_same, {"email": "rahasia.baru@example.test"})
    login_as(client, city.pimpinan)
    html = page(client, city.pegawai_same.get_absolute_url())
    assert "rahasia.baru@example.test" in html
    assert MASK not in html


# -- the employee list filter, in the page and in the API ----------------------------------


def test_the_list_filters_by_name(city, staff):
    assert listed(staff, q="Beta") == {"Staf Beta", "Kepala Beta"}
    assert api_listed(staff, q="Beta") == {"Staf Beta", "Kepala Beta"}


def test_the_list_filters_by_nip_prefix(city, staff):
    prefix = city.pegawai_same.nip[:14]
    assert listed(staff, q=prefix) == {"Staf Alfa"}
    assert api_listed(staff, q=prefix) == {"Staf Alfa"}


def test_the_list_filters_by_unit_with_its_sub_units(city, staff):
    assert listed(staff, unit=city.dinas_a.pk) == {"Kepala Alfa", "Staf Alfa"}
    assert listed(staff, unit=city.bidang_a.pk) == {"Staf Alfa"}
    assert api_listed(staff, unit=city.dinas_a.pk) == {"Kepala Alfa", "Staf Alfa"}


def test_the_list_combines_the_filters(city, staff):
    assert listed(staff, q="Kepala", unit=city.dinas_b.pk) == {"Kepala Beta"}
    assert api_listed(staff, q="Kepala", unit=city.dinas_b.pk) == {"Kepala Beta"}


def test_the_list_without_a_filter_shows_everyone_visible(city, staff):
    assert listed(staff) == set(Pegawai.objects.values_list("nama", flat=True))


def test_htmx_gets_only_the_rows(city, staff):
    response = staff.get(reverse("organisasi:pegawai_list"), {"q": "Beta"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith("{% load") is False
    assert 'id="pegawai-rows"' in html and "<html" not in html
    assert "Staf Beta" in html and "Staf Alfa" not in html


# -- the administrator's forms -------------------------------------------------------------


def test_staff_cannot_open_the_forms(city, staff):
    assign = reverse("organisasi:pegawai_assign", args=[city.pegawai_same.pk])
    for url in (
        reverse("organisasi:unit_create"),
        reverse("organisasi:jabatan_create"),
        reverse("organisasi:pegawai_create"),
        assign,
    ):
        assert staff.get(url).status_code == 403
    response = staff.post(
        city.kepala_b.get_absolute_url(),
        {"pegawai": city.pegawai_same.pk, "jenis": "plt", "mulai": "2030-01-01", "selesai": "2030-02-01"},
    )
    assert response.status_code == 403
    assert not PenugasanSementara.objects.exists()


def test_the_administrator_builds_a_unit_with_a_position_and_an_employee(city, admin, today):
    response = admin.post(
        reverse("organisasi:unit_create"),
        {"parent": city.dinas_b.pk, "kode": "400.2.1", "nama": "Bidang Beta Satu", "jenis": "bidang"},
    )
    unit = UnitKerja.objects.get(kode="400.2.1")
    assert response["Location"] == unit.get_absolute_url()
    assert unit.path.startswith(city.dinas_b.path)
    assert history_actions(admin, unit) == ["create"]

    response = admin.post(
        reverse("organisasi:jabatan_create"),
        {
            "unit": unit.pk,
            "kode": "KBB",
            "nama": "Kepala Bidang Beta Satu",
            "jenis": "struktural",
            "eselon": "III.b",
            "is_kepala_unit": "on",
        },
    )
    jabatan = Jabatan.objects.get(kode="KBB")
    assert response["Location"] == jabatan.get_absolute_url()
    assert org.atasan_of(jabatan) == city.kepala_b
    assert history_actions(admin, jabatan) == ["create"]

    nip = make_nip(dt.date(1985, 3, 14), 2010, 1, "L", 2)
    response = admin.post(
        reverse("organisasi:pegawai_create"),
        {
            "nip": f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
            "nama": "Budi Santoso",
            "gelar_belakang": "S.T.",
            "status": "PNS",
            "golongan": "III/c",
            "email": "budi@example.test",
            "aktif": "on",
        },
    )
    pegawai = Pegawai.objects.get(nip=nip)
    assert response["Location"] == pegawai.get_absolute_url()
    assert (pegawai.tanggal_lahir, pegawai.jenis_kelamin) == (dt.date(1985, 3, 14), "L")
    assert history_actions(admin, pegawai) == ["create"]

    response = admin.post(
        reverse("organisasi:pegawai_assign", args=[pegawai.pk]),
        {"jabatan": jabatan.pk, "tmt_mulai": today.isoformat(), "nomor_sk": "800/12/2026"},
    )
    assert response["Location"] == pegawai.get_absolute_url()
    pegawai.refresh_from_db()
    assert (pegawai.jabatan, pegawai.unit) == (jabatan, unit)
    assert history_events(admin, pegawai)[:3] == [
        ("pegawai", "position_refreshed"),
        ("riwayatjabatan", "create"),
        ("pegawai", "create"),
    ]
    html = page(admin, pegawai.get_absolute_url())
    assert "Kepala Bidang Beta Satu" in html and "800/12/2026" in html
    assert "Budi Santoso, S.T." in page(admin, unit.get_absolute_url())


def test_the_employee_form_explains_a_wrong_nip(city, admin):
    response = admin.post(
        reverse("organisasi:pegawai_create"),
        {"nip": "198502302010011002", "nama": "Tanggal Salah", "status": "PNS", "golongan": "III/a"},
    )
    assert response.status_code == 200
    assert "birth date" in " ".join(response.context["form"].errors["nip"])
    assert not Pegawai.objects.filter(nama="Tanggal Salah").exists()


def test_the_employee_form_explains_a_status_that_does_not_match_the_nip(city, admin):
    nip = make_nip(dt.date(1985, 3, 14), 2022, None, "P", 9)
    response = admin.post(
        reverse("organisasi:pegawai_create"),
        {"nip": nip, "nama": "Pppk Salah", "status": "PNS", "golongan": "III/a"},
    )
    assert "PPPK" in " ".join(response.context["form"].errors["nip"])


def test_the_position_form_explains_a_missing_eselon(city, admin):
    response = admin.post(
        reverse("organisasi:jabatan_create"),
        {"unit": city.dinas_b.pk, "nama": "Sekretaris Dinas Beta", "jenis": "struktural"},
    )
    assert response.context["form"].errors["eselon"] == ["A structural position needs its eselon."]


def test_an_appointment_shows_in_the_employee_history_even_before_it_starts(city, admin, today):
    admin.post(
        reverse("organisasi:pegawai_assign", args=[city.pegawai_same.pk]),
        {"jabatan": city.kabid_a.pk, "tmt_mulai": (today + dt.timedelta(days=7)).isoformat()},
    )
    assert RiwayatJabatan.objects.filter(pegawai=city.pegawai_same, jabatan=city.kabid_a).exists()
    events = history_events(admin, city.pegawai_same)
    assert events[:2] == [("riwayatjabatan", "create"), ("riwayatjabatan", "close")]
    assert ("pegawai", "position_refreshed") not in events[:2]  # the current position changes on the day


def test_the_appointment_form_offers_positions_opened_after_the_server_started(city, admin, today, monkeypatch):
    tomorrow = today + dt.timedelta(days=1)
    jabatan = org.create_jabatan(
        {"unit": city.dinas_b, "nama": "Analis Kebijakan", "jenis": "fungsional", "valid_from": tomorrow}
    )
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    response = admin.post(
        reverse("organisasi:pegawai_assign", args=[city.pegawai_other.pk]),
        {"jabatan": jabatan.pk, "tmt_mulai": tomorrow.isoformat()},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Pegawai.objects.get(pk=city.pegawai_other.pk).jabatan == jabatan


def test_the_list_filter_offers_units_opened_after_the_server_started(city, staff, today, monkeypatch):
    tomorrow = today + dt.timedelta(days=1)
    unit = org.create_unit(
        {
            "parent": city.dinas_b,
            "kode": "400.2.9",
            "nama": "UPTD Baru",
            "jenis": "uptd",
            "valid_from": tomorrow,
        }
    )
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    response = staff.get(reverse("organisasi:pegawai_list"), {"unit": unit.pk})
    assert response.context["filter"].is_valid(), response.context["filter"].errors
    assert {p.nama for p in response.context["page"]} == set()


def test_the_administrator_assigns_and_revokes_a_plt(city, admin, today):
    url = city.kepala_b.get_absolute_url()
    end = today + dt.timedelta(days=30)
    response = admin.post(
        url,
        {
            "pegawai": city.pegawai_same.pk,
            "jenis": "plt",
            "mulai": today.isoformat(),
            "selesai": end.isoformat(),
            "nomor_sk": "821/5",
        },
    )
    assert response["Location"] == url
    penugasan = PenugasanSementara.objects.get(jabatan=city.kepala_b)
    assert org.holder_of(city.kepala_b) == (city.pegawai_same, "plt")
    assert history_events(admin, city.kepala_b)[0] == ("penugasansementara", "create")
    assert "Plt. Kepala Dinas Beta — Staf Alfa" in page(admin, url)  # names the assignment in the history
    assert history_events(admin, city.pegawai_same)[0] == ("penugasansementara", "create")
    assert "Plt.</span>" in page(admin, city.pegawai_same.get_absolute_url())

    admin.post(reverse("organisasi:acting_revoke", args=[penugasan.pk]))
    penugasan.refresh_from_db()
    assert penugasan.dicabut is not None
    assert org.holder_of(city.kepala_b)[0].nama == "Kepala Beta"
    assert history_events(admin, city.kepala_b)[:2] == [
        ("penugasansementara", "revoke"),
        ("penugasansementara", "create"),
    ]


def test_the_plt_form_refuses_an_overlap_with_a_message(city, admin, today):
    org.assign_acting(city.pegawai_other, city.kabid_a, "plt", today, today + dt.timedelta(days=30))
    response = admin.post(
        city.kabid_a.get_absolute_url(),
        {
            "pegawai": city.pegawai_same.pk,
            "jenis": "plh",
            "mulai": today.isoformat(),
            "selesai": (today + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "overlaps" in " ".join(response.context["acting_form"].non_field_errors())
    assert PenugasanSementara.objects.count() == 1
