"""Grants: how held roles become action scopes, who must use 2FA, and assigning roles on the user page."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import login_as
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from terpadu.accounts import services
from terpadu.accounts.models import Role, RoleAssignment, User
from terpadu.core import authz
from terpadu.core.authz import Scope
from terpadu.core.models import AuditEvent
from terpadu.organisasi import services as org


@pytest.fixture(autouse=True)
def english(city):
    User.objects.update(language="en")
    with translation.override("en"):  # for messages made outside a request, too
        yield


@pytest.fixture
def today():
    return timezone.localdate()


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def test_grants_join_the_scopes_of_every_held_role(city):
    services.assign_role(city.staff_other, role("arsiparis"), unit=city.bidang_a)
    services.assign_role(city.staff_other, role("auditor"), unit=city.dinas_b)
    grants = services.compute_grants(fresh(city.staff_other))
    assert grants["audit.view"] == Scope(paths=frozenset([city.bidang_a.path, city.dinas_b.path]))
    assert grants["organisasi.view"] == Scope(whole=True)  # the all-pegawai role covers the whole pemda
    assert "organisasi.change" not in grants


def test_a_whole_pemda_grant_absorbs_unit_grants_of_the_same_action(city):
    services.assign_role(city.pimpinan, role("auditor"))
    assert services.compute_grants(fresh(city.pimpinan))["organisasi.view_private"] == Scope(whole=True)


def test_held_roles_say_where_each_role_comes_from(city, today):
    services.assign_role(city.staff_same, role("arsiparis"), unit=city.bidang_a)
    org.assign_acting(city.pegawai_same, city.kepala_b, "plt", today, today)
    with translation.override("en"):
        held = {(h.role.code, str(h.source)) for h in services.held_roles(fresh(city.staff_same))}
    assert held == {
        ("arsiparis", "assigned"),
        ("pegawai", "Every employee"),
        ("pimpinan", "Plt. Kepala Dinas Beta"),
    }


def test_the_profile_page_lists_the_held_roles_and_their_source(city, client, today):
    org.assign_acting(city.pegawai_same, city.kepala_b, "plt", today, today)
    login_as(client, city.staff_same)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Pimpinan unit" in html and "Plt. Kepala Dinas Beta" in html


def test_an_assignment_cannot_end_before_it_starts(city, today):
    with pytest.raises(ValidationError) as error:
        services.assign_role(city.staff_same, role("auditor"), valid_from=today, valid_to=today - dt.timedelta(days=1))
    assert "valid_to" in error.value.message_dict
    assert not RoleAssignment.objects.filter(user=city.staff_same).exists()


def test_assigning_and_revoking_a_role_is_audited_on_the_user(city):
    assignment = services.assign_role(city.staff_same, role("arsiparis"), unit=city.bidang_a)
    services.revoke_role(assignment)
    events = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(city.staff_same.pk))
    assert events.get(action="role_assigned").changes == {
        "role": [None, "arsiparis"],
        "unit": [None, "400.1.2"],
    }
    assert events.get(action="role_revoked").changes == {
        "role": ["arsiparis", None],
        "unit": ["400.1.2", None],
    }


# -- who must use two-factor authentication ------------------------------------------------


def test_roles_that_sign_or_administer_require_2fa(city):
    assert services.requires_2fa(fresh(city.admin))
    assert services.requires_2fa(fresh(city.pimpinan))
    assert not services.requires_2fa(fresh(city.staff_same))
    boss = services.create_user("root", "Rahasia-Uji-12345", is_superuser=True)
    assert services.requires_2fa(boss)


def test_an_acting_head_must_use_2fa_while_acting(city, today):
    org.assign_acting(city.pegawai_same, city.kepala_b, "plh", today, today)
    assert services.requires_2fa(fresh(city.staff_same))


# -- the user administration pages ---------------------------------------------------------


def test_an_administrator_assigns_a_scoped_role_on_the_user_page(city, client, today):
    login_as(client, city.admin)
    url = reverse("accounts:user_detail", args=[city.staff_other.pk])
    response = client.post(
        url,
        {
            "assign": "1",
            "role": role("arsiparis").pk,
            "unit": city.dinas_b.pk,
            "valid_from": today.isoformat(),
            "valid_to": "",
        },
    )
    assert response["Location"] == url
    assignment = RoleAssignment.objects.get(user=city.staff_other)
    assert (assignment.role.code, assignment.unit, assignment.valid_from) == (
        "arsiparis",
        city.dinas_b,
        today,
    )
    page = client.get(url)
    assert any(event.action == "role_assigned" for event in page.context["history"])
    assert authz.scope(fresh(city.staff_other), "audit.view") == Scope(paths=frozenset([city.dinas_b.path]))


def test_the_user_page_offers_units_that_opened_after_the_server_started(city, client, today, monkeypatch):
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
    login_as(client, city.admin)
    url = reverse("accounts:user_detail", args=[city.staff_other.pk])
    response = client.post(url, {"assign": "1", "role": role("arsiparis").pk, "unit": unit.pk})
    assert response.status_code == 302, response.context["assign_form"].errors
    assert RoleAssignment.objects.get(user=city.staff_other).unit == unit


def test_the_user_page_refuses_an_assignment_ending_before_it_starts(city, client, today):
    login_as(client, city.admin)
    response = client.post(
        reverse("accounts:user_detail", args=[city.staff_other.pk]),
        {
            "assign": "1",
            "role": role("arsiparis").pk,
            "valid_from": today.isoformat(),
            "valid_to": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.context["assign_form"].errors["valid_to"] == ["The end date is before the start date."]
    assert not RoleAssignment.objects.filter(user=city.staff_other).exists()


def test_only_managers_assign_roles(city, client):
    login_as(client, city.pimpinan)
    response = client.post(
        reverse("accounts:user_detail", args=[city.staff_same.pk]),
        {"assign": "1", "role": role("admin-sistem").pk},
    )
    assert response.status_code in (403, 404)
    assert not RoleAssignment.objects.filter(user=city.staff_same).exists()


def test_an_administrator_revokes_an_assignment(city, client):
    assignment = services.assign_role(city.staff_other, role("arsiparis"))
    login_as(client, city.admin)
    client.post(reverse("accounts:assignment_revoke", args=[assignment.pk]))
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not authz.has_action(fresh(city.staff_other), "audit.view")


def test_deactivating_a_user_on_the_user_page_takes_every_grant_away(city, client):
    login_as(client, city.admin)
    client.post(
        reverse("accounts:user_detail", args=[city.staff_other.pk]),
        {"first_name": "", "last_name": "", "email": "", "language": "en"},
    )
    user = fresh(city.staff_other)
    assert not user.is_active
    assert authz.grants(user) == {}
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk), action="update").exists()


# -- grants cached across requests -----------------------------------------------------------


def test_cached_grants_cost_one_query_and_follow_a_revoked_role_at_once(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assignment = services.assign_role(city.staff_other, role("auditor"), unit=city.dinas_b)
    assert "audit.view" in services.compute_grants(fresh(city.staff_other))
    user = fresh(city.staff_other)  # the next request: a fresh user object
    with CaptureQueriesContext(connection) as queries:
        assert "audit.view" in services.compute_grants(user)
    assert ["core_auditchainhead" in query["sql"] for query in queries.captured_queries] == [True]
    services.revoke_role(assignment)
    assert "audit.view" not in services.compute_grants(fresh(city.staff_other))


def test_cached_grants_follow_an_acting_appointment(city, today):
    assert not services.requires_2fa(fresh(city.staff_same))
    org.assign_acting(city.pegawai_same, city.kepala_b, "plh", today, today)
    assert services.requires_2fa(fresh(city.staff_same))


def test_cached_grants_end_with_the_day_an_assignment_ends(city, today, monkeypatch):
    services.assign_role(city.staff_other, role("auditor"), unit=city.dinas_b, valid_to=today)
    assert "audit.view" in services.compute_grants(fresh(city.staff_other))
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + dt.timedelta(days=1))
    assert "audit.view" not in services.compute_grants(fresh(city.staff_other))


def test_a_change_made_outside_the_services_shows_within_the_maximum_age(city, monkeypatch):
    import time

    assert "audit.view" not in services.compute_grants(fresh(city.staff_other))
    RoleAssignment.objects.create(user=city.staff_other, role=role("auditor"))  # a manual fix: no audit event
    assert "audit.view" not in services.compute_grants(fresh(city.staff_other))
    later = time.monotonic() + services.ACCESS_MAX_AGE + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert "audit.view" in services.compute_grants(fresh(city.staff_other))


def test_a_page_request_reuses_the_grants_of_the_last_one(city, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_as(client, city.staff_same)
    assert client.get(reverse("accounts:profile")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    assert not any("accounts_roleassignment" in query["sql"] for query in queries.captured_queries)
