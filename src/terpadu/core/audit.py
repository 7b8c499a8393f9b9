"""The hash-chained audit trail ("elektronik tidak bisa direkayasa").

Every service change calls `record()` inside its own transaction, so an event exists exactly when
the change committed. Each event's hash covers its content and the previous event's hash; the head
row is locked while appending so the chain is strictly linear. `verify()` recomputes everything and
names the first broken event; signed checkpoints let outsiders prove history was not rewritten.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from terpadu.core.context import current_actor
from terpadu.core.models import AuditChainHead, AuditCheckpoint, AuditEvent

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "time",
    "actor_id",
    "actor_username",
    "acting_as",
    "via",
    "object_type",
    "object_id",
    "object_repr",
    "action",
    "changes",
    "request_id",
    "ip",
    "prev_hash",
)


def json_safe(value):
    """A value as it is stored in the JSON of an audit event (stable across databases and restores)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time | uuid.UUID):
        return value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or None
    return str(value)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The audited state of a model instance: concrete fields by attname, JSON-safe."""
    result = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        if field.name in ("password",):
            continue
        result[field.attname] = json_safe(getattr(instance, field.attname))
    return result


def diff(before: dict | None, after: dict | None) -> dict:
    """{field: [before, after]} for every field whose value differs."""
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def object_type_of(instance_or_model) -> str:
    meta = instance_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


def compute_hash(values: dict) -> str:
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["time"] = _time_text(payload["time"])
    payload["changes"] = json_safe(payload["changes"])
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _time_text(value) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record(
    instance: models.Model | None,
    action: str,
    changes: dict | None = None,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one event for a change made by the current actor. Call inside the change's transaction."""
    actor = current_actor()
    # No savepoint: an event that cannot be written must fail the whole change it records (and two round
    # trips fewer while the chain head is locked, which serialises every audited write).
    with transaction.atomic(savepoint=False):
        connection = transaction.get_connection()
        head = _hint(connection)
        for _attempt in range(2):  # the hint, then the locked head (which cannot be stale)
            if head is None:
                locked = _locked_head()
                head = (locked.seq, locked.hash)
            values = {
                "seq": head[0] + 1,
                "time": timezone.now(),
                "actor_id": actor.user_id,
                "actor_username": actor.username or "system",
                "acting_as": actor.position_label()[:255],
                "via": actor.via,
                "object_type": object_type or object_type_of(instance),
                "object_id": str(object_id if object_id is not None else instance.pk),
                "object_repr": (object_repr if object_repr is not None else str(instance))[:255],
                "action": action,
                "changes": json_safe(changes or {}),
                "request_id": actor.request_id,
                "ip": actor.ip,
                "prev_hash": head[1],
            }
            values["hash"] = compute_hash(values)
            event = _append(connection, values, head)
            if event is not None:
                break
            head = None  # the hint was stale (another transaction appended, or a savepoint rolled back): lock
        else:
            raise RuntimeError("the audit chain head changed while it was locked")
    return event


# The head as this transaction last saw it, (seq, hash): a hint, never trusted. `_append` advances the head
# only if it still is exactly that (UPDATE … WHERE seq = … AND hash = …, which waits for the row lock and
# re-reads the row), so a stale hint (a savepoint holding our own append was rolled back, or the hint is
# from an earlier transaction) only costs a fresh SELECT … FOR UPDATE; it can never fork the chain. While
# the transaction holds the head lock the hint is right, and appending is one statement (one round trip).
HEAD_HINT = "_terpadu_audit_head"


def _hint(connection) -> tuple[int, str] | None:
    hint = getattr(connection, HEAD_HINT, None)
    if hint is None or not connection.atomic_blocks or hint[0] is not connection.atomic_blocks[0]:
        return None  # none, or seen in another transaction: lock and read the head
    return hint[1], hint[2]


def _remember(connection, seq: int, hash_: str) -> None:
    """Keep the head as this transaction (its outermost atomic block) last saw it; the request's remembered head
    is forgotten (it moves, or the transaction may still roll back)."""
    setattr(connection, HEAD_HINT, (connection.atomic_blocks[0], seq, hash_))
    seen = _head_seen.get()
    if seen is not None:
        seen.pop("head", None)


APPEND_SQL = """
    WITH head AS (
        UPDATE core_auditchainhead SET seq = %s, hash = %s WHERE id = 1 AND seq = %s AND hash = %s RETURNING id
    )
    INSERT INTO core_auditevent ({columns}) SELECT {values} FROM head RETURNING id
"""


def _append(connection, values: dict, head: tuple[int, str]) -> AuditEvent | None:
    """Insert the event and advance the head to it, if the head is still `head`; None (nothing written) if not."""
    if connection.vendor != "postgresql":
        moved = AuditChainHead.objects.filter(pk=1, seq=head[0], hash=head[1]).update(
            seq=values["seq"], hash=values["hash"]
        )
        if not moved:
            return None
        event = AuditEvent.objects.create(**values)
    else:
        fields = [AuditEvent._meta.get_field(name) for name in values]
        sql = APPEND_SQL.format(
            columns=", ".join(connection.ops.quote_name(field.column) for field in fields),
            values=", ".join(["%s"] * len(fields)),  # INSERT … SELECT types the values by their columns
        )
        params = [values["seq"], values["hash"], head[0], head[1]]
        params += [field.get_db_prep_save(values[field.name], connection) for field in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        event = AuditEvent(pk=row[0], **values)
        event._state.adding, event._state.db = False, connection.alias
    _remember(connection, event.seq, event.hash)
    return event


# Locks the head row until the transaction ends, for callers that take the head lock inside a statement of their
# own (e.g. numbering, to lock the head and its counter in one round trip); they pass what it returned to
# `note_locked_head`.
HEAD_LOCK_SQL = "SELECT seq, hash FROM core_auditchainhead WHERE id = 1 FOR UPDATE"


def note_locked_head(seq: int, hash_: str) -> None:
    """The head as the caller's statement locked it (HEAD_LOCK_SQL): `record` appends to it in one statement."""
    _remember(transaction.get_connection(), seq, hash_)


# -- caches keyed on the head ----------------------------------------------------------------------------------
#
# The head moves with every audited change, and every change of state goes through a service that audits it, so
# facts derived from audited data (a user's grants, the rating scales, …) can be cached per process until the
# head moves. Within one request (core.middleware.RequestIdMiddleware opens a `head_scope`) the head is read once
# and remembered until this process appends to the chain; outside a request it is read every time.
_head_seen: ContextVar[dict | None] = ContextVar("terpadu_audit_head_seen", default=None)


@contextmanager
def head_scope():
    token = _head_seen.set({})
    try:
        yield
    finally:
        _head_seen.reset(token)


def head_state() -> tuple[int, str]:
    """The chain head's (seq, hash) as committed (or as this transaction wrote it): one primary-key read, no lock
    (once per request scope)."""
    seen = _head_seen.get()
    if seen is not None and "head" in seen:
        return seen["head"]
    with transaction.get_connection().cursor() as cursor:
        cursor.execute("SELECT seq, hash FROM core_auditchainhead WHERE id = 1")
        row = cursor.fetchone()
    head = (row[0], row[1]) if row else (0, GENESIS_HASH)
    if seen is not None:
        seen["head"] = head
    return head


class HeadCache:
    """Values derived from audited data, per process, each valid while the head is the one it was computed at
    (the seq and the hash: a rolled-back append's seq comes again, its hash does not)."""

    instances: list[HeadCache] = []

    def __init__(self, max_entries: int = 1000):
        self.max_entries = max_entries
        self._entries: dict = {}
        HeadCache.instances.append(self)

    def get(self, key, compute):
        head = head_state()
        entry = self._entries.get(key)
        if entry is not None and entry[0] == head:
            return entry[1]
        value = compute()
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (head, value)
        return value

    def clear(self) -> None:
        self._entries.clear()

    @classmethod
    def clear_all(cls) -> None:
        """Tests: a rolled-back test's head comes back in the next one, with other rows behind it."""
        for cache in cls.instances:
            cache.clear()


def _locked_head() -> AuditChainHead:
    """The head row, locked (SELECT … FOR UPDATE) until the transaction ends; created on first use."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    _remember(transaction.get_connection(), head.seq, head.hash)
    return head


def history(instance: models.Model):
    """The audit events of one object, newest first."""
    return AuditEvent.objects.filter(object_type=object_type_of(instance), object_id=str(instance.pk)).order_by("-seq")


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify(chunk_size: int = 5000) -> VerifyResult:
    """Recompute the whole chain; report the first event that does not fit."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    fields = [*HASHED_FIELDS, "hash"]
    for row in AuditEvent.objects.order_by("seq").values(*fields).iterator(chunk_size=chunk_size):
        if row["seq"] != expected_seq:
            return VerifyResult(False, checked, row["seq"], f"expected event #{expected_seq}, found #{row['seq']}")
        if row["prev_hash"] != prev_hash:
            return VerifyResult(False, checked, row["seq"], "does not link to the previous event's hash")
        if compute_hash(row) != row["hash"]:
            return VerifyResult(False, checked, row["seq"], "content does not match its hash")
        prev_hash, expected_seq, checked = row["hash"], expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return VerifyResult(False, checked, expected_seq, f"chain ends at #{expected_seq - 1}, head says #{head.seq}")
    hashes = dict(AuditEvent.objects.filter(seq__in=AuditCheckpoint.objects.values("seq")).values_list("seq", "hash"))
    for checkpoint in AuditCheckpoint.objects.order_by("seq"):
        if not checkpoint_signature_valid(checkpoint):
            return VerifyResult(False, checked, checkpoint.seq, "checkpoint signature is invalid")
        if hashes.get(checkpoint.seq) != checkpoint.head_hash:
            return VerifyResult(False, checked, checkpoint.seq, "differs from the signed checkpoint")
    return VerifyResult(True, checked)


# -- checkpoints ---------------------------------------------------------------------------


def _signing_key() -> Ed25519PrivateKey:
    path = Path(settings.AUDIT_SIGNING_KEY_FILE)
    if not path.exists():
        if not settings.AUDIT_SIGNING_KEY_AUTOCREATE:
            raise ImproperlyConfigured(f"audit signing key {path} is missing (terpadu audit keygen creates it)")
        generate_key(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 private key")
    return key


def generate_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)


def public_key_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def make_checkpoint(force: bool = False) -> AuditCheckpoint | None:
    """Sign the current head. Idempotent: nothing new since the last checkpoint → no new row."""
    with transaction.atomic():
        head = _locked_head()
        if head.seq == 0:
            return None
        latest = AuditCheckpoint.objects.order_by("-seq").first()
        if latest and latest.seq == head.seq and not force:
            return latest
        key = _signing_key()
        pem = public_key_pem(key)
        checkpoint = AuditCheckpoint(
            seq=head.seq,
            head_hash=head.hash,
            time=timezone.now(),
            key_id=hashlib.sha256(pem.encode()).hexdigest()[:16],
            public_key=pem,
        )
        checkpoint.signature = base64.b64encode(key.sign(checkpoint.signed_message())).decode()
        checkpoint.save()
    return checkpoint


def checkpoint_signature_valid(checkpoint: AuditCheckpoint) -> bool:
    try:
        public_key = serialization.load_pem_public_key(checkpoint.public_key.encode())
        if not isinstance(public_key, Ed25519PublicKey):
            return False
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.signed_message())
    except (InvalidSignature, ValueError):
        return False
    return True
