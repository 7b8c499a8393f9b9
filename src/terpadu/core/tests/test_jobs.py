"""Background jobs: the eager backend (SQLite demo, quick tests) and procrastinate on PostgreSQL.

The PostgreSQL tests run real workers against the test database: in-process (jobs.run_worker with
wait=False runs what is due and returns) and once as the `terpadu worker` command in a subprocess.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from conftest import empty_job_queue
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from terpadu.core import jobs
from terpadu.core.models import OutgoingEmail, WorkerHeartbeat

# -- tasks used by these tests -------------------------------------------------------------


def _runs(key: str | None = None) -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        if key is None:
            cursor.execute("SELECT job_key, attempt FROM test_job_runs ORDER BY job_key, attempt")
        else:
            cursor.execute("SELECT job_key, attempt FROM test_job_runs WHERE job_key = %s ORDER BY attempt", [key])
        return [(k, a) for k, a in cursor.fetchall()]


def _log_run(key: str) -> int:
    """Append a row for this run (committed at once: jobs run in autocommit) and return its number."""
    attempt = len(_runs(key)) + 1
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO test_job_runs (job_key, attempt) VALUES (%s, %s)", [key, attempt])
    return attempt


@jobs.task("tests.record", max_attempts=1)
def record(key: str, pause: float = 0.0) -> None:
    if pause:
        time.sleep(pause)  # widens the window in which two workers could grab the same job
    _log_run(key)


@jobs.task("tests.flaky", max_attempts=3)
def flaky(key: str, failures: int) -> None:
    if _log_run(key) <= failures:
        raise RuntimeError(f"{key}: planned failure")


@jobs.task("tests.always_fails", max_attempts=2)
def always_fails(key: str) -> None:
    _log_run(key)
    raise RuntimeError("always")


@jobs.periodic("tests.every_minute", cron="* * * * *")
def every_minute(timestamp: int | None = None) -> None:
    _log_run(f"minute-{timestamp}")


@pytest.fixture
def runs_table(django_db_blocker):
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS test_job_runs (job_key varchar(100) NOT NULL, attempt integer)")
        cursor.execute("DELETE FROM test_job_runs")
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM test_job_runs")


@pytest.fixture
def eager(settings):
    settings.JOBS_BACKEND = "eager"


@pytest.fixture
def queue(transactional_db, runs_table):
    """A PostgreSQL test with an empty procrastinate queue (its tables are not flushed by Django)."""
    empty_job_queue()
    yield
    empty_job_queue()


def _jobs(task: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, status, attempts, scheduled_at, args FROM procrastinate_jobs WHERE task_name = %s ORDER BY id",
            [f"{jobs.NAMESPACE}:{task}"],
        )
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:  # Django's cursor hands jsonb over as text
        row["args"] = json.loads(row["args"]) if isinstance(row["args"], str) else row["args"]
    return rows


def _drain() -> None:
    jobs.run_worker(wait=False, install_signal_handlers=False)


# -- the facade ----------------------------------------------------------------------------


def test_a_task_is_registered_under_its_name():
    assert jobs.TASKS["tests.record"].max_attempts == 1
    assert jobs.TASKS["core.retry_stalled_jobs"].cron == "*/5 * * * *"
    assert jobs.TASKS["core.worker_heartbeat"].cron == "* * * * *"


def test_declaring_a_task_name_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        jobs.task("tests.record")(lambda key: None)


def test_deferring_an_unknown_task_is_refused():
    with pytest.raises(KeyError):
        jobs.defer("tests.no_such_task")


def test_deferring_with_arguments_that_are_not_json_is_refused(db, eager):
    with pytest.raises(TypeError, match="JSON"):
        jobs.defer("tests.record", key=dt.date(2026, 1, 1))


def test_backoff_doubles_after_each_failure_and_is_capped():
    assert [jobs.backoff_seconds(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert jobs.backoff_seconds(30) == jobs.RETRY_MAX_SECONDS


def test_the_retry_strategy_counts_every_run_against_max_attempts():
    class Job:
        def __init__(self, attempts):
            self.attempts = attempts

    strategy = jobs.Backoff(max_attempts=3)
    first = strategy.get_retry_decision(exception=RuntimeError(), job=Job(0))
    second = strategy.get_retry_decision(exception=RuntimeError(), job=Job(1))
    assert first is not None and second is not None
    assert first.retry_at < second.retry_at  # waits longer after the second failure
    assert strategy.get_retry_decision(exception=RuntimeError(), job=Job(2)) is None


# -- eager backend -------------------------------------------------------------------------


def test_an_eager_job_runs_only_after_its_transaction_commits(
    db, eager, runs_table, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            jobs.defer("tests.record", key="committed")
            assert _runs() == []
    assert _runs() == [("committed", 1)]


def test_an_eager_job_deferred_in_a_rolled_back_transaction_never_runs(
    db, eager, runs_table, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            jobs.defer("tests.record", key="rolled-back")
            raise RuntimeError("the change fails")
    assert callbacks == []
    assert _runs() == []


def test_an_eager_job_is_retried_until_it_succeeds(db, eager, runs_table, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.defer("tests.flaky", key="flaky", failures=2)
    assert _runs("flaky") == [("flaky", 1), ("flaky", 2), ("flaky", 3)]


def test_an_eager_job_that_keeps_failing_stops_after_max_attempts_without_breaking_the_caller(
    db, eager, runs_table, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.defer("tests.always_fails", key="hopeless")
    assert _runs("hopeless") == [("hopeless", 1), ("hopeless", 2)]


def test_run_due_periodic_fires_a_due_cron_once(db, runs_table):
    now = dt.datetime(2026, 1, 1, 0, 1, 30, tzinfo=dt.UTC)  # only every-minute crons fired since 00:00:30
    last_run: dict = {}
    ran = jobs.run_due_periodic(now, last_run)
    assert "tests.every_minute" in ran
    assert "core.audit_checkpoint" not in ran  # hourly, not due
    assert jobs.run_due_periodic(now + dt.timedelta(seconds=20), last_run) == []  # same minute: not again
    assert "tests.every_minute" in jobs.run_due_periodic(now + dt.timedelta(seconds=60), last_run)
    stamp = int(now.timestamp())
    assert _runs(f"minute-{stamp}") == [(f"minute-{stamp}", 1)]
    assert len(_runs(f"minute-{stamp + 60}")) == 1


def test_the_eager_scheduler_thread_runs_periodic_jobs_until_stopped(transactional_db, runs_table):
    stop = threading.Event()
    thread = threading.Thread(target=jobs.run_scheduler_forever, args=(stop, 0.05), daemon=True)
    thread.start()
    try:
        # The first step treats the past minute as due, so the every-minute task runs at once.
        assert jobs.wait_until(lambda: any(k.startswith("minute-") for k, _a in _runs()), seconds=20)
    finally:
        stop.set()
        thread.join(timeout=20)
    assert not thread.is_alive()


def test_the_eager_worker_without_wait_has_nothing_to_do(eager):
    assert jobs.run_worker(wait=False) is None


# -- procrastinate on PostgreSQL -----------------------------------------------------------


@pytest.mark.postgres
def test_a_deferred_job_is_queued_only_if_its_transaction_commits(queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.defer("tests.record", key="rolled-back")
        raise RuntimeError("the change fails")
    assert _jobs("tests.record") == []
    with transaction.atomic():
        job_id = jobs.defer("tests.record", key="committed")
    queued = _jobs("tests.record")
    assert [(j["id"], j["status"], j["args"]) for j in queued] == [(job_id, "todo", {"key": "committed"})]


@pytest.mark.postgres
def test_a_worker_runs_a_job_deferred_before_it_started(queue):
    jobs.defer("tests.record", key="waiting")
    assert _runs() == []  # nothing runs without a worker; the job waits in the database
    _drain()
    assert _runs() == [("waiting", 1)]
    assert [j["status"] for j in _jobs("tests.record")] == ["succeeded"]


@pytest.mark.postgres
def test_a_failing_job_is_retried_with_backoff_and_then_succeeds(queue):
    job_id = jobs.defer("tests.flaky", key="flaky", failures=1)
    _drain()
    (job,) = _jobs("tests.flaky")
    assert (job["status"], job["attempts"]) == ("todo", 1)
    assert job["scheduled_at"] > timezone.now()  # backoff: not before its time
    _drain()
    assert _runs("flaky") == [("flaky", 1)]  # not due yet, so not run again
    with connection.cursor() as cursor:  # let the backoff pass
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s", [job_id])
    _drain()
    assert _runs("flaky") == [("flaky", 1), ("flaky", 2)]
    assert [j["status"] for j in _jobs("tests.flaky")] == ["succeeded"]


@pytest.mark.postgres
def test_a_job_that_keeps_failing_is_marked_failed_after_max_attempts(queue):
    job_id = jobs.defer("tests.always_fails", key="hopeless")
    _drain()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s", [job_id])
    _drain()
    assert [(j["status"], j["attempts"]) for j in _jobs("tests.always_fails")] == [("failed", 2)]
    assert len(_runs("hopeless")) == 2


@pytest.mark.postgres
def test_two_workers_never_run_the_same_job_twice(queue):
    keys = [f"job-{n}" for n in range(30)]
    with transaction.atomic():
        for key in keys:
            jobs.defer("tests.record", key=key, pause=0.02)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            jobs.run_worker(wait=False, install_signal_handlers=False, name=name, concurrency=2)
        except BaseException as exc:  # reported below: an exception in a thread is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert _runs() == sorted((key, 1) for key in keys)  # every job exactly once
    assert {j["status"] for j in _jobs("tests.record")} == {"succeeded"}


def _take_job_as_worker(heartbeat_age: dt.timedelta) -> tuple[int, int]:
    """A worker registers, takes the next job, then beats for the last time `heartbeat_age` ago."""
    manager = jobs._django_app().job_manager
    worker_id = async_to_sync(manager.register_worker)()
    job = async_to_sync(manager.fetch_job)(queues=None, worker_id=worker_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = now() - %s WHERE id = %s", [heartbeat_age, worker_id]
        )
    return worker_id, job.id


@pytest.mark.postgres
def test_a_job_left_running_by_a_dead_worker_is_queued_again_and_runs(queue):
    jobs.defer("tests.record", key="orphan")
    _worker_id, job_id = _take_job_as_worker(heartbeat_age=dt.timedelta(minutes=10))
    assert [j["status"] for j in _jobs("tests.record")] == ["doing"]
    _drain()
    assert _runs() == []  # a plain worker does not touch a job another worker holds
    jobs.defer("core.retry_stalled_jobs", timestamp=0)  # what the schedule does every five minutes
    _drain()
    assert _runs() == [("orphan", 1)]
    assert [(j["id"], j["status"]) for j in _jobs("tests.record")] == [(job_id, "succeeded")]


@pytest.mark.postgres
def test_a_job_of_a_live_worker_is_not_taken_away(queue):
    jobs.defer("tests.record", key="busy")
    _take_job_as_worker(heartbeat_age=dt.timedelta(seconds=0))
    assert jobs.retry_stalled_jobs() == 0
    assert [j["status"] for j in _jobs("tests.record")] == ["doing"]


@pytest.mark.postgres
def test_the_worker_command_runs_jobs_and_its_heartbeat_makes_health_report_jobs_ok(queue, client):
    assert client.get("/health").status_code == 503  # no worker has reported yet
    email = OutgoingEmail.objects.create(to=["a@example.test"], subject="Halo", body="Isi", next_attempt=timezone.now())
    jobs.defer("core.send_email", email_id=email.pk)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "terpadu.settings",
        "TERPADU_PROFILE": "test",
        "TERPADU_DATA_DIR": str(django_settings.DATA_DIR),
        "DATABASE_URL": f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
        f"{connection.settings_dict['PORT'] or 5432}/{connection.settings_dict['NAME']}",
        "DATABASE_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "terpadu", "worker"],
        env=env,  # noqa: S603
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        sent = jobs.wait_until(lambda: OutgoingEmail.objects.get(pk=email.pk).status == "sent", seconds=60)
        beating = jobs.wait_until(WorkerHeartbeat.objects.exists, seconds=60)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert sent, output
    assert beating, output
    assert worker.returncode == 0, output  # SIGTERM stops it gracefully
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["checks"]["jobs"]["ok"] is True
