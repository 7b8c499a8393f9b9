"""Signing in with a username or a NIP, and what a wrong password looks like."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect_dashboard(page, position: str):
    expect(page).to_have_url(re.compile(r"/beranda/$"))
    card = page.locator("[data-card=organisasi]")
    expect(card.get_by_role("heading", name="Organisation")).to_be_visible()
    expect(card).to_contain_text(position)
    expect(card.get_by_role("link", name="Open the organisation")).to_be_visible()


def test_a_staff_member_signs_in_with_the_username_and_lands_on_the_dashboard(page, city):
    sign_in(page, "staf.alfa")

    expect_dashboard(page, "Pengelola Alfa")
    expect(page.get_by_role("button", name="Account menu")).to_be_visible()


def test_a_staff_member_signs_in_with_the_nip_written_with_spaces(page, city):
    nip = city.pegawai_same.nip
    sign_in(page, f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")

    expect_dashboard(page, "Pengelola Alfa")


def test_a_wrong_password_shows_the_error_and_stays_on_the_sign_in_page(page, city):
    sign_in(page, "staf.alfa", "Bukan-Sandinya-999")

    expect(page.get_by_role("alert")).to_have_text("The username/NIP or password is wrong.")
    expect(page).to_have_url(re.compile(r"/akun/masuk/"))
    expect(page.get_by_label("Username or NIP")).to_have_value("staf.alfa")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.locator("[data-card=organisasi]")).to_have_count(0)


def test_a_signed_out_visitor_who_opens_the_dashboard_is_sent_to_sign_in_and_back(page, city):
    page.goto("/beranda/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/\?next=/beranda/"))

    page.get_by_label("Username or NIP").fill("staf.alfa")
    page.get_by_label("Password").fill("Rahasia-Uji-12345")
    page.get_by_role("button", name="Sign in").click()

    expect_dashboard(page, "Pengelola Alfa")
