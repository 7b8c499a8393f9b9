"""Background jobs and schedules behind one small facade.

Backends (settings.JOBS_BACKEND):
- "procrastinate" (PostgreSQL): jobs are rows in the same database, deferred inside the caller's
  transaction (a job exists iff the data committed), locked so that one worker runs each job,
  retried with exponential backoff, and still there after a restart. `terpadu worker` runs them.
- "eager" (SQLite demo and quick tests): the job runs in-process right after commit, with the same
  retries; periodic jobs run from `terpadu worker` (the demo starts it in a thread).

Task functions take plain JSON arguments (primary keys, not objects) and must be idempotent.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from procrastinate import Blueprint, RetryStrategy

from terpadu.core.context import acting

logger = logging.getLogger("terpadu.jobs")
blueprint = Blueprint()
NAMESPACE = "terpadu"


@dataclass(frozen=True)
class TaskInfo:
    name: str
    func: Callable
    max_attempts: int
    cron: str | None = None


TASKS: dict[str, TaskInfo] = {}


def task(name: str, *, max_attempts: int = 5, queue: str = "default", lock: str | None = None):
    """Declare a background task. The function gets keyword arguments only."""

    def decorate(func):
        retry = RetryStrategy(max_attempts=max_attempts, exponential_wait=5) if max_attempts > 1 else False
        blueprint.task(name=name, queue=queue, retry=retry, lock=lock, pass_context=False)(_as_job(func))
        TASKS[name] = TaskInfo(name, func, max_attempts)
        return func

    return decorate


def periodic(name: str, cron: str, *, max_attempts: int = 1):
    """Declare a task that runs on a cron schedule (it receives `timestamp`)."""

    def decorate(func):
        blueprint.periodic(cron=cron, periodic_id=name)(
            blueprint.task(name=name, queue="periodic", pass_context=False, queueing_lock=name)(_as_job(func))
        )
        TASKS[name] = TaskInfo(name, func, max_attempts, cron)
        return func

    return decorate


def _as_job(func):
    """What the worker runs: the task with a fresh DB connection and the system as the audit actor."""

    @functools.wraps(func)
    def run(**kwargs):
        close_old_connections()
        with acting(None, via="job"):
            return func(**kwargs)

    return run


def on_app_ready(app) -> None:
    """PROCRASTINATE_ON_APP_READY hook: attach our tasks to procrastinate's Django app."""
    app.add_tasks_from(blueprint, namespace=NAMESPACE)


def defer(name: str, **kwargs) -> None:
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}")
    if settings.JOBS_BACKEND == "procrastinate":
        from procrastinate.contrib.django import app

        app.configure_task(f"{NAMESPACE}:{name}").defer(**kwargs)
    else:
        transaction.on_commit(lambda: run_eagerly(name, kwargs))


def run_eagerly(name: str, kwargs: dict) -> None:
    info = TASKS[name]
    for attempt in range(1, info.max_attempts + 1):
        try:
            with acting(None, via="job"):
                info.func(**kwargs)
            return
        except Exception:
            logger.exception("job %s failed (attempt %d of %d)", name, attempt, info.max_attempts)


def run_due_periodic(now: dt.datetime, last_run: dict[str, dt.datetime]) -> list[str]:
    """Eager backend scheduler step: run every periodic task whose cron fired since its last run."""
    from croniter import croniter

    ran = []
    for info in TASKS.values():
        if not info.cron:
            continue
        previous = last_run.get(info.name, now - dt.timedelta(seconds=60))
        next_fire = croniter(info.cron, previous).get_next(dt.datetime)
        if next_fire <= now:
            last_run[info.name] = now
            run_eagerly(info.name, {"timestamp": int(now.timestamp())})
            ran.append(info.name)
    return ran


def run_scheduler_forever(stop: threading.Event | None = None, tick: float = 20.0) -> None:
    last_run: dict[str, dt.datetime] = {}
    stop = stop or threading.Event()
    while not stop.is_set():
        close_old_connections()
        run_due_periodic(timezone.now(), last_run)
        stop.wait(tick)


def run_worker(queues: list[str] | None = None, concurrency: int = 1) -> None:
    if settings.JOBS_BACKEND == "procrastinate":
        from procrastinate.contrib.django import app

        app.run_worker(queues=queues, concurrency=concurrency, install_signal_handlers=True)
    else:
        logger.info("eager job backend: running periodic tasks only (other jobs run in the web process)")
        run_scheduler_forever()


def start_background_scheduler() -> threading.Thread:
    """For `terpadu demo`: periodic jobs in a daemon thread of the web process."""
    thread = threading.Thread(target=run_scheduler_forever, name="terpadu-scheduler", daemon=True)
    thread.start()
    return thread


def wait_until(predicate: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def progress_alias() -> str:
    """The connection for progress updates: separate on PostgreSQL, the only one on SQLite."""
    return "progress" if "progress" in settings.DATABASES else "default"
