"""/health: database, jobs and storage; 200 when all are fine, 503 naming the check that failed."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from terpadu.core import tasks
from terpadu.core.models import WorkerHeartbeat


@pytest.fixture
def procrastinate(settings):
    """/health as a PostgreSQL deployment sees it (it only reads the heartbeat table, so any database will do)."""
    settings.JOBS_BACKEND = "procrastinate"


def health(client, status: int) -> dict:
    response = client.get("/health")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()


def failing(body: dict) -> list[str]:
    return sorted(name for name, check in body["checks"].items() if not check["ok"])


def test_everything_fine_gives_200_without_signing_in(db, client, settings):
    settings.JOBS_BACKEND = "eager"
    body = health(client, 200)
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "jobs", "storage"}
    assert failing(body) == []
    assert body["checks"]["jobs"]["backend"] == "eager"  # jobs run in the web process: nothing to watch


def test_no_worker_heartbeat_gives_503_naming_jobs(db, client, procrastinate):
    body = health(client, 503)
    assert body["status"] == "fail"
    assert failing(body) == ["jobs"]


def test_a_recent_heartbeat_means_jobs_are_ok(db, client, procrastinate):
    WorkerHeartbeat.objects.create(name="worker-1", seen=timezone.now() - dt.timedelta(seconds=30))
    body = health(client, 200)
    assert body["checks"]["jobs"]["ok"] is True


def test_a_stale_heartbeat_gives_503_with_its_age(db, client, procrastinate):
    WorkerHeartbeat.objects.create(name="worker-1", seen=timezone.now() - dt.timedelta(minutes=10))
    body = health(client, 503)
    assert failing(body) == ["jobs"]
    assert body["checks"]["jobs"]["last_heartbeat_seconds"] >= 600


def test_the_newest_of_several_workers_counts(db, client, procrastinate):
    WorkerHeartbeat.objects.create(name="dead", seen=timezone.now() - dt.timedelta(hours=2))
    WorkerHeartbeat.objects.create(name="alive", seen=timezone.now())
    assert failing(health(client, 200)) == []


def test_the_heartbeat_task_writes_one_row_per_worker_host(db, client, procrastinate):
    tasks.worker_heartbeat(timestamp=0)
    first = WorkerHeartbeat.objects.get()
    tasks.worker_heartbeat(timestamp=60)
    again = WorkerHeartbeat.objects.get()
    assert first.name == again.name == socket.gethostname()[:100]
    assert again.seen >= first.seen
    assert failing(health(client, 200)) == []


def test_storage_that_cannot_be_written_gives_503_naming_storage(db, client, settings, tmp_path):
    settings.JOBS_BACKEND = "eager"
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocker
    body = health(client, 503)
    assert failing(body) == ["storage"]
    assert body["checks"]["storage"]["error"]


def test_a_database_that_does_not_answer_gives_503_naming_database(db, client, settings, monkeypatch):
    settings.JOBS_BACKEND = "eager"

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:  # undone before the test database is rolled back
        patch.setattr(connection, "cursor", down)
        body = health(client, 503)
    assert failing(body) == ["database"]
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}  # the kind, no details


def test_the_health_answer_names_no_secrets(db, client, settings):
    settings.JOBS_BACKEND = "eager"
    text = client.get("/health").content.decode()
    for secret in (
        settings.SECRET_KEY,
        str(settings.DATABASES["default"].get("PASSWORD") or "\x00"),
        str(settings.MEDIA_ROOT),
    ):
        assert secret not in text
