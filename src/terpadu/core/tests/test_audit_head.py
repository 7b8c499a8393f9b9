"""Appending with the head as the transaction last saw it (one statement while the head is locked): the hint is
never trusted, so a rolled-back savepoint, a wrong hint or a head moved by another writer cannot fork the chain."""

import pytest
from django.db import transaction

from terpadu.core import audit
from terpadu.core.context import acting
from terpadu.core.models import AuditChainHead, AuditEvent


def _record(name: str) -> AuditEvent:
    with acting(None, via="command"):
        return audit.record(None, "test.step", {"step": name}, object_type="test.step", object_id=name)


def _linear() -> list[AuditEvent]:
    """The whole chain, checked: consecutive seq, each event linked to the previous one, head at the end."""
    events = list(AuditEvent.objects.order_by("seq"))
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    for previous, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == previous.hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)
    assert audit.verify().ok
    return events


def _append_elsewhere(name: str) -> AuditEvent:
    """What another writer's append leaves behind (the next event and the head), without this connection's hint."""
    head = AuditChainHead.objects.get(pk=1)
    values = {
        "seq": head.seq + 1,
        "time": audit.timezone.now(),
        "actor_id": None,
        "actor_username": "other",
        "acting_as": "",
        "via": "command",
        "object_type": "test.step",
        "object_id": name,
        "object_repr": name,
        "action": "test.other",
        "changes": {},
        "request_id": "",
        "ip": None,
        "prev_hash": head.hash,
    }
    values["hash"] = audit.compute_hash(values)
    event = AuditEvent.objects.create(**values)
    AuditChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


@pytest.mark.django_db
def test_an_event_in_a_rolled_back_savepoint_is_not_linked_to():
    first = _record("a")
    with pytest.raises(RuntimeError), transaction.atomic():
        _record("rolled back")
        raise RuntimeError
    after = _record("b")
    assert after.prev_hash == first.hash and after.seq == first.seq + 1
    assert [event.object_id for event in _linear()] == ["a", "b"]


@pytest.mark.django_db
def test_nested_blocks_append_in_order():
    _record("a")
    with transaction.atomic():
        _record("b")
        with transaction.atomic():
            _record("c")
        _record("d")
    _record("e")
    assert [event.object_id for event in _linear()] == ["a", "b", "c", "d", "e"]


@pytest.mark.django_db
def test_a_wrong_hint_is_never_appended_to():
    first = _record("a")
    audit.note_locked_head(first.seq - 1, "f" * 64)  # what a caller could pass by mistake
    after = _record("b")
    assert after.prev_hash == first.hash
    _linear()


@pytest.mark.django_db
def test_a_head_moved_by_another_writer_is_read_again():
    _record("a")
    other = _append_elsewhere("other")
    after = _record("b")
    assert after.prev_hash == other.hash
    assert [event.object_id for event in _linear()] == ["a", "other", "b"]


@pytest.mark.django_db(transaction=True)
def test_a_hint_does_not_outlive_its_transaction():
    @transaction.atomic  # one Atomic object, entered by every call
    def step(name):
        return _record(name)

    step("a")
    other = _append_elsewhere("other")  # committed between two transactions of the same function
    after = step("b")
    assert after.prev_hash == other.hash
    assert [event.object_id for event in _linear()] == ["a", "other", "b"]


@pytest.mark.django_db(transaction=True)
def test_the_first_event_creates_the_head():
    AuditChainHead.objects.all().delete()
    AuditEvent.objects.all().delete()
    with transaction.atomic():
        first = _record("a")
    assert first.seq == 1 and first.prev_hash == audit.GENESIS_HASH
    _linear()


# -- caches keyed on the head -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_head_cache_recomputes_after_an_audited_change():
    cache, computed = audit.HeadCache(), []

    def compute():
        computed.append(len(computed))
        return computed[-1]

    _record("first")
    assert cache.get("k", compute) == cache.get("k", compute) == 0
    _record("second")  # any audited change moves the head
    assert cache.get("k", compute) == 1
    assert computed == [0, 1]


@pytest.mark.django_db
def test_a_request_scope_reads_the_head_once_until_this_process_appends():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _record("before")
    with audit.head_scope(), CaptureQueriesContext(connection) as queries:
        first = audit.head_state()
        assert audit.head_state() == first
        reads = sum("core_auditchainhead" in q["sql"] for q in queries.captured_queries)
        assert reads == 1
        event = _record("inside")
        assert audit.head_state() == (event.seq, event.hash)  # read again after the append
    assert audit.head_state() == (event.seq, event.hash)  # outside a scope: read every time
