"""Sessions: idle expiry, the 'my sessions' list, ending another session, and logout."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from terpadu.accounts import services
from terpadu.accounts.models import User, UserSession

PASSWORD = "Rahasia-Uji-12345"


@pytest.fixture(autouse=True)
def english(city):
    User.objects.update(language="en")
    with translation.override("en"):  # for messages made outside a request, too
        yield


@pytest.fixture
def clock(monkeypatch):
    """Move timezone.now() forward (sessions expire by the database clock, not by the cookie)."""
    start = timezone.now()

    def advance_to(seconds: int) -> None:
        moved = start + dt.timedelta(seconds=seconds)
        monkeypatch.setattr(timezone, "now", lambda: moved)

    return advance_to


def browser(user_agent: str, ip: str) -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)


def sign_in(client, username="staf.alfa"):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert client.session.get("_auth_user_id"), response.content.decode()[:500]
    return client


def is_signed_in(client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


# -- idle expiry ---------------------------------------------------------------------------


def test_sessions_expire_after_the_configured_idle_time():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_requests_push_the_expiry_forward_at_most_once_a_minute(city, client, clock):
    login_as(client, city.staff_same)
    assert is_signed_in(client)
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    clock(30)
    assert is_signed_in(client)
    assert Session.objects.get(session_key=key).expire_date == expiry  # no write within the minute
    clock(90)
    assert is_signed_in(client)
    moved = Session.objects.get(session_key=key).expire_date
    assert moved > expiry
    assert abs((moved - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 5


def test_a_session_stays_alive_while_used_and_ends_when_idle(city, client, clock):
    age = settings.SESSION_COOKIE_AGE
    login_as(client, city.staff_same)
    assert client.session.get_expiry_age() == age
    clock(age - 60)
    assert is_signed_in(client)
    clock(2 * age - 120)  # more than the idle time since sign-in, but not since the last request
    assert is_signed_in(client)
    clock(3 * age)  # idle for longer than the idle time
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# -- my sessions ---------------------------------------------------------------------------


def test_signing_in_records_the_session_for_the_my_sessions_page(city):
    office = sign_in(browser("Kantor-Firefox", "10.0.0.1"))
    tracked = UserSession.objects.get(user=city.staff_same)
    assert (tracked.session_key, tracked.ip, tracked.user_agent) == (
        office.session.session_key,
        "10.0.0.1",
        "Kantor-Firefox",
    )


def test_the_my_sessions_page_lists_every_session_of_the_user(city):
    office = sign_in(browser("Kantor-Firefox", "10.0.0.1"))
    sign_in(browser("Ponsel-Chrome", "10.0.0.2"))
    sign_in(browser("Browser-Orang-Lain", "10.0.0.3"), "staf.beta")

    page = office.get(reverse("accounts:profile"))
    sessions = list(page.context["sessions"])
    assert {s.user_agent for s in sessions} == {"Kantor-Firefox", "Ponsel-Chrome"}
    html = page.content.decode()
    assert "Kantor-Firefox" in html and "Ponsel-Chrome" in html and "10.0.0.2" in html
    assert "Browser-Orang-Lain" not in html
    assert "this session" in html


def test_ending_a_session_logs_the_other_browser_out(city):
    office = sign_in(browser("Kantor-Firefox", "10.0.0.1"))
    phone = sign_in(browser("Ponsel-Chrome", "10.0.0.2"))
    phone_key = phone.session.session_key
    tracked = UserSession.objects.get(session_key=phone_key)

    response = office.post(reverse("accounts:end_session", args=[tracked.pk]))
    assert response["Location"] == reverse("accounts:profile")
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert not UserSession.objects.filter(pk=tracked.pk).exists()
    assert not is_signed_in(phone)
    assert is_signed_in(office)


def test_nobody_ends_someone_elses_session(city):
    office = sign_in(browser("Kantor-Firefox", "10.0.0.1"))
    other = sign_in(browser("Browser-Orang-Lain", "10.0.0.3"), "staf.beta")
    tracked = UserSession.objects.get(user=city.staff_other)

    office.post(reverse("accounts:end_session", args=[tracked.pk]))
    assert UserSession.objects.filter(pk=tracked.pk).exists()
    assert is_signed_in(other)


def test_logging_out_removes_the_session_from_the_list(city):
    office = sign_in(browser("Kantor-Firefox", "10.0.0.1"))
    office.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=city.staff_same).exists()
    assert not is_signed_in(office)


def test_deactivating_a_user_ends_all_their_sessions(city):
    office = sign_in(browser("Kantor-Firefox", "10.0.0.1"))
    phone = sign_in(browser("Ponsel-Chrome", "10.0.0.2"))
    services.update_user(city.staff_same, {"is_active": False})
    assert not UserSession.objects.filter(user=city.staff_same).exists()
    assert not is_signed_in(office) and not is_signed_in(phone)
