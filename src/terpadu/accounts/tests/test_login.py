"""Sign-in: username or NIP, Argon2, throttling and lockout, the TOTP step, forced 2FA, password reset."""

from __future__ import annotations

import datetime as dt
import re
import runpy
import time
from pathlib import Path

import pytest
from conftest import login_as
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

import terpadu.settings
from terpadu.accounts import services
from terpadu.accounts.models import LoginAttempt, User
from terpadu.core.models import AuditEvent

PASSWORD = "Rahasia-Uji-12345"
PRODUCTION_HASHERS = [
    "terpadu.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture(autouse=True)
def english(city, client):
    """Pin the language: messages are asserted in English whatever the locale files say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    User.objects.update(language="en")
    with translation.override("en"):  # for messages made outside a request, too
        yield


@pytest.fixture
def throttle(settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_LOCKOUT_SECONDS = 600
    return settings


@pytest.fixture
def clock(monkeypatch):
    """Move timezone.now() forward by a number of seconds."""

    def advance(seconds: int) -> None:
        moved = timezone.now() + dt.timedelta(seconds=seconds)
        monkeypatch.setattr(timezone, "now", lambda: moved)

    return advance


@pytest.fixture
def no_otp_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off would refuse a right code right after a wrong one


def sign_in(client, username, password=PASSWORD, ip="127.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def form_errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def codes(device) -> list[str]:
    """The codes the device accepts now (the current step and its neighbours)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now = totp.t()
    result = []
    for step in (now, now + 1, now - 1):
        totp.time = step * device.step + device.t0
        result.append(f"{totp.token():0{device.digits}d}")
    return result


def code(device) -> str:
    return codes(device)[0]


def wrong_code(device) -> str:
    return next(c for c in ("000000", "111111", "222222") if c not in codes(device))


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# -- username, NIP, password hashing -------------------------------------------------------


def test_it_signs_in_with_the_username(city, client):
    response = sign_in(client, "staf.alfa")
    assert response.status_code == 302
    assert signed_in_as(client) == city.staff_same.pk
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_username_is_case_insensitive(city, client):
    sign_in(client, "  Staf.Alfa ")
    assert signed_in_as(client) == city.staff_same.pk


@pytest.mark.parametrize("spaced", [False, True], ids=["plain", "with-spaces"])
def test_it_signs_in_with_the_nip(city, client, spaced):
    nip = city.pegawai_same.nip
    login = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" if spaced else nip
    sign_in(client, login)
    assert signed_in_as(client) == city.staff_same.pk


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(city, client):
    for login in ("staf.alfa", "nobody"):
        response = sign_in(client, login, "Salah-Sandi-999")
        assert signed_in_as(client) is None
        assert form_errors(response) == "The username/NIP or password is wrong."


def test_it_refuses_a_deactivated_user(city, client):
    services.update_user(city.staff_same, {"is_active": False})
    sign_in(client, "staf.alfa")
    assert signed_in_as(client) is None


def test_argon2_is_the_first_hasher_in_production(monkeypatch):
    monkeypatch.setenv("TERPADU_PROFILE", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "terpadu.example.test")
    production = runpy.run_path(str(Path(terpadu.settings.__file__)))
    assert production["PASSWORD_HASHERS"] == PRODUCTION_HASHERS


def test_the_test_profile_only_puts_a_fast_hasher_in_front():
    assert settings.PROFILE == "test"
    assert settings.PASSWORD_HASHERS[1:] == PRODUCTION_HASHERS


def test_a_user_created_with_the_production_hashers_gets_an_argon2_hash_that_verifies(city, client, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = services.create_user("baru", "Kata-Sandi-Kuat-2026")
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    sign_in(client, "baru", "Kata-Sandi-Kuat-2026")
    assert signed_in_as(client) == user.pk


# -- throttling ----------------------------------------------------------------------------


def test_too_many_failures_lock_the_account_even_for_the_right_password(city, client, throttle):
    for _ in range(3):
        sign_in(client, "staf.alfa", "Salah-Sandi-999")
    response = sign_in(client, "staf.alfa")
    assert signed_in_as(client) is None
    assert form_errors(response) == "Too many failed attempts. Try again in 10 minutes."


def test_the_lock_ends_after_the_lockout_time(city, client, throttle, clock):
    for _ in range(3):
        sign_in(client, "staf.alfa", "Salah-Sandi-999")
    clock(540)
    assert "Try again in 1 minute" in form_errors(sign_in(client, "staf.alfa"))
    clock(601)
    sign_in(client, "staf.alfa")
    assert signed_in_as(client) == city.staff_same.pk


def test_a_success_resets_the_count(city, client, throttle):
    for _ in range(2):
        sign_in(client, "staf.alfa", "Salah-Sandi-999")
    sign_in(client, "staf.alfa")
    client.post(reverse("accounts:logout"))
    for _ in range(2):
        sign_in(client, "staf.alfa", "Salah-Sandi-999")
    sign_in(client, "staf.alfa")
    assert signed_in_as(client) == city.staff_same.pk


def test_failures_by_nip_and_by_username_count_against_the_same_account(city, client, throttle):
    nip = city.pegawai_same.nip
    sign_in(client, "staf.alfa", "Salah-Sandi-999")
    sign_in(client, nip, "Salah-Sandi-999")
    sign_in(client, f"{nip[:8]} {nip[8:]}", "Salah-Sandi-999")
    for login in ("staf.alfa", nip):
        response = sign_in(client, login)
        assert signed_in_as(client) is None
        assert "Too many failed attempts" in form_errors(response)


def test_an_address_with_three_times_the_failures_is_locked(city, client, throttle):
    for n in range(9):
        sign_in(client, f"tebakan{n}", "Salah-Sandi-999", ip="10.9.9.9")
    response = sign_in(client, "staf.alfa", ip="10.9.9.9")
    assert signed_in_as(client) is None
    assert "Too many failed attempts" in form_errors(response)
    sign_in(client, "staf.alfa", ip="10.1.1.1")
    assert signed_in_as(client) == city.staff_same.pk


def test_an_address_below_the_limit_is_not_locked(city, client, throttle):
    for n in range(8):
        sign_in(client, f"tebakan{n}", "Salah-Sandi-999", ip="10.9.9.9")
    sign_in(client, "staf.alfa", ip="10.9.9.9")
    assert signed_in_as(client) == city.staff_same.pk


def test_the_lockout_is_audited(city, client, throttle):
    for _ in range(3):
        sign_in(client, "staf.alfa", "Salah-Sandi-999")
    event = AuditEvent.objects.get(action="login_locked")
    assert event.object_id == "staf.alfa"
    assert event.changes["username"] == [None, "staf.alfa"]


def test_failures_that_do_not_lock_are_not_audited_as_a_lockout(city, client, throttle):
    for _ in range(2):
        sign_in(client, "staf.alfa", "Salah-Sandi-999")
    sign_in(client, "staf.alfa")
    client.post(reverse("accounts:logout"))
    sign_in(client, "staf.alfa", "Salah-Sandi-999")
    assert not AuditEvent.objects.filter(action="login_locked").exists()
    for _ in range(2):
        sign_in(client, "staf.alfa", "Salah-Sandi-999")
    assert AuditEvent.objects.filter(action="login_locked").count() == 1


# -- the TOTP step -------------------------------------------------------------------------


def test_with_a_confirmed_device_the_password_alone_does_not_sign_in(city, client, no_otp_throttle):
    device = device_for(city.staff_same)
    response = sign_in(client, "staf.alfa")
    assert response["Location"].startswith(reverse("accounts:2fa_verify"))
    assert signed_in_as(client) is None
    assert client.get(reverse("accounts:profile")).status_code == 302

    client.post(reverse("accounts:2fa_verify"), {"token": code(device)})
    assert signed_in_as(client) == city.staff_same.pk
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_is_refused_and_counts_as_a_failure(city, client, no_otp_throttle):
    device = device_for(city.staff_same)
    sign_in(client, "staf.alfa")
    response = client.post(reverse("accounts:2fa_verify"), {"token": wrong_code(device)})
    assert signed_in_as(client) is None
    assert response.context["form"].errors["token"] == ["The code is wrong or expired."]
    assert LoginAttempt.objects.filter(username="staf.alfa", success=False).count() == 1


def test_wrong_codes_lock_the_account(city, client, throttle, no_otp_throttle):
    device = device_for(city.staff_same)
    sign_in(client, "staf.alfa")
    for _ in range(3):
        client.post(reverse("accounts:2fa_verify"), {"token": wrong_code(device)})
    response = client.post(reverse("accounts:2fa_verify"), {"token": code(device)})
    assert signed_in_as(client) is None
    assert "Too many failed attempts" in " ".join(response.context["form"].non_field_errors())


def test_the_right_password_does_not_reset_the_count_of_wrong_codes(city, client, throttle, no_otp_throttle):
    device = device_for(city.staff_same)
    sign_in(client, "staf.alfa")
    for _ in range(2):
        client.post(reverse("accounts:2fa_verify"), {"token": wrong_code(device)})
    sign_in(client, "staf.alfa")
    client.post(reverse("accounts:2fa_verify"), {"token": wrong_code(device)})
    client.post(reverse("accounts:2fa_verify"), {"token": code(device)})
    assert signed_in_as(client) is None


def test_the_code_step_needs_the_password_step_first(city, client):
    response = client.post(reverse("accounts:2fa_verify"), {"token": "123456"})
    assert response["Location"] == reverse("accounts:login")


# -- forced two-factor ---------------------------------------------------------------------


def test_a_role_that_requires_2fa_forces_the_set_up_page(city, client, no_otp_throttle):
    assert services.requires_2fa(city.pimpinan)
    sign_in(client, "pimpinan")
    assert signed_in_as(client) == city.pimpinan.pk
    for url in (reverse("core:home"), reverse("organisasi:tree"), reverse("accounts:profile")):
        assert client.get(url)["Location"] == reverse("accounts:2fa_setup")

    page = client.get(reverse("accounts:2fa_setup"))
    assert page.status_code == 200 and page.context["required"]
    device = services.totp_device(city.pimpinan, confirmed=False)
    client.post(reverse("accounts:2fa_setup"), {"token": code(device)})
    assert services.totp_device(city.pimpinan) is not None
    assert client.get(reverse("organisasi:tree")).status_code == 200


def test_a_session_that_has_not_passed_the_code_step_is_sent_to_it(city, client):
    device_for(city.pimpinan)
    login_as(client, city.pimpinan, verified=False)
    assert client.get(reverse("organisasi:tree"))["Location"] == reverse("accounts:2fa_verify")


def test_staff_without_such_a_role_are_not_forced(city, client):
    assert not services.requires_2fa(city.staff_same)
    login_as(client, city.staff_same, verified=False)
    assert client.get(reverse("organisasi:tree")).status_code == 200


def test_a_user_whose_roles_require_2fa_cannot_turn_it_off(city, client):
    login_as(client, city.pimpinan)
    response = client.post(reverse("accounts:2fa_disable"), follow=True)
    assert services.totp_device(city.pimpinan) is not None
    assert "cannot be switched off" in response.content.decode()


def test_a_user_without_such_a_role_can_turn_it_off(city, client):
    login_as(client, city.staff_same)
    client.post(reverse("accounts:2fa_disable"))
    assert services.totp_device(city.staff_same) is None
    assert AuditEvent.objects.filter(action="2fa_disabled", object_id=str(city.staff_same.pk)).exists()


def test_the_api_answers_403_json_to_a_session_that_has_not_passed_2fa(city, client):
    login_as(client, city.admin, verified=False)
    response = client.get("/api/v1/organisasi/pegawai/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "2fa_required"
    login_as(client, city.admin)
    assert client.get("/api/v1/organisasi/pegawai/").status_code == 200


# -- password reset by e-mail --------------------------------------------------------------


def test_a_password_reset_mail_carries_a_link_that_sets_a_new_password(city, client):
    client.post(reverse("accounts:password_reset"), {"email": city.staff_same.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [city.staff_same.email]
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new = "Sandi-Baru-Yang-Kuat-77"
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts:login")
    assert AuditEvent.objects.filter(action="password_reset", object_id=str(city.staff_same.pk)).exists()

    sign_in(client, "staf.alfa", new)
    assert signed_in_as(client) == city.staff_same.pk
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once


def test_no_reset_mail_goes_to_an_unknown_address(city, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "orang.lain@example.test"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_hash_with_django_default_argon2_cost_still_verifies_and_is_upgraded(city, client, settings):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = User.objects.get(username="staf.alfa")
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert "m=102400" in user.password
    sign_in(client, "staf.alfa", PASSWORD)
    assert signed_in_as(client) == user.pk
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
