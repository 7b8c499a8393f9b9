"""API tokens: shown once and stored as a hash, scoped, expiring, revocable, their use recorded."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from conftest import login_as
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from terpadu.accounts import services
from terpadu.accounts.models import ApiToken, User
from terpadu.core.models import AuditEvent

PEGAWAI_API = "/api/v1/organisasi/pegawai/"
USERS_API = "/api/v1/akses/pengguna/"


@pytest.fixture(autouse=True)
def english(city, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    User.objects.update(language="en")
    with translation.override("en"):  # for messages made outside a request, too
        yield


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_for(user, scopes, days=30):
    return services.create_token(user, "sistem-uji", scopes, days)


# -- creating ------------------------------------------------------------------------------


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(city, client):
    login_as(client, city.staff_same)
    response = client.post(
        reverse("accounts:token_create"), {"name": "SIMPEG", "scopes": ["organisasi.view"], "days": "30"}
    )
    secret = re.search(r'id="token-secret"[^>]*>(tpd_[^<]+)<', response.content.decode()).group(1)

    token = ApiToken.objects.get(user=city.staff_same)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.split("_")[1] == token.prefix
    stored = " ".join(str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values())
    assert secret not in stored
    assert secret not in str(AuditEvent.objects.get(object_type="accounts.apitoken", action="create").changes)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "SIMPEG" in profile and token.prefix in profile and secret not in profile
    assert client.get(PEGAWAI_API, **bearer(secret)).status_code == 200


def test_a_token_expires_after_the_chosen_number_of_days(city, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    token, _secret = token_for(city.staff_same, ["organisasi.view"], days=90)
    assert token.expires == now + dt.timedelta(days=90)
    assert token.is_usable()
    monkeypatch.setattr(timezone, "now", lambda: now + dt.timedelta(days=90))
    assert not token.is_usable()


@pytest.mark.parametrize("days", [0, 731, -5])
def test_it_refuses_a_lifetime_out_of_range_with_a_message(city, days):
    with pytest.raises(ValidationError) as error:
        token_for(city.staff_same, ["organisasi.view"], days=days)
    assert error.value.message_dict["days"] == ["A token lives between 1 and 730 days."]


def test_it_refuses_unknown_scopes_naming_them(city):
    with pytest.raises(ValidationError) as error:
        token_for(city.staff_same, ["organisasi.view", "surat.sign"])
    assert error.value.message_dict["scopes"] == ["Unknown actions: surat.sign"]
    with pytest.raises(ValidationError) as error:
        token_for(city.staff_same, [])
    assert "scopes" in error.value.message_dict
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scopes": ["surat.sign"], "days": "30"}, "scopes"),
        ({"scopes": ["organisasi.view"], "days": "0"}, "days"),
        ({"scopes": ["organisasi.view"], "days": "731"}, "days"),
    ],
)
def test_the_token_form_refuses_unknown_scopes_and_lifetimes_out_of_range(city, client, data, field):
    login_as(client, city.staff_same)
    response = client.post(reverse("accounts:token_create"), {"name": "SIMPEG", **data})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ApiToken.objects.exists()


# -- using ---------------------------------------------------------------------------------


def test_a_token_may_only_use_its_scopes_even_if_the_user_may_do_more(city, client):
    _token, secret = token_for(city.admin, ["accounts.view"])
    assert client.get(USERS_API, **bearer(secret)).status_code == 200
    response = client.get(PEGAWAI_API, **bearer(secret))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_scope_adds_nothing_to_what_the_user_may_do(city, client):
    _token, secret = token_for(city.staff_same, ["accounts.view", "organisasi.view"])
    assert client.get(PEGAWAI_API, **bearer(secret)).status_code == 200
    assert client.get(USERS_API, **bearer(secret)).status_code == 403


def test_a_token_user_sees_only_their_scope_of_data(city, client):
    _token, secret = token_for(city.pimpinan, ["organisasi.view"])
    rows = client.get(PEGAWAI_API, **bearer(secret)).json()["results"]
    by_name = {row["nama"]: row for row in rows}
    assert by_name["Staf Alfa"]["email"]  # pimpinan of Dinas Alfa sees private data of the unit
    assert by_name["Staf Beta"]["email"] is None


def test_the_last_use_time_and_address_are_recorded(city, client):
    token, secret = token_for(city.staff_same, ["organisasi.view"])
    assert token.last_used is None
    before = timezone.now()
    client.get(PEGAWAI_API, REMOTE_ADDR="10.20.30.40", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used >= before
    assert token.last_used_ip == "10.20.30.40"


def test_an_expired_token_is_refused_with_401(city, client):
    token, secret = token_for(city.staff_same, ["organisasi.view"])
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(PEGAWAI_API, **bearer(secret))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This API token is expired or revoked."


def test_a_revoked_token_is_refused_with_401(city, client):
    token, secret = token_for(city.staff_same, ["organisasi.view"])
    login_as(client, city.staff_same)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    client.logout()
    token.refresh_from_db()
    assert token.revoked is not None
    assert AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(token.pk), action="revoke").exists()
    assert client.get(PEGAWAI_API, **bearer(secret)).status_code == 401


def test_nobody_revokes_someone_elses_token_without_accounts_manage(city, client):
    token, secret = token_for(city.staff_same, ["organisasi.view"])
    login_as(client, city.staff_other)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 403
    client.logout()
    assert client.get(PEGAWAI_API, **bearer(secret)).status_code == 200


def test_an_administrator_may_revoke_any_token(city, client):
    token, _secret = token_for(city.staff_same, ["organisasi.view"])
    login_as(client, city.admin)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked is not None


def test_a_token_of_a_deactivated_user_is_refused(city, client):
    _token, secret = token_for(city.staff_same, ["organisasi.view"])
    services.update_user(city.staff_same, {"is_active": False})
    assert client.get(PEGAWAI_API, **bearer(secret)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer tpd_00000000_forged", "Bearer something", "Bearer a b"])
def test_a_forged_or_malformed_token_is_refused_with_401(city, client, header):
    token, secret = token_for(city.staff_same, ["organisasi.view"])
    header = header.replace("00000000", token.prefix)
    assert client.get(PEGAWAI_API, HTTP_AUTHORIZATION=header).status_code == 401
