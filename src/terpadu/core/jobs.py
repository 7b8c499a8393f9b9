"""Background jobs and schedules behind one small facade.

Backends (settings.JOBS_BACKEND):
- "procrastinate" (PostgreSQL): jobs are rows in the same database, deferred inside the caller's
  transaction (a job exists iff the data committed), locked so that one worker runs each job,
  retried with exponential backoff, and still there after a restart. `terpadu worker` runs them;
  the periodic `core.retry_stalled_jobs` puts jobs of a worker that died back in the queue.
- "eager" (SQLite demo and quick tests): the job runs in-process right after commit, with the same
  number of attempts (without waiting between them); periodic jobs run from `terpadu worker` or,
  in the demo, from a scheduler thread of the web process.

Task functions take plain JSON arguments (primary keys, not objects) and must be idempotent: a job
may run again after a crash or a retry. Cron schedules are evaluated in UTC on both backends.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from procrastinate import Blueprint
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from terpadu.core.context import acting

logger = logging.getLogger("terpadu.jobs")
blueprint = Blueprint()
NAMESPACE = "terpadu"
RETRY_BASE_SECONDS = 10  # wait after the first failure; doubles after each further failure
RETRY_MAX_SECONDS = 3600
STALLED_AFTER_SECONDS = 60  # a worker without a heartbeat for this long is dead (it beats every 10 s)

_app = None  # procrastinate's Django app once our tasks are attached to it


@dataclass(frozen=True)
class TaskInfo:
    name: str
    func: Callable
    max_attempts: int
    cron: str | None = None


TASKS: dict[str, TaskInfo] = {}


def backoff_seconds(failures: int) -> int:
    """How long to wait before the next attempt after `failures` failed ones: 10 s, 20 s, 40 s … 1 h."""
    return min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, failures - 1))


class Backoff(BaseRetryStrategy):
    """Exponential backoff, capped; `max_attempts` counts every run (the first one too)."""

    def __init__(self, max_attempts: int):
        self.max_attempts = max_attempts

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        failures = job.attempts + 1  # procrastinate's `attempts` counts the earlier runs only
        if failures >= self.max_attempts:
            return None
        return RetryDecision(retry_in={"seconds": backoff_seconds(failures)})


def task(name: str, *, max_attempts: int = 5, queue: str = "default", lock: str | None = None):
    """Declare a background task. The function gets keyword arguments only."""

    def decorate(func):
        _register(name, func, max_attempts, queue=queue, lock=lock)
        return func

    return decorate


def periodic(name: str, cron: str, *, max_attempts: int = 1):
    """Declare a task that runs on a cron schedule in UTC (it receives `timestamp`)."""

    def decorate(func):
        _register(name, func, max_attempts, cron=cron, queue="periodic", queueing_lock=name)
        return func

    return decorate


def _register(name: str, func: Callable, max_attempts: int, cron: str | None = None, **options) -> None:
    if name in TASKS:
        raise ValueError(f"task {name!r} is declared twice")
    retry = Backoff(max_attempts) if max_attempts > 1 else False
    # Before procrastinate's app is ready tasks wait in our blueprint (attached by on_app_ready);
    # a task declared later goes straight to the app.
    target, task_name = (_app, f"{NAMESPACE}:{name}") if _app is not None else (blueprint, name)
    registered = target.task(name=task_name, retry=retry, pass_context=False, **options)(_as_job(func))
    if cron:
        target.periodic(cron=cron, periodic_id=name)(registered)
    TASKS[name] = TaskInfo(name, func, max_attempts, cron)


def _as_job(func):
    """What the worker runs: the task with the system as the audit actor.

    procrastinate's DjangoApp manages the thread's database connection around every job."""

    @functools.wraps(func)
    def run(**kwargs):
        with acting(None, via="job"):
            return func(**kwargs)

    return run


def on_app_ready(app) -> None:
    """PROCRASTINATE_ON_APP_READY hook: attach our tasks to procrastinate's Django app."""
    global _app
    if _app is app:
        return
    app.add_tasks_from(blueprint, namespace=NAMESPACE)
    _app = app


def _django_app():
    from procrastinate.contrib.django import procrastinate_app

    if _app is not procrastinate_app.current_app:  # PROCRASTINATE_ON_APP_READY not configured
        on_app_ready(procrastinate_app.current_app)
    return _app


def defer(name: str, **kwargs) -> int | None:
    """Queue a job; it runs only if (and after) the current transaction commits.

    Returns the procrastinate job id (None with the eager backend)."""
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}")
    try:
        kwargs = json.loads(json.dumps(kwargs))  # the eager backend sees exactly what a worker would
    except (TypeError, ValueError) as exc:
        raise TypeError(f"arguments of task {name!r} must be JSON values (ids, not objects): {exc}") from exc
    if settings.JOBS_BACKEND == "procrastinate":
        return _django_app().configure_task(f"{NAMESPACE}:{name}", allow_unknown=False).defer(**kwargs)
    run = functools.partial(run_eagerly, name, kwargs)
    if settings.PROFILE == "demo":
        # In the demo a job runs beside the request, so a person sees its progress bar move.
        run = functools.partial(_in_thread, run)
    transaction.on_commit(run)
    return None


def _in_thread(run) -> None:
    def target():
        try:
            run()
        finally:
            close_old_connections()

    threading.Thread(target=target, name="terpadu-demo-job", daemon=True).start()


def run_eagerly(name: str, kwargs: dict) -> bool:
    """Eager backend: run a job now, up to its max_attempts; True when one attempt succeeded."""
    info = TASKS[name]
    for attempt in range(1, info.max_attempts + 1):
        try:
            with acting(None, via="job"):
                info.func(**kwargs)
            return True
        except Exception:
            logger.exception("job %s failed (attempt %d of %d)", name, attempt, info.max_attempts)
    logger.error("job %s gave up after %d attempts", name, info.max_attempts)
    return False


def run_due_periodic(now: dt.datetime, last_run: dict[str, dt.datetime]) -> list[str]:
    """Eager backend scheduler step: run every periodic task whose cron fired since its last run."""
    from croniter import croniter

    ran = []
    for info in list(TASKS.values()):
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
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                run_due_periodic(timezone.now(), last_run)
            except Exception:  # the scheduler thread must survive, e.g. a database that is briefly away
                logger.exception("scheduler step failed")
            stop.wait(tick)
    finally:
        connections.close_all()


def run_worker(
    queues: list[str] | None = None,
    concurrency: int = 1,
    *,
    wait: bool = True,
    install_signal_handlers: bool | None = None,
    name: str | None = None,
    **options,
) -> None:
    """Run jobs. wait=True: until stopped (SIGINT/SIGTERM), deferring the periodic schedules too.
    wait=False: run what is due now, then return (tests, one-off catch-up); no schedules.

    Eager backend: wait=True runs the periodic scheduler; wait=False has nothing to do (jobs
    already ran after their transaction committed)."""
    if settings.JOBS_BACKEND != "procrastinate":
        if wait:
            logger.info("eager job backend: running periodic tasks only (other jobs run in the web process)")
            run_scheduler_forever()
        return
    if install_signal_handlers is None:
        install_signal_handlers = threading.current_thread() is threading.main_thread()
    worker_app = _worker_app(with_schedules=wait)
    if not wait:
        # The pool threads of a short run are thrown away: don't leave their connections open.
        defaults = worker_app.worker_defaults.get("task_middleware", [])
        options["task_middleware"] = [*defaults, _close_connections, *options.get("task_middleware", [])]
    worker_app.run_worker(
        queues=queues,
        concurrency=concurrency,
        wait=wait,
        install_signal_handlers=install_signal_handlers,
        name=name,
        **options,
    )


def _worker_app(with_schedules: bool):
    """An app of its own per worker: procrastinate's tasks, on a connector made for workers (a pool with
    LISTEN/NOTIFY). Jobs deferred *by* a job still go through Django's connection, in the job's transaction."""
    from procrastinate.contrib.django import DjangoApp
    from procrastinate.contrib.django.settings import settings as procrastinate_settings

    app = _django_app()
    worker_app = DjangoApp(
        connector=app.connector.get_worker_connector(),
        import_paths=app.import_paths,
        worker_defaults=procrastinate_settings.WORKER_DEFAULTS,
        periodic_defaults=app.periodic_defaults,
    )
    worker_app.tasks = app.tasks
    if with_schedules:
        # Periodic jobs are deferred by the worker's event loop: through its own pool (which reconnects
        # after a database restart), not through a Django connection in a helper thread.
        for periodic_task in app.periodic_registry.periodic_tasks.values():
            task = copy.copy(periodic_task.task)
            task.blueprint = worker_app
            worker_app.periodic_registry.register_task(
                task=task,
                cron=periodic_task.cron,
                periodic_id=periodic_task.periodic_id,
                configure_kwargs=periodic_task.configure_kwargs,
            )
    return worker_app


def _close_connections(call_next, context, worker):
    try:
        return call_next()
    finally:
        connections.close_all()


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


@periodic("core.retry_stalled_jobs", cron="*/5 * * * *")
def retry_stalled_jobs(timestamp: int | None = None) -> int:
    """Put back in the queue the jobs left 'doing' by a worker that stopped beating (killed, machine lost).

    Every worker runs it when it starts, so a restart after a crash picks the orphaned jobs up."""
    if settings.JOBS_BACKEND != "procrastinate":
        return 0
    from asgiref.sync import async_to_sync

    manager = _django_app().job_manager  # Django's connection, in this thread
    stalled = list(async_to_sync(manager.get_stalled_jobs)(seconds_since_heartbeat=STALLED_AFTER_SECONDS))
    for job in stalled:
        logger.warning("job %s (%s) was left running by a dead worker; queued again", job.id, job.task_name)
        manager.retry_job_by_id(job.id, retry_at=timezone.now())
    return len(stalled)
