"""Structured logs: every log line and every audit event of a request carries the request's id, the id
is echoed back in X-Request-ID, and the gunicorn access log (deploy/gunicorn.conf.py) is JSON with it."""

from __future__ import annotations

import http.client
import io
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import login_as
from django.http import HttpResponse
from django.urls import include, path, reverse

from terpadu.core.logging import JsonFormatter, RequestIdFilter
from terpadu.core.models import AuditEvent
from terpadu.organisasi import services as org
from terpadu.organisasi.models import UnitKerja

REPO = Path(__file__).resolve().parents[4]
logger = logging.getLogger("terpadu.test.logging")


def rename_unit(request, pk: int):
    """A view that logs and changes data through a service, like every real view does."""
    logger.info("renaming unit %s", pk)
    org.update_unit(UnitKerja.objects.get(pk=pk), {"nama": "Dinas Alfa Baru"})
    return HttpResponse("ok")


urlpatterns = [path("uji/ganti-nama/<int:pk>/", rename_unit), path("", include("terpadu.urls"))]


@pytest.fixture
def json_log():
    """The JSON lines logged while the test runs, formatted exactly as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.fixture
def test_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_the_log_lines_and_audit_events_of_a_request_carry_its_request_id_which_is_echoed_back(
    client, city, json_log, test_urls
):
    login_as(client, city.admin)
    response = client.get(f"/uji/ganti-nama/{city.dinas_a.pk}/", HTTP_X_REQUEST_ID="req-0123456789abcdef")

    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-0123456789abcdef"
    line = next(entry for entry in json_log() if entry["logger"] == "terpadu.test.logging")
    assert line["message"] == f"renaming unit {city.dinas_a.pk}"
    assert line["request_id"] == "req-0123456789abcdef"
    assert line["actor"] == "admin"
    assert line["level"] == "INFO"
    event = AuditEvent.objects.get(object_type="organisasi.unitkerja", object_id=str(city.dinas_a.pk), action="update")
    assert event.request_id == "req-0123456789abcdef"
    assert event.changes["nama"] == ["Dinas Alfa", "Dinas Alfa Baru"]


def test_without_an_incoming_id_one_is_made_up_and_used_for_the_logs_the_events_and_the_answer(
    client, city, json_log, test_urls
):
    login_as(client, city.admin)
    response = client.get(f"/uji/ganti-nama/{city.dinas_a.pk}/")

    request_id = response["X-Request-ID"]
    assert len(request_id) >= 16
    assert [e["request_id"] for e in json_log() if e["logger"] == "terpadu.test.logging"] == [request_id]
    assert AuditEvent.objects.order_by("-seq").first().request_id == request_id


def test_requests_get_different_ids(client, db):
    first = client.get("/health")["X-Request-ID"]
    second = client.get("/health")["X-Request-ID"]
    assert first != second


def test_djangos_own_warnings_about_a_response_carry_the_request_id(client, city, json_log):
    # require_POST answers 405 without raising: Django logs it after the middleware is done.
    login_as(client, city.staff_same)
    response = client.get(reverse("core:notifications_read"), HTTP_X_REQUEST_ID="req-405")

    assert response.status_code == 405
    line = next(e for e in json_log() if e["logger"] == "django.request")
    assert line["message"].startswith("Method Not Allowed")
    assert line["level"] == "WARNING"
    assert line["request_id"] == "req-405"


def test_an_exception_is_logged_as_one_json_line_with_the_traceback(json_log):
    try:
        raise ValueError("rusak")
    except ValueError:
        logger.exception("job failed")
    (line,) = [e for e in json_log() if e["logger"] == "terpadu.test.logging"]
    assert line["level"] == "ERROR"
    assert line["request_id"] == "-"
    assert "ValueError: rusak" in line["exception"]


# -- gunicorn with deploy/gunicorn.conf.py -----------------------------------------------------------


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, socket_path: str):
        super().__init__("terpadu.example", timeout=30)
        self.socket_path = socket_path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.socket_path)


def get(socket_path: str, url: str, headers: dict) -> http.client.HTTPResponse:
    connection = UnixHTTPConnection(socket_path)
    connection.request("GET", url, headers={"Host": "terpadu.example", "X-Forwarded-Proto": "https", **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn with the production settings and deploy/gunicorn.conf.py, on a unix socket."""
    short = Path(tempfile.mkdtemp(prefix="tg-"))  # unix socket paths must stay short
    sock = short / "web.sock"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "DJANGO_"))}
    env.update(
        TERPADU_PROFILE="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="terpadu.example",
        TERPADU_DATA_DIR=str(tmp_path),
        GUNICORN_BIND=f"unix:{sock}",
        GUNICORN_WORKERS="1",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(REPO / "deploy" / "gunicorn.conf.py")],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while not sock.exists():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "gunicorn did not start: " + log.read_text()
            time.sleep(0.2)
        yield str(sock), log
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        sock.unlink(missing_ok=True)
        short.rmdir()


def access_lines(log: Path, count: int) -> list[dict]:
    """The access log's JSON lines, once the worker has written `count` of them (it logs after answering)."""
    deadline = time.monotonic() + 30
    while True:
        lines = [json.loads(line) for line in log.read_text().splitlines() if '"gunicorn.access"' in line]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_the_gunicorn_access_log_is_json_with_the_request_id(gunicorn):
    sock, log = gunicorn
    given = get(sock, "/health", {"X-Request-ID": "nginx-4f1c2a"})
    made_up = get(sock, "/health?verbose=1", {})

    assert given.getheader("X-Request-ID") == "nginx-4f1c2a"
    access = access_lines(log, count=2)
    by_id = {entry["request_id"]: entry for entry in access}
    assert by_id["nginx-4f1c2a"]["path"] == "/health"
    assert by_id["nginx-4f1c2a"]["status"] == given.status
    assert by_id[made_up.getheader("X-Request-ID")]["method"] == "GET"
    assert "verbose" not in json.dumps(access)  # no query strings in the access log
