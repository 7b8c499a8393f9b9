"""Two-factor authentication: forced set-up for roles that require it, then sign-in with a code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_FIELD = "6-digit code from your authenticator app"


def sign_out(page):
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/akun/masuk/$"))


def a_wrong_code(secret: str) -> str:
    valid = {totp_code(secret, offset) for offset in (-1, 0, 1, 2)}
    return next(code for code in ("123456", "654321", "111111", "999999") if code not in valid)


def confirmed_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_an_administrator_must_set_up_2fa_and_then_signs_in_with_a_code(page, city):
    sign_in(page, "admin")

    expect(page).to_have_url(re.compile(r"/akun/2fa/atur/$"))
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for the authenticator app")).to_be_visible()
    page.goto("/organisasi/")  # nothing else opens before 2FA is set up
    expect(page).to_have_url(re.compile(r"/akun/2fa/atur/$"))

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label(CODE_FIELD).fill(totp_code(secret))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("alert")).to_have_text("Two-factor authentication is on.")
    expect(page.get_by_text("On: sign-in asks for a code from your authenticator app.")).to_be_visible()

    sign_out(page)
    sign_in(page, "admin")

    expect(page).to_have_url(re.compile(r"/akun/2fa/verifikasi/"))
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    # The set-up used this time step's code and a code counts once, so type the app's next code (shifted by
    # the clock drift the server learnt at set-up, in case that step ended just as the code arrived).
    drift = city.admin.totpdevice_set.get(confirmed=True).drift
    page.get_by_label(CODE_FIELD).fill(totp_code(secret, offset=drift + 1))
    page.get_by_role("button", name="Verify").click()

    expect(page).to_have_url(re.compile(r"/beranda/$"))
    expect(page.locator("[data-card=organisasi]")).to_be_visible()
    page.goto("/akun/pengguna/")
    expect(page.get_by_role("heading", name="Users")).to_be_visible()


def test_a_wrong_code_during_set_up_is_refused_with_an_error(page, city):
    sign_in(page, "admin")
    expect(page).to_have_url(re.compile(r"/akun/2fa/atur/$"))
    secret = page.locator("#totp-secret").inner_text()

    page.get_by_label(CODE_FIELD).fill(a_wrong_code(secret))
    page.get_by_role("button", name="Turn on").click()

    field = page.get_by_label(CODE_FIELD)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("The code does not match"))
    expect(page).to_have_url(re.compile(r"/akun/2fa/atur/$"))
    expect(page.locator("#totp-secret")).to_have_text(secret)  # the same key, so the app need not rescan


def test_a_wrong_code_at_sign_in_shows_an_error_and_does_not_sign_in(page, city):
    from base64 import b32encode

    device = confirmed_device(city.pimpinan)
    secret = b32encode(device.bin_key).decode()
    sign_in(page, "pimpinan")
    expect(page).to_have_url(re.compile(r"/akun/2fa/verifikasi/"))

    page.get_by_label(CODE_FIELD).fill(a_wrong_code(secret))
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_text("The code is wrong or expired.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/akun/2fa/verifikasi/"))
    page.goto("/beranda/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/"))


def test_letters_instead_of_a_code_are_refused_with_a_message(page, city):
    confirmed_device(city.pimpinan)
    sign_in(page, "pimpinan")

    page.get_by_label(CODE_FIELD).fill("abcdef")
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_text("The code has digits only.")).to_be_visible()
