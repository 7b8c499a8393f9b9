"""Keyboard and screen-reader basics: the skip link, a keyboard-only sign-in, labelled form controls."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby'))
    .map(el => el.outerHTML.slice(0, 120))"""


def test_the_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(page, city):
    page.goto("/")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()  # hidden until focused

    page.keyboard.press("Tab")

    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("main#main a").first).to_be_focused()  # the next stop is inside the content


def test_on_the_dashboard_the_skip_link_also_comes_first(page, city, live_server):
    signed_in(page, city.staff_same, live_server.url)
    page.goto("/beranda/")

    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()


def test_the_sign_in_form_can_be_completed_with_the_keyboard_only(page, city):
    page.goto("/akun/masuk/")
    expect(page.get_by_label("Username or NIP")).to_be_focused()  # autofocus: type straight away

    page.keyboard.type("staf.alfa")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("Rahasia-Uji-12345")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/beranda/$"))
    expect(page.locator("[data-card=organisasi]")).to_be_visible()


def test_the_account_menu_opens_and_signs_out_with_the_keyboard(page, city, live_server):
    signed_in(page, city.staff_same, live_server.url)
    page.goto("/beranda/")
    page.get_by_role("button", name="Account menu").focus()

    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="My account")).to_be_visible()
    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/akun/masuk/$"))


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_form_control_on_the_main_pages_has_a_label(page, city, live_server, who):
    if who == "anonymous":
        urls = ["/", "/akun/masuk/", "/akun/kata-sandi/lupa/"]
    else:
        from terpadu.accounts.models import Role

        role = Role.objects.get(code="admin-sistem")
        signed_in(page, city.admin, live_server.url)
        urls = [
            "/beranda/",
            "/organisasi/pegawai/",
            f"/organisasi/unit/{city.dinas_a.pk}/ubah/",
            f"/organisasi/pegawai/{city.pegawai_same.pk}/ubah/",
            "/organisasi/impor/",
            "/cari/?q=Alfa",
            "/akun/profil/",
            "/akun/token/baru/",
            "/akun/pengguna/",
            f"/akun/pengguna/{city.staff_same.pk}/",
            f"/akun/peran/{role.pk}/",
            f"/organisasi/jabatan/{city.kepala_a.pk}/",
        ]
    unlabelled = {}
    for url in urls:
        page.goto(url)
        expect(page.locator("main#main")).to_be_visible()
        if found := page.evaluate(UNLABELLED_CONTROLS):
            unlabelled[url] = found
    assert unlabelled == {}


def test_the_unit_form_fields_are_found_by_their_labels(page, city, live_server):
    signed_in(page, city.admin, live_server.url)
    page.goto(f"/organisasi/unit/{city.dinas_a.pk}/ubah/")

    expect(page.get_by_label("Parent")).to_have_value(str(city.root.pk))
    expect(page.get_by_label("Code", exact=True)).to_have_value("400.1")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Dinas Alfa")
    expect(page.get_by_label("Code", exact=True)).to_have_accessible_description(re.compile("letter numbers"))
    for label in ("Kind", "Address", "Phone", "E-mail", "Website", "Postal code", "Valid from", "Valid to"):
        expect(page.get_by_label(label, exact=True)).to_be_editable()


def test_required_fields_are_announced_as_required_without_reading_the_asterisk(page, city):
    page.goto("/akun/masuk/")

    expect(page.get_by_role("textbox", name="Username or NIP", exact=True)).to_have_attribute("required", "")
