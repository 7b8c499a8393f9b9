"""The audit chain: every service change appends a linked event; any tampering is named by verify()."""

import pytest
from django.db import connection

from terpadu.core import audit
from terpadu.core.context import acting
from terpadu.core.models import AuditChainHead, AuditCheckpoint, AuditEvent
from terpadu.organisasi import services as org


@pytest.fixture
def chain(db):
    with acting(None, via="command"):
        org.save_pemda({"nama": "Kota Uji", "kode_wilayah": "35.98", "provinsi": "Jawa Timur"})
        root = org.create_unit({"kode": "1", "nama": "Akar", "jenis": "pemda"})
        for i in range(5):
            org.create_unit({"parent": root, "kode": f"1.{i}", "nama": f"Dinas {i}", "jenis": "dinas"})
    return AuditEvent.objects.order_by("seq")


def test_service_changes_append_linked_events(chain):
    events = list(chain)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == audit.GENESIS_HASH
    for previous, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == previous.hash
    assert audit.verify().ok


def test_an_update_records_before_and_after(chain):
    from terpadu.organisasi.models import UnitKerja

    unit = UnitKerja.objects.get(kode="1.0")
    with acting(None, via="command"):
        org.update_unit(unit, {"nama": "Dinas Nol"})
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "update"
    assert event.changes["nama"] == ["Dinas 0", "Dinas Nol"]
    assert audit.verify().ok


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_editing_an_event_is_detected(chain):
    target = chain[2]
    _raw("UPDATE core_auditevent SET object_repr = %s WHERE seq = %s", ["forged", target.seq])
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == target.seq


def test_editing_an_event_and_its_hash_breaks_the_next_link(chain):
    target = chain[2]
    values = {f: getattr(target, f) for f in audit.HASHED_FIELDS}
    values["object_repr"] = "forged"
    forged_hash = audit.compute_hash(values)
    _raw("UPDATE core_auditevent SET object_repr = %s, hash = %s WHERE seq = %s", ["forged", forged_hash, target.seq])
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == target.seq + 1


def test_deleting_an_event_is_detected(chain):
    target = chain[3]
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [target.seq])
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == target.seq + 1


def test_deleting_the_last_event_is_detected(chain):
    last = chain.last()
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [last.seq])
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == last.seq


def test_inserting_an_event_is_detected(chain):
    second = chain[1]
    _raw("UPDATE core_auditevent SET seq = seq + 1000 WHERE seq >= %s", [second.seq])
    _raw("UPDATE core_auditevent SET seq = seq - 999 WHERE seq >= %s", [second.seq + 1000])
    first = chain[0]
    fake = {f: getattr(first, f) for f in audit.HASHED_FIELDS}
    fake.update(seq=second.seq, prev_hash=first.hash, object_repr="inserted")
    AuditEvent.objects.create(**fake, hash=audit.compute_hash(fake))
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == second.seq + 1  # the original second event no longer links


def test_reordering_events_is_detected(chain):
    a, b = chain[1], chain[2]
    _raw("UPDATE core_auditevent SET seq = -1 WHERE seq = %s", [a.seq])
    _raw("UPDATE core_auditevent SET seq = %s WHERE seq = %s", [a.seq, b.seq])
    _raw("UPDATE core_auditevent SET seq = %s WHERE seq = -1", [b.seq])
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == a.seq


def test_a_rewritten_chain_differs_from_the_signed_checkpoint(chain):
    checkpoint = audit.make_checkpoint()
    assert audit.checkpoint_signature_valid(checkpoint)
    # Rewrite history consistently from event 2 on: every link valid, but the signed head no longer matches.
    events = list(AuditEvent.objects.order_by("seq"))
    prev = events[0].hash
    for event in events[1:]:
        values = {f: getattr(event, f) for f in audit.HASHED_FIELDS}
        values.update(prev_hash=prev, object_repr=f"rewritten {event.seq}")
        new_hash = audit.compute_hash(values)
        _raw(
            "UPDATE core_auditevent SET object_repr = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [values["object_repr"], prev, new_hash, event.seq],
        )
        prev = new_hash
    AuditChainHead.objects.filter(pk=1).update(hash=prev)
    result = audit.verify()
    assert not result.ok
    assert "checkpoint" in result.reason


def test_checkpoints_are_idempotent_and_signed(chain):
    first = audit.make_checkpoint()
    again = audit.make_checkpoint()
    assert first.pk == again.pk
    assert AuditCheckpoint.objects.count() == 1
    AuditCheckpoint.objects.filter(pk=first.pk).update(head_hash="0" * 64)
    first.refresh_from_db()
    assert not audit.checkpoint_signature_valid(first)


def test_a_failed_service_call_leaves_no_event(chain):
    from django.core.exceptions import ValidationError

    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError), acting(None):
        org.create_jabatan({"unit": None, "nama": "", "jenis": "struktural"})
    assert AuditEvent.objects.count() == before
