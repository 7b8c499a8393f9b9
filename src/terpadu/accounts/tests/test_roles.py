"""Roles are data: shipped in roles.json, loaded idempotently, cloned, edited with an audit trail."""

from __future__ import annotations

import json

import pytest
from conftest import login_as
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from terpadu.accounts import services
from terpadu.accounts.models import Role, User
from terpadu.core.models import AuditEvent

SHIPPED = json.loads(services.ROLES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def english(request, db):
    if "city" in request.fixturenames:
        request.getfixturevalue("city")
    User.objects.update(language="en")
    with translation.override("en"):  # for messages made outside a request, too
        yield


def role_events(role, action=None):
    events = AuditEvent.objects.filter(object_type="accounts.role", object_id=str(role.pk))
    return events.filter(action=action) if action else events


def test_loading_the_default_roles_creates_every_shipped_role(db):
    assert services.load_default_roles() == len(SHIPPED)
    pimpinan = Role.objects.get(code="pimpinan")
    assert (pimpinan.auto_assign, pimpinan.auto_scope, pimpinan.requires_2fa) == ("kepala", "unit", True)
    assert set(Role.objects.values_list("code", flat=True)) == {spec["code"] for spec in SHIPPED}
    assert AuditEvent.objects.filter(object_type="accounts.role", action="create").count() == len(SHIPPED)


def test_loading_the_default_roles_again_changes_nothing(db):
    services.load_default_roles()
    events = AuditEvent.objects.count()
    assert services.load_default_roles() == 0
    assert Role.objects.count() == len(SHIPPED)
    assert AuditEvent.objects.count() == events


def test_loading_keeps_an_administrators_edit_of_a_shipped_role(db):
    services.load_default_roles()
    role = Role.objects.get(code="auditor")
    services.save_role(role, {"actions": ["audit.view"]})
    assert services.load_default_roles() == 0
    role.refresh_from_db()
    assert role.actions == ["audit.view"]


def test_loading_with_update_resets_a_shipped_role_and_is_idempotent_too(db):
    services.load_default_roles()
    role = Role.objects.get(code="auditor")
    services.save_role(role, {"actions": ["audit.view"]})
    assert services.load_default_roles(update=True) == 1
    role.refresh_from_db()
    assert role.actions == next(spec["actions"] for spec in SHIPPED if spec["code"] == "auditor")
    assert role_events(role, "update").count() == 2
    assert services.load_default_roles(update=True) == 0


def test_every_shipped_role_uses_actions_the_installed_modules_provide(db):
    services.load_default_roles()
    for role in Role.objects.all():
        assert services.unknown_actions(role.actions) == [], role.code


def test_unknown_actions_are_reported(db):
    assert services.unknown_actions(["organisasi.view", "naskah.sign", "accounts.manage", "x"]) == [
        "naskah.sign",
        "x",
    ]
    assert services.unknown_actions([]) == []


def test_a_clone_copies_the_actions_but_is_not_automatic(city):
    original = Role.objects.get(code="pimpinan")
    clone = services.clone_role(original, "pimpinan-plus", "Pimpinan plus")
    assert clone.pk != original.pk
    assert clone.actions == original.actions
    assert (clone.module, clone.requires_2fa, clone.auto_assign) == (original.module, True, "")
    assert role_events(clone, "create").get().changes["actions"] == [None, original.actions]
    clone.actions.append("organisasi.change")
    original.refresh_from_db()
    assert "organisasi.change" not in original.actions


def test_saving_a_role_is_audited_with_the_changes(city):
    role = Role.objects.get(code="arsiparis")
    shipped = list(role.actions)
    services.save_role(role, {"actions": ["organisasi.view"], "name": "Arsiparis unit"})
    event = role_events(role, "update").get()
    assert event.changes["actions"] == [shipped, ["organisasi.view"]]
    assert event.changes["name"] == ["Arsiparis", "Arsiparis unit"]


def test_a_new_role_is_audited_as_created(db):
    role = services.save_role(
        None,
        {"code": "operator-uji", "name": "Operator uji", "module": "core", "actions": ["organisasi.view"]},
    )
    assert role_events(role, "create").exists()


@pytest.mark.parametrize("actions", ["organisasi.view", [1, 2], {"organisasi.view": True}])
def test_a_role_keeps_its_actions_as_a_list_of_names(db, actions):
    with pytest.raises(ValidationError) as error:
        services.save_role(None, {"code": "rusak", "name": "Rusak", "module": "core", "actions": actions})
    assert "actions" in error.value.message_dict
    assert not Role.objects.filter(code="rusak").exists()


def test_an_administrator_clones_a_role_on_its_page(city, client):
    login_as(client, city.admin)
    original = Role.objects.get(code="auditor")
    response = client.post(
        reverse("accounts:role_detail", args=[original.pk]),
        {"clone": "1", "code": "auditor-kecamatan", "name": "Auditor kecamatan"},
    )
    clone = Role.objects.get(code="auditor-kecamatan")
    assert response["Location"] == reverse("accounts:role_detail", args=[clone.pk])
    assert clone.actions == original.actions


def test_the_role_page_refuses_a_clone_code_that_exists(city, client):
    login_as(client, city.admin)
    role = Role.objects.get(code="auditor")
    response = client.post(
        reverse("accounts:role_detail", args=[role.pk]), {"clone": "1", "code": "pimpinan", "name": "Salinan"}
    )
    assert response.context["clone_form"].errors["code"] == ["A role with this code exists."]


def test_the_role_page_warns_about_unknown_actions_and_keeps_them_on_save(city, client):
    role = services.save_role(
        None,
        {
            "code": "sekretaris",
            "name": "Sekretaris",
            "module": "naskah",
            "actions": ["organisasi.view", "naskah.sign"],
        },
    )
    login_as(client, city.admin)
    page = client.get(reverse("accounts:role_detail", args=[role.pk]))
    assert page.context["unknown"] == ["naskah.sign"]
    assert "naskah.sign" in page.content.decode()

    client.post(
        reverse("accounts:role_detail", args=[role.pk]),
        {
            "code": "sekretaris",
            "name": "Sekretaris dinas",
            "module": "naskah",
            "description": "",
            "actions": ["organisasi.view", "audit.view"],
            "auto_scope": "unit",
            "auto_assign": "",
        },
    )
    role.refresh_from_db()
    assert role.name == "Sekretaris dinas"
    assert sorted(role.actions) == ["audit.view", "naskah.sign", "organisasi.view"]
    assert role_events(role, "update").exists()


def test_only_managers_edit_roles(city, client):
    role = Role.objects.get(code="auditor")
    login_as(client, city.staff_same)
    assert client.get(reverse("accounts:role_detail", args=[role.pk])).status_code == 403
    services.assign_role(city.staff_same, role)
    login_as(client, city.staff_same)
    page = client.get(reverse("accounts:role_detail", args=[role.pk]))
    assert page.status_code == 200 and not page.context["can_manage"]
    response = client.post(
        reverse("accounts:role_detail", args=[role.pk]), {"clone": "1", "code": "salinan", "name": "Salinan"}
    )
    assert response.status_code == 403
    assert not Role.objects.filter(code="salinan").exists()
