"""Every route of the project, every persona: allowed or denied as tests/authz_expectations.py says.

The routes come from the URL resolver, not from the table, so a new view is walked the moment it
is added; without an entry in the table its test fails and says what to add.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from conftest import login_as
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import formats, timezone, translation

from tests.authz_expectations import (
    ADMIN,
    ADMIN_PREFIX,
    ANON,
    EXPECTATIONS,
    LOGIN_PATHS,
    OTHER,
    PERSONAS,
    PIMPINAN,
    SAME,
    TABLE_OF,
    build_world,
    expectation_for,
)

# -- the routes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    pattern: str
    params: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.name or f"<unnamed {self.pattern}>"


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            params = tuple(entry.pattern.regex.groupindex) or tuple(
                f"arg{i}" for i in range(entry.pattern.regex.groups)
            )
            yield Route(name, prefix + str(entry.pattern), params)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def walked_routes() -> list[Route]:
    """Every route outside django-admin, and of django-admin its index and every model changelist."""
    routes = []
    for route in all_routes():
        if route.name and route.name.startswith(ADMIN_PREFIX):
            if route.name != "admin:index" and not route.name.endswith("_changelist"):
                continue  # covered by the prefix rule, not requested
        elif route.name is None and route.pattern.startswith("django-admin/"):
            continue  # django-admin's catch-all redirects
        routes.append(route)
    return routes


# -- outcomes --------------------------------------------------------------------------------


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def _redirect_target(response) -> str:
    return response.headers.get("Location", "").split("?")[0]


def _error_body_problem(response) -> str | None:
    """None if the response carries the API error body matching its status; else what is wrong."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return f"a denial without the JSON error body (Content-Type {response.get('Content-Type')!r})"
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return f"a denial without the error body: {response.content[:200]!r}"
    if error.get("status") != response.status_code or not error.get("code") or not error.get("message"):
        return f"an incomplete error body: {error!r}"
    return None


def classify(response, persona: str, path: str, expect) -> tuple[str, str]:
    """("allow" | "deny" | "wrong", detail)."""
    status = response.status_code
    detail = f"{status}"
    if status in (301, 302, 303, 307, 308):
        target = _redirect_target(response)
        detail = f"{status} to {target}"
        if expect.allowed_when is not None and expect.allowed_when(response):
            return "allow", detail
        if target.startswith(LOGIN_PATHS):
            if persona == ANON or target.startswith("/django-admin/login/"):
                return "deny", detail
            return "wrong", f"{detail}: a signed-in user must get 403/404, not the login page"
        if target.startswith("/akun/2fa/"):
            return "wrong", f"{detail}: every persona has passed 2FA"
        return "allow", detail
    if expect.allowed_when is not None and expect.allowed_when(response):
        return "allow", detail
    if 200 <= status < 300:
        return "allow", detail
    if status in (401, 403, 404):
        if is_api(path):
            problem = _error_body_problem(response)
            if problem:
                return "wrong", f"{detail}: {problem}"
            return "deny", detail
        if persona == ANON and status == 404:
            return "wrong", f"{detail}: anonymous visitors are sent to the login page (or get 401/403)"
        return "deny", detail
    return "wrong", f"{detail}: neither allowed nor denied"


# -- the walk --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # the anonymous API throttle counts in the cache
    yield
    cache.clear()


@pytest.fixture
def world(city):
    return build_world(city, lazy=True)


def client_for(world, persona: str) -> Client:
    client = Client()
    if persona != ANON:
        login_as(client, getattr(world.city, persona))
    return client


def audit_count() -> int:
    from terpadu.core.models import AuditEvent

    return AuditEvent.objects.count()


def _missing_entry_message(route: Route) -> str:
    if route.name is None:
        return f"The route {route.pattern!r} has no name: give it one and add it to tests/authz_expectations.py."
    kwargs = f", kwargs=lambda w: {{{', '.join(repr(p) + ': ...' for p in route.params)}}}" if route.params else ""
    return (
        f"The route {route.name!r} ({route.pattern}) is not in tests/authz_expectations.py. "
        f"Add it to EXPECTATIONS with the personas it allows, e.g. {route.name!r}: "
        f"Expect(ADMIN_ONLY{kwargs}) "
        f"(or EVERYONE, SIGNED_IN, frozenset({{SAME, ADMIN}}), ...)."
    )


def test_every_route_has_an_expectation_and_the_arguments_it_needs():
    problems = []
    for route in all_routes():
        if route.name is None and route.pattern.startswith("django-admin/"):
            continue
        expect = expectation_for(route.name)
        if expect is None:
            problems.append(_missing_entry_message(route))
        elif route.params and expect.kwargs is None and not route.name.startswith(ADMIN_PREFIX):
            problems.append(
                f"The route {route.name!r} ({route.pattern}) takes {route.params}: give its entry "
                f"in tests/authz_expectations.py a kwargs provider built from the city fixture."
            )
    assert not problems, "\n".join(problems)


def test_the_table_names_only_routes_that_exist():
    names = {route.name for route in all_routes()}
    stale = sorted(set(EXPECTATIONS) - names)
    assert not stale, f"Remove these entries from tests/authz_expectations.py, no such route: {stale}"


def test_the_walk_reaches_the_api_the_admin_and_the_public_pages():
    names = {route.name for route in walked_routes()}
    assert {
        "api-unit-list",
        "api-unit-detail",
        "api-schema",
        "api-docs",
        "health",
        "portal:home",
        "admin:index",
        "admin:accounts_user_changelist",
        "admin:organisasi_pegawai_changelist",
    } <= names
    assert "admin:accounts_user_change" not in names


def walk_one(client, persona: str, path: str, expect, world) -> list[str]:
    """Request the route as one persona; the list of what disagrees with the table."""
    problems = []
    wanted = "allow" if persona in expect.allow else "deny"
    before = audit_count()
    response = client.get(path, expect.query)
    if expect.post:
        if response.status_code != 405 and classify(response, persona, path, expect)[0] != "deny":
            problems.append(f"{persona}: GET of a POST-only route answered {response.status_code}")
        before = audit_count()
        response = client.post(path, expect.data(world) if expect.data else {})
    elif response.status_code == 405:
        return [f"{persona}: GET answers 405; if the route is POST-only, set post=True in its entry"]
    got, detail = classify(response, persona, path, expect)
    if got != wanted:
        problems.append(f"{persona}: expected {wanted}, got {got} ({detail})")
    if wanted == "deny" and audit_count() != before:
        problems.append(f"{persona}: was denied but the audit trail grew")
    if wanted == "deny" and not expect.post:
        # Denied a page, denied its POST too, with nothing written.
        before = audit_count()
        posted = client.post(f"{path}?{urlencode(expect.query)}" if expect.query else path, {})
        got, detail = classify(posted, persona, path, expect)
        if posted.status_code != 405 and got != "deny":
            problems.append(f"{persona}: denied a GET but a POST answered {got} ({detail})")
        if audit_count() != before:
            problems.append(f"{persona}: a denied POST wrote to the audit trail")
    return problems


@pytest.mark.parametrize("route", walked_routes(), ids=lambda r: r.label)
def test_route_allows_and_denies_each_persona_as_the_table_says(route, world):
    expect = expectation_for(route.name)
    assert expect is not None, _missing_entry_message(route)
    if route.params and not route.name.startswith(ADMIN_PREFIX):
        assert expect.kwargs is not None, f"{route.name!r} takes {route.params}: add a kwargs provider."
    if route.name in TABLE_OF:
        world.extra.build(TABLE_OF[route.name])  # its own module's objects first; others only if it asks
    path = reverse(route.name, kwargs=expect.kwargs(world) if expect.kwargs else None)
    mismatches = []
    for persona in PERSONAS:  # admin last: its successful POSTs may use up the object
        mismatches += walk_one(client_for(world, persona), persona, path, expect, world)
    assert not mismatches, f"{route.name} ({path}):\n  " + "\n  ".join(mismatches)


# -- scope of the data -----------------------------------------------------------------------


def test_pimpinan_exports_the_employees_of_their_own_opd_only(world):
    client = client_for(world, PIMPINAN)
    response = client.get(reverse("organisasi:export"), {"format": "csv", "kind": "pegawai"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    names = {row.get("nama") for row in csv.DictReader(io.StringIO(text))}
    assert "Staf Alfa" in names
    assert "Staf Beta" not in text


def test_admin_exports_the_employees_of_the_whole_pemda(world):
    response = client_for(world, ADMIN).get(reverse("organisasi:export"), {"format": "csv", "kind": "pegawai"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Staf Alfa" in text and "Staf Beta" in text


def _private_values(pegawai) -> list[str]:
    with translation.override("id"):
        shown_birth = formats.date_format(pegawai.tanggal_lahir)
    return [pegawai.email, pegawai.telepon, shown_birth, pegawai.tanggal_lahir.isoformat()]


@pytest.mark.parametrize("persona,sees", [(PIMPINAN, True), (ADMIN, True), (OTHER, False)])
def test_private_fields_of_an_employee_show_only_to_those_who_may_see_them(world, persona, sees):
    pegawai = world.city.pegawai_same
    client = client_for(world, persona)
    page = client.get(reverse("organisasi:pegawai_detail", args=[pegawai.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Staf Alfa" in html
    shown = [value for value in _private_values(pegawai) if value in html]
    if sees:
        assert pegawai.email in html and pegawai.telepon in html
        assert _private_values(pegawai)[2] in html
    else:
        assert shown == [], f"{persona} sees private values {shown} on the page"
    data = client.get(reverse("api-pegawai-detail", args=[pegawai.pk])).json()
    assert data["nama"] == "Staf Alfa"
    private = {key: data[key] for key in ("email", "telepon", "tanggal_lahir")}
    if sees:
        assert private == {
            "email": pegawai.email,
            "telepon": pegawai.telepon,
            "tanggal_lahir": pegawai.tanggal_lahir.isoformat(),
        }
    else:
        assert private == {"email": None, "telepon": None, "tanggal_lahir": None}


def test_private_fields_are_hidden_in_the_employee_list_of_the_api_too(world):
    rows = client_for(world, OTHER).get(reverse("api-pegawai-list"), {"page_size": 500}).json()["results"]
    same = next(row for row in rows if row["nama"] == "Staf Alfa")
    assert same["email"] is None and same["telepon"] is None and same["tanggal_lahir"] is None


# -- API tokens ------------------------------------------------------------------------------


def _bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _token(user, scopes, days=30):
    from terpadu.accounts import services as access
    from terpadu.core.context import acting

    with acting(None, via="command"):
        return access.create_token(user, "integrasi", scopes, days)


def _assert_error(response, status: int):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["code"] and error["message"]
    return error


def test_a_token_limited_to_organisasi_view_lists_units_but_not_users_even_for_an_admin(city):
    _token_row, secret = _token(city.admin, ["organisasi.view"])
    client = Client()
    units = client.get(reverse("api-unit-list"), **_bearer(secret))
    assert units.status_code == 200
    assert "Dinas Alfa" in {row["nama"] for row in units.json()["results"]}
    _assert_error(client.get(reverse("api-user-list"), **_bearer(secret)), 403)
    _assert_error(client.get(reverse("api-audit-events"), **_bearer(secret)), 403)


def test_the_same_admin_with_an_accounts_view_token_lists_users(city):
    _token_row, secret = _token(city.admin, ["accounts.view"])
    response = Client().get(reverse("api-user-list"), **_bearer(secret))
    assert response.status_code == 200
    assert "staf.alfa" in {row["username"] for row in response.json()["results"]}


def test_an_expired_token_gets_401_with_the_error_body(city):
    from terpadu.accounts.models import ApiToken

    token, secret = _token(city.staff_same, ["organisasi.view"])
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
    error = _assert_error(Client().get(reverse("api-unit-list"), **_bearer(secret)), 401)
    assert error["code"] == "authentication_failed"


def test_a_revoked_token_gets_401_with_the_error_body(city):
    from terpadu.accounts import services as access
    from terpadu.core.context import acting

    token, secret = _token(city.staff_same, ["organisasi.view"])
    assert Client().get(reverse("api-unit-list"), **_bearer(secret)).status_code == 200
    with acting(None, via="command"):
        access.revoke_token(token)
    error = _assert_error(Client().get(reverse("api-unit-list"), **_bearer(secret)), 401)
    assert error["code"] == "authentication_failed"


def test_an_unknown_token_gets_401_with_the_error_body(city):
    _assert_error(Client().get(reverse("api-unit-list"), **_bearer("tpd_deadbeef_bukan-token")), 401)


@pytest.mark.parametrize("persona", [OTHER, PIMPINAN])
def test_another_users_token_cannot_be_revoked_by_a_non_admin(world, persona):
    from terpadu.accounts.models import ApiToken

    before = audit_count()
    response = client_for(world, persona).post(reverse("accounts:token_revoke", args=[world.token_same.pk]))
    assert response.status_code in (403, 404)
    assert ApiToken.objects.get(pk=world.token_same.pk).revoked is None
    assert audit_count() == before


def test_the_owner_and_the_admin_may_revoke_a_token(world):
    from terpadu.accounts.models import ApiToken

    response = client_for(world, SAME).post(reverse("accounts:token_revoke", args=[world.token_same.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=world.token_same.pk).revoked is not None
    other, _secret = _token(world.city.staff_same, ["organisasi.view"])
    client_for(world, ADMIN).post(reverse("accounts:token_revoke", args=[other.pk]))
    assert ApiToken.objects.get(pk=other.pk).revoked is not None


@pytest.mark.parametrize("persona", [OTHER, PIMPINAN, ADMIN])
def test_a_session_of_another_user_cannot_be_ended(world, persona):
    from terpadu.accounts.models import UserSession

    before = audit_count()
    response = client_for(world, persona).post(reverse("accounts:end_session", args=[world.session_same.pk]))
    assert response.status_code == 404
    assert UserSession.objects.filter(pk=world.session_same.pk).exists()
    assert audit_count() == before


def test_disabling_2fa_touches_only_the_callers_own_device(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client_for(world, PIMPINAN)  # gives pimpinan a confirmed device
    client = client_for(world, SAME)
    response = client.post(reverse("accounts:2fa_disable"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.city.staff_same).exists()
    assert TOTPDevice.objects.filter(user=world.city.pimpinan, confirmed=True).exists()


# -- one's own record is visible, not changeable ---------------------------------------------


def test_a_user_cannot_give_themselves_a_role_on_their_own_account_page(world):
    from terpadu.accounts.models import Role, RoleAssignment

    user = world.city.staff_same
    client = client_for(world, SAME)
    assert client.get(reverse("accounts:user_detail", args=[user.pk])).status_code == 200
    before = audit_count()
    role = Role.objects.get(code="admin-sistem")
    response = client.post(reverse("accounts:user_detail", args=[user.pk]), {"assign": "1", "role": role.pk})
    assert response.status_code == 403
    response = client.post(
        reverse("accounts:user_detail", args=[user.pk]),
        {"first_name": "Staf", "email": "x@example.test", "is_active": "on", "language": "en"},
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=user, role=role).exists()
    assert audit_count() == before


def test_a_user_cannot_revoke_their_own_role_assignment(world):
    from terpadu.accounts.models import RoleAssignment

    response = client_for(world, OTHER).post(reverse("accounts:assignment_revoke", args=[world.assignment.pk]))
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=world.assignment.pk).exists()


def test_an_employee_cannot_edit_or_appoint_their_own_record(world):
    pegawai = world.city.pegawai_same
    client = client_for(world, SAME)
    before = audit_count()
    assert client.get(reverse("organisasi:pegawai_edit", args=[pegawai.pk])).status_code == 403
    response = client.post(
        reverse("organisasi:pegawai_edit", args=[pegawai.pk]),
        {"nip": pegawai.nip, "nama": "Staf Alfa", "status": "PNS", "golongan": "IV/e"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("organisasi:pegawai_assign", args=[pegawai.pk]),
        {"jabatan": world.city.kabid_a.pk, "tmt_mulai": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    pegawai.refresh_from_db()
    assert pegawai.golongan == "III/a" and pegawai.jabatan_id == world.city.staff_a_jabatan.pk
    assert audit_count() == before


def test_an_employee_still_sees_their_own_private_data(world):
    pegawai = world.city.pegawai_same
    client = client_for(world, SAME)
    html = client.get(reverse("organisasi:pegawai_detail", args=[pegawai.pk])).content.decode()
    assert pegawai.email in html
    data = client.get(reverse("api-pegawai-detail", args=[pegawai.pk])).json()
    assert data["email"] == pegawai.email
    me = client.get(reverse("api-user-detail", args=[world.city.staff_same.pk]))
    assert me.status_code == 200 and me.json()["username"] == "staf.alfa"
