"""Domain events: delivered after commit, never for a rolled-back change; durable subscribers through a job."""

from __future__ import annotations

import logging

import pytest
from conftest import empty_job_queue
from django.db import connection, transaction

from terpadu.core import events, jobs
from terpadu.core.context import acting

received: list[tuple[str, str, dict]] = []
durable_failures: dict[str, int] = {}


@events.subscribe("tests.letter_signed")
def remember(event: str, payload: dict) -> None:
    received.append(("remember", event, payload))


@events.subscribe("tests.letter_signed")
def remember_too(event: str, payload: dict) -> None:
    received.append(("remember_too", event, payload))


@events.subscribe("tests.fragile")
def breaks(event: str, payload: dict) -> None:
    raise RuntimeError("subscriber bug")


@events.subscribe("tests.fragile")
def survives(event: str, payload: dict) -> None:
    received.append(("survives", event, payload))


@events.subscribe("tests.archived", durable=True)
def archive(event: str, payload: dict) -> None:
    key = payload["key"]
    if durable_failures.get(key, 0) > 0:  # fail the planned number of times, then succeed
        durable_failures[key] -= 1
        raise RuntimeError("archive is briefly away")
    received.append(("archive", event, payload))


@events.subscribe("organisasi.unit_created")
def unit_created(event: str, payload: dict) -> None:
    received.append(("unit_created", event, payload))


@pytest.fixture(autouse=True)
def clean():
    received.clear()
    durable_failures.clear()
    yield
    received.clear()


@pytest.fixture
def eager(settings):
    settings.JOBS_BACKEND = "eager"


@pytest.fixture
def queue(transactional_db):
    empty_job_queue()
    yield
    empty_job_queue()


def test_subscribers_get_the_event_and_its_payload_after_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events.publish("tests.letter_signed", {"naskah_id": 7})
            assert received == []  # nothing before the commit
    assert received == [
        ("remember", "tests.letter_signed", {"naskah_id": 7}),
        ("remember_too", "tests.letter_signed", {"naskah_id": 7}),
    ]


def test_nothing_is_delivered_when_the_publishing_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish("tests.letter_signed", {"naskah_id": 8})
            raise RuntimeError("signing failed")
    assert callbacks == []
    assert received == []


def test_a_failing_subscriber_does_not_break_the_publisher_or_the_other_subscribers(
    db, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR, logger="terpadu.events"):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                events.publish("tests.fragile", {"id": 1})
    assert received == [("survives", "tests.fragile", {"id": 1})]
    assert any("breaks" in record.getMessage() for record in caplog.records)


def test_an_event_nobody_listens_to_is_ignored(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        events.publish("tests.nobody_listens", {"id": 1})
    assert callbacks == []


def test_subscribing_the_same_function_twice_delivers_once():
    events.subscribe("tests.letter_signed")(remember)
    assert [s.name for s in events.subscribers("tests.letter_signed")].count(f"{__name__}.remember") == 1


def test_services_publish_their_events_after_the_change_committed(db, django_capture_on_commit_callbacks):
    from terpadu.organisasi import services as org

    with django_capture_on_commit_callbacks(execute=True), acting(None, via="command"):
        org.save_pemda({"nama": "Kota Uji", "kode_wilayah": "35.98", "provinsi": "Jawa Timur"})
        unit = org.create_unit({"kode": "1", "nama": "Akar", "jenis": "pemda"})
    assert received == [("unit_created", "organisasi.unit_created", {"unit_id": unit.pk})]


def test_a_durable_subscriber_is_delivered_through_a_job_that_is_retried(db, eager, django_capture_on_commit_callbacks):
    durable_failures["k1"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events.publish("tests.archived", {"key": "k1"})
            assert received == []
    assert received == [("archive", "tests.archived", {"key": "k1"})]  # third attempt of the job
    assert durable_failures["k1"] == 0


def test_a_durable_event_for_a_subscriber_that_is_gone_is_dropped_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="terpadu.events"):
        events.deliver_event(event="tests.archived", payload={"key": "x"}, subscriber="gone.module.func")
    assert received == []
    assert "gone.module.func" in caplog.text


@pytest.mark.postgres
def test_a_durable_subscriber_runs_in_a_worker_only_for_committed_events(queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("tests.archived", {"key": "rolled-back"})
        raise RuntimeError("the change failed")
    with transaction.atomic():
        events.publish("tests.archived", {"key": "committed"})
    assert received == []  # durable subscribers do not run in the publishing process
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s", [f"{jobs.NAMESPACE}:core.deliver_event"]
        )
        assert cursor.fetchone()[0] == 1
    jobs.run_worker(wait=False, install_signal_handlers=False)
    assert received == [("archive", "tests.archived", {"key": "committed"})]
