"""Every 4xx/5xx under /api/ is JSON {"error": {"status", "code", "message", ...}} — never an HTML page."""

from __future__ import annotations

import pytest


def error_of(response, status: int, request_id: bool = True) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    if request_id:
        assert error["request_id"] == response["X-Request-ID"]  # to find the request in the logs
    return error


def test_an_anonymous_call_gets_401_with_the_bearer_challenge(db, client):
    response = client.get("/api/v1/notifications/")
    assert error_of(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_unknown_token_gets_401(db, client):
    response = client.get("/api/v1/notifications/", HTTP_AUTHORIZATION="Bearer tpd_no-such-token")
    assert error_of(response, 401)["code"] == "authentication_failed"


def test_a_malformed_authorization_header_gets_401(db, client):
    response = client.get("/api/v1/notifications/", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert error_of(response, 401)["code"] == "authentication_failed"


def test_a_call_without_the_right_gets_403(city, client, login):
    login(client, city.staff_same)
    assert error_of(client.get("/api/v1/audit/events/"), 403)["code"] == "permission_denied"


def test_an_account_that_still_owes_its_second_factor_gets_403(city, client, login):
    login(client, city.admin, verified=False)  # admins must pass TOTP
    # accounts' 2FA middleware writes this body itself, without the request id.
    assert error_of(client.get("/api/v1/notifications/"), 403, request_id=False)["code"] == "2fa_required"


def test_an_unknown_route_under_the_api_gets_404(db, client):
    assert error_of(client.get("/api/v1/tidak-ada/"), 404)["code"] == "not_found"
    assert error_of(client.get("/api/tidak-ada"), 404)["code"] == "not_found"


def test_an_unknown_object_gets_404(city, client, login):
    login(client, city.staff_same)
    assert error_of(client.get("/api/v1/organisasi/unit/999999/"), 404)["code"] == "not_found"


def test_an_object_outside_the_callers_scope_is_indistinguishable_from_a_missing_one(city, client, login):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core.context import acting

    with acting(None, via="command"):
        operator = access.create_user("operator.alfa", None)
        access.assign_role(operator, Role.objects.get(code="operator-layanan"), unit=city.dinas_a)
    login(client, operator)
    assert client.get(f"/api/v1/organisasi/unit/{city.dinas_a.pk}/").status_code == 200
    assert error_of(client.get(f"/api/v1/organisasi/unit/{city.dinas_b.pk}/"), 404)["code"] == "not_found"


def test_invalid_input_gets_400_with_the_field_details(city, client, login):
    login(client, city.staff_same)
    error = error_of(client.get("/api/v1/search/"), 400)
    assert error["code"] == "invalid"
    assert list(error["details"]) == ["q"]


def test_a_request_for_a_host_that_is_not_allowed_gets_a_json_400(db, client):
    error = error_of(client.get("/api/v1/notifications/", HTTP_HOST="penyerang.example"), 400)
    assert error["code"] == "bad_request"


def test_a_method_the_endpoint_does_not_have_gets_405(city, client, login):
    login(client, city.staff_same)
    assert error_of(client.post("/api/v1/notifications/", {}), 405)["code"] == "method_not_allowed"
    assert error_of(client.delete("/api/v1/search/?q=x"), 405)["code"] == "method_not_allowed"


def test_an_unexpected_error_gets_a_json_500_without_internals(city, client, login, monkeypatch):
    from terpadu.core import search

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(search, "search", broken)
    login(client, city.staff_same)
    error = error_of(client.get("/api/v1/search/", {"q": "x"}), 500)
    assert error["code"] == "server_error"
    assert "secret internals" not in str(error)


@pytest.mark.parametrize("path", ["/api/v1/tidak-ada/", "/api/v1/organisasi/unit/999999/", "/api/v1/search/"])
def test_the_error_codes_do_not_depend_on_the_language(city, client, login, path):
    login(client, city.staff_same)
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    indonesian = client.get(path, HTTP_ACCEPT_LANGUAGE="id").json()["error"]
    assert english["code"] == indonesian["code"]
    assert english["status"] == indonesian["status"]


def test_web_pages_keep_their_html_error_pages(db, client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
