"""A 360×740 phone: the collapsed menu, a search, an employee, and a form with an error and a fix."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import horizontal_overflow, shoot, sign_in, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    found = horizontal_overflow(page)
    assert found["scrollWidth"] <= 360, f"{page.url} scrolls sideways: {found}"
    return True


def test_a_staff_member_signs_in_on_a_phone(phone, city):
    sign_in(phone, "staf.alfa")

    expect(phone.locator("[data-card=organisasi]")).to_be_visible()
    assert fits(phone)


def test_on_a_phone_the_menu_opens_from_the_toggler_and_leads_to_the_employees(phone, city, live_server):
    signed_in(phone, city.admin, live_server.url)
    phone.goto("/beranda/")
    menu = phone.get_by_role("navigation", name="Main menu")
    toggler = phone.get_by_role("button", name="Open the menu")

    expect(menu.get_by_role("link", name="Employees")).to_be_hidden()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(phone.locator("#sidebar-menu")).to_have_class(re.compile(r"\bshow\b"))
    expect(menu.get_by_role("link", name="Employees")).to_be_visible()
    expect(menu.get_by_role("searchbox", name="Search")).to_be_visible()
    shoot(phone, "360-menu-open")
    assert fits(phone)
    menu.get_by_role("link", name="Employees").click()

    expect(phone).to_have_url(re.compile(r"/organisasi/pegawai/$"))
    expect(phone.get_by_role("heading", name="Employees", level=1)).to_be_visible()
    expect(menu.get_by_role("link", name="Employees")).to_be_hidden()  # closed again on the new page
    assert fits(phone)


def test_on_a_phone_an_employee_is_found_opened_and_fits_the_screen(phone, city, live_server):
    signed_in(phone, city.admin, live_server.url)
    phone.goto("/organisasi/pegawai/")
    rows = phone.locator("#pegawai-rows tbody tr")
    expect(rows).to_have_count(5)

    phone.get_by_label("Name or NIP").fill("Staf Alfa")  # htmx filters as you type

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(city.pegawai_same.nip)
    assert fits(phone)
    rows.first.get_by_role("link", name="Staf Alfa").click()

    expect(phone).to_have_url(re.compile(rf"/organisasi/pegawai/{city.pegawai_same.pk}/$"))
    expect(phone.get_by_role("heading", name="Staf Alfa", level=1)).to_be_visible()
    expect(phone.get_by_text(city.pegawai_same.nip, exact=True)).to_be_visible()
    expect(phone.get_by_role("link", name="Bidang Alfa Satu")).to_be_visible()
    expect(phone.get_by_role("heading", name="History", exact=True)).to_be_visible()
    assert fits(phone)


def test_on_a_phone_the_global_search_from_the_menu_finds_a_unit(phone, city, live_server):
    signed_in(phone, city.staff_same, live_server.url)
    phone.goto("/beranda/")
    phone.get_by_role("button", name="Open the menu").click()

    search = phone.get_by_role("navigation", name="Main menu").get_by_role("searchbox", name="Search")
    search.fill("Dinas Beta")
    search.press("Enter")

    expect(phone).to_have_url(re.compile(r"/cari/\?q=Dinas\+Beta"))
    expect(phone.get_by_role("link", name=re.compile("^Units Dinas Beta"))).to_be_visible()
    assert fits(phone)


def test_on_a_phone_the_admin_edits_a_unit_sees_the_labelled_error_then_saves(phone, city, live_server):
    signed_in(phone, city.admin, live_server.url)
    phone.goto(f"/organisasi/unit/{city.dinas_a.pk}/")
    phone.get_by_role("link", name="Edit").click()
    expect(phone.get_by_role("heading", name="Edit Dinas Alfa")).to_be_visible()
    assert fits(phone)

    email = phone.get_by_label("E-mail")
    email.fill("bukan-alamat-email")
    phone.get_by_role("button", name="Save").click()

    email = phone.get_by_label("E-mail")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("Enter a valid email address"))
    expect(phone.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(phone.get_by_label("Name")).to_have_value("Dinas Alfa")  # what was typed is kept
    shoot(phone, "360-unit-edit-error")
    assert fits(phone)

    email.fill("alfa@kota-uji.go.id")
    phone.get_by_role("button", name="Save").click()

    expect(phone).to_have_url(re.compile(rf"/organisasi/unit/{city.dinas_a.pk}/$"))
    expect(phone.get_by_role("alert")).to_have_text("Saved.")
    city.dinas_a.refresh_from_db()
    assert city.dinas_a.email == "alfa@kota-uji.go.id"
    assert fits(phone)


def test_on_a_phone_the_admin_picks_an_employee_by_typing_and_assigns_a_plh(phone, city, live_server):
    signed_in(phone, city.admin, live_server.url)
    phone.goto(f"/organisasi/jabatan/{city.kepala_b.pk}/")

    picker = phone.get_by_label("Employee")
    picker.fill("Staf Al")
    choice = phone.get_by_role("option", name=re.compile("Staf Alfa"))
    expect(choice).to_be_visible()
    choice.click()
    expect(picker).to_have_value(re.compile("^Staf Alfa — "))
    phone.get_by_label("Kind").select_option("plh")
    phone.get_by_label("From").fill("2026-01-05")
    phone.get_by_label("Until").fill("2026-01-09")
    phone.get_by_role("button", name="Assign").click()

    expect(phone.get_by_text("The acting assignment was recorded.")).to_be_visible()
    expect(phone.locator(".list-group-item", has_text="Plh. Staf Alfa")).to_be_visible()
    assert fits(phone)
