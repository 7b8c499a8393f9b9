"""Backup and restore of one instance: the database and the stored files in one tar.gz.

Archive layout (format version 1)::

    data/<app_label>.<model_name>.jsonl   one line per row (Django JSON-lines serialization)
    files/<storage name>                  every file in the default storage (MEDIA_ROOT or S3)
    manifest.json                         written last: versions, migration state, row counts per
                                          table, SHA-256 and size of every other member, audit head

The serialization is the same on SQLite and PostgreSQL, so a backup can be restored on either.
Primary keys are kept (audit events name objects by id); only references to content types and
permissions, whose ids differ between instances, are written as natural keys.

NOT in the archive: the audit signing key (AUDIT_SIGNING_KEY_FILE, back it up separately, see
README.md (Runbook)), the environment file with SECRET_KEY, sessions, the job queue and static files.

Restore only goes into an empty instance (or replaces everything with force=True). It checks every
member's hash before it writes anything, loads all rows in one transaction, and inside that same
transaction compares the row counts with the manifest and verifies the audit chain and its head;
any difference rolls the whole restore back and removes the files it had written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import posixpath
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from terpadu.core import audit
from terpadu.core.models import AuditChainHead

logger = logging.getLogger("terpadu.backup")

FORMAT = "terpadu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
FILES_PREFIX = "files/"
# Rebuilt by `migrate` on the target (content types, permissions), or not worth keeping.
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
EXCLUDED_APPS = {"procrastinate"}  # the job queue: its own tables, recreated by migrate
NOT_INCLUDED = [
    "the audit signing key (AUDIT_SIGNING_KEY_FILE): back it up separately",
    "the environment file (SECRET_KEY, DATABASE_URL, ...)",
    "sessions (everyone signs in again after a restore)",
    "the job queue (procrastinate tables); periodic jobs are re-created by the worker",
    "static files (collectstatic rebuilds them)",
]
BATCH = 500
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: dict


@dataclass
class RestoreResult:
    manifest: dict
    rows: int
    files: int
    audit_events: int
    stray_files: list[str] = field(default_factory=list)


# -- what is backed up ----------------------------------------------------------------------


def backed_up_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every concrete model whose table exists, except the excluded ones, in a stable order."""
    tables = set(connections[using].introspection.table_names())
    result = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in EXCLUDED_APPS:
            continue
        if meta.label_lower in EXCLUDED_MODELS or meta.db_table not in tables:
            continue
        result.append(model)
    return sorted(result, key=lambda m: m._meta.label_lower)


def m2m_tables(model: type[models.Model]) -> list[str]:
    """The auto-created many-to-many tables a model's rows carry inline in the serialization."""
    return [
        f.remote_field.through._meta.db_table
        for f in model._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    ]


def table_names(model_list) -> list[str]:
    names = []
    for model in model_list:
        names.append(model._meta.db_table)
        names.extend(m2m_tables(model))
    return names


def count_rows(table: str, using: str = DEFAULT_DB_ALIAS) -> int:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our table names)
        return cursor.fetchone()[0]


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def chain_head(using: str = DEFAULT_DB_ALIAS) -> dict:
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    return {"seq": head.seq, "hash": head.hash} if head else {"seq": 0, "hash": audit.GENESIS_HASH}


def storage_files(storage=None) -> Iterator[str]:
    """Every file name in a storage (recursively), sorted."""
    storage = storage or default_storage

    def walk(path: str):
        try:
            dirs, files = storage.listdir(path)
        except FileNotFoundError:
            return
        for name in sorted(files):
            yield posixpath.join(path, name) if path else name
        for name in sorted(dirs):
            yield from walk(posixpath.join(path, name) if path else name)

    yield from walk("")


# -- backup ---------------------------------------------------------------------------------


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; audit hashes and signatures need microseconds."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _Serializer(jsonl.Serializer):
    """JSON lines with natural keys only for content types and permissions (their ids are per instance)."""

    natural = (ContentType, Permission)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in self.natural
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in self.natural
        super().handle_m2m_field(obj, field)


class _HashingWriter:
    """A text stream for the serializer that writes UTF-8 to a binary file and hashes it."""

    def __init__(self, handle):
        self.handle, self.sha256, self.size = handle, hashlib.sha256(), 0

    def write(self, text: str) -> None:
        data = text.encode()
        self.sha256.update(data)
        self.size += len(data)
        self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()


class _HashingReader(io.RawIOBase):
    """Wraps a binary file: hashes and counts what is read through it."""

    def __init__(self, handle):
        super().__init__()
        self.handle, self.sha256, self.size = handle, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.handle.read(len(buffer))
        self.sha256.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)

    def drain(self) -> None:
        while self.read(CHUNK):
            pass


def _snapshot_queryset(model):
    queryset = model._base_manager.order_by("pk")
    related = [
        f.name
        for f in model._meta.local_fields
        if f.is_relation and f.remote_field and f.remote_field.model in _Serializer.natural
    ]
    if related:
        queryset = queryset.select_related(*related)
    prefetch = []
    for f in model._meta.local_many_to_many:
        if not f.remote_field.through._meta.auto_created:
            continue
        if f.remote_field.model is Permission:
            prefetch.append(models.Prefetch(f.name, Permission.objects.select_related("content_type")))
        else:
            prefetch.append(models.Prefetch(f.name, f.remote_field.model._base_manager.only("pk")))
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    return queryset


def _dump_data(workdir: Path, using: str) -> tuple[dict, dict, dict, dict]:
    """Serialize every model into workdir within one consistent snapshot of the database."""
    connection = connections[using]
    members, tables = {}, {}
    outer = connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:  # first statement of the transaction: one snapshot for all
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        model_list = backed_up_models(using)
        for model in model_list:
            name = f"{DATA_PREFIX}{model._meta.label_lower}.jsonl"
            path = workdir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                writer = _HashingWriter(handle)
                queryset = _snapshot_queryset(model).using(using).iterator(chunk_size=2000)
                _Serializer().serialize(queryset, stream=writer, cls=_Encoder)
            members[name] = {"sha256": writer.sha256.hexdigest(), "size": writer.size}
            for table in table_names([model]):
                tables[table] = count_rows(table, using)
        migrations = migration_state(using)
        head = chain_head(using)
        head["events"] = count_rows(audit.AuditEvent._meta.db_table, using)
    return members, tables, migrations, head


def _add_file(tar: tarfile.TarFile, name: str, size: int, handle, mtime: float) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    reader = _HashingReader(handle)
    tar.addfile(info, reader)
    if reader.size != size:
        raise BackupError(f"{name} changed size while it was being backed up")
    return {"sha256": reader.sha256.hexdigest(), "size": size}


def default_backup_path() -> Path:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.DATA_DIR) / "backups" / f"terpadu-{stamp}.tar.gz"


def backup(output: Path | str | None = None, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write the archive (atomically: a partial archive never has the final name). Returns its path."""
    path = Path(output) if output else default_backup_path()
    if path.is_dir():
        path = path / default_backup_path().name
    path.parent.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    with tempfile.TemporaryDirectory(prefix=".terpadu-backup-", dir=path.parent) as tmp:
        workdir = Path(tmp)
        members, tables, migrations, head = _dump_data(workdir, using)
        partial = workdir / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # personal data: owner only
        file_count = file_bytes = 0
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
            for name in members:
                with (workdir / name).open("rb") as handle:
                    _add_file(tar, name, members[name]["size"], handle, created.timestamp())
            for name in storage_files():
                try:
                    size = default_storage.size(name)
                    handle = default_storage.open(name, "rb")
                except FileNotFoundError:  # deleted since the listing: it is not in the snapshot either
                    logger.warning("backup: %s disappeared while the backup ran; skipped", name)
                    continue
                try:
                    mtime = default_storage.get_modified_time(name).timestamp()
                except (NotImplementedError, OSError):
                    mtime = created.timestamp()
                with handle:
                    members[FILES_PREFIX + name] = _add_file(tar, FILES_PREFIX + name, size, handle, mtime)
                file_count, file_bytes = file_count + 1, file_bytes + size
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created": created.astimezone(dt.UTC).isoformat(),
                "terpadu_version": _version("terpadu"),
                "django_version": django.get_version(),
                "database_vendor": connections[using].vendor,
                "migrations": migrations,
                "tables": tables,
                "audit": head,
                "files": {"storage": _storage_class(), "count": file_count, "bytes": file_bytes},
                "members": members,
                "not_included": NOT_INCLUDED,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            _add_file(tar, MANIFEST, len(data), io.BytesIO(data), created.timestamp())
        os.replace(partial, path)
    logger.info(
        "backup written to %s: %d rows, %d files, audit head #%s", path, sum(tables.values()), file_count, head["seq"]
    )
    return BackupResult(path, path.stat().st_size, manifest)


def _storage_class() -> str:
    cls = default_storage.__class__  # the configured class, not the lazy wrapper
    return f"{cls.__module__}.{cls.__qualname__}"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


# -- restore --------------------------------------------------------------------------------


def _check_member_name(name: str) -> None:
    if name == MANIFEST:
        return
    if not (name.startswith(DATA_PREFIX) or name.startswith(FILES_PREFIX)):
        raise BackupError(f"unexpected member {name!r} in the archive")
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
        raise BackupError(f"unsafe member name {name!r} in the archive")


def _open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r|gz")
    except FileNotFoundError as exc:
        raise BackupError(f"{path} does not exist") from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path} is not a tar.gz archive: {exc}") from exc


def verify_archive(path: Path | str) -> dict:
    """Read the whole archive and check every member against the manifest. Writes nothing."""
    path = Path(path)
    seen: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with _open_archive(path) as tar:
            for member in tar:
                _check_member_name(member.name)
                if not member.isfile():
                    raise BackupError(f"member {member.name!r} is not a regular file")
                if member.name in seen or (member.name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"member {member.name!r} appears twice")
                handle = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_bytes = handle.read()
                    continue
                reader = _HashingReader(handle)
                reader.drain()
                seen[member.name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path} is damaged or truncated: {exc}") from exc
    if manifest_bytes is None:
        raise BackupError(f"{path} has no {MANIFEST}; it is not a Terpadu backup (or it is truncated)")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} is not valid JSON: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Terpadu backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"backup format version {manifest.get('format_version')} is not supported "
            f"by this version of Terpadu (it reads version {FORMAT_VERSION})"
        )
    expected = manifest.get("members", {})
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    if missing or extra:
        raise BackupError(
            f"archive members do not match the manifest (missing: {missing[:5]}, not in the manifest: {extra[:5]})"
        )
    for name, actual in seen.items():
        if actual != {"sha256": expected[name].get("sha256"), "size": expected[name].get("size")}:
            raise BackupError(f"member {name} does not match its SHA-256 in the manifest: the archive is damaged")
    return manifest


def _check_compatible(manifest: dict, using: str) -> list[type[models.Model]]:
    here = migration_state(using)
    installed = {config.label for config in apps.get_app_configs()}
    with_data = {name[len(DATA_PREFIX) :].split(".")[0] for name in manifest["members"] if name.startswith(DATA_PREFIX)}
    for app, names in manifest["migrations"].items():
        if app in EXCLUDED_APPS or (app not in installed and app not in with_data):
            continue  # the job queue, or an app removed long ago that left only django_migrations rows
        if app not in installed:
            raise BackupError(f"the backup has data of app {app!r}, which this version of Terpadu does not have")
        if set(here.get(app, [])) != set(names):
            newer = sorted(set(names) - set(here.get(app, [])))
            older = sorted(set(here.get(app, [])) - set(names))
            raise BackupError(
                f"the migration state of app {app!r} differs from the backup "
                f"(only in the backup: {newer[:3]}, only here: {older[:3]}). Restore with the Terpadu "
                f"version {manifest.get('terpadu_version')} that made the backup, then upgrade."
            )
    model_list = backed_up_models(using)
    known = {f"{DATA_PREFIX}{m._meta.label_lower}.jsonl" for m in model_list}
    unknown = sorted(n for n in manifest["members"] if n.startswith(DATA_PREFIX) and n not in known)
    if unknown:
        raise BackupError(f"the backup has tables this instance does not know: {unknown[:5]}")
    return model_list


# Tables a data migration fills on a fresh database (reference data such as the holiday calendar): their rows
# don't make an instance "not empty", and a restore replaces them with the archive's.
SEEDED_BY_MIGRATIONS = frozenset({"core_harilibur"})


def _existing_data(model_list, using: str) -> dict[str, int]:
    counts = {}
    for table in table_names(model_list):
        if table in SEEDED_BY_MIGRATIONS:
            continue
        n = count_rows(table, using)
        if n:
            counts[table] = n
    return counts


def _wipe_seeded(model_list, using: str) -> None:
    """The rows data migrations put into a fresh database; the archive holds the instance's own."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for table in table_names(model_list):
            if table in SEEDED_BY_MIGRATIONS:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our table names)


def _wipe(model_list, using: str) -> None:
    """Delete every row of the backed-up tables (and sessions). Foreign keys are checked at commit."""
    connection = connections[using]
    tables = table_names(model_list)
    if "django_session" in connection.introspection.table_names():
        tables.append("django_session")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our table names)


def _insert(model, objects: list, using: str) -> None:
    """Insert rows as they are (raw: no auto_now, no signals, primary keys kept)."""
    fields = list(model._meta.local_concrete_fields)
    connection = connections[using]
    batch = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objects)))
    for start in range(0, len(objects), batch):
        model._base_manager.using(using)._insert(objects[start : start + batch], fields=fields, raw=True, using=using)


def _insert_m2m(model, pending: list, using: str) -> None:
    for field_name in {name for _obj, data in pending for name in data}:
        f = model._meta.get_field(field_name)
        through = f.remote_field.through
        source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
        rows = [
            through(**{f"{source}_id": obj.pk, f"{target}_id": pk})
            for obj, data in pending
            for pk in data.get(field_name, [])
        ]
        through._base_manager.using(using).bulk_create(rows, batch_size=BATCH)


def _load_member(handle, model_list, using: str) -> int:
    by_label = {m._meta.label_lower: m for m in model_list}
    buffered = io.BufferedReader(handle, CHUNK)
    text = io.TextIOWrapper(buffered, encoding="utf-8")
    count, batch, pending, model = 0, [], [], None
    objects = serializers.deserialize("jsonl", text, using=using, handle_forward_references=False)
    try:
        for deserialized in objects:
            obj = deserialized.object
            if model is not None and type(obj) is not model:
                raise BackupError(f"a data member mixes {model._meta.label} and {type(obj)._meta.label}")
            model = type(obj)
            if model._meta.label_lower not in by_label:
                raise BackupError(f"{model._meta.label} is not restored by this version")
            batch.append(obj)
            if deserialized.m2m_data:
                pending.append((obj, deserialized.m2m_data))
            count += 1
            if len(batch) >= BATCH:
                _insert(model, batch, using)
                batch = []
    except DeserializationError as exc:
        raise BackupError(f"a row cannot be read: {exc}") from exc
    finally:
        text.detach()  # leaves `handle` open: the caller drains and checks its hash
    if batch:
        _insert(model, batch, using)
    if pending:
        _insert_m2m(model, pending, using)
    return count


def _write_file(name: str, handle, force: bool) -> bool:
    """Save one file under its exact name; True when it was created (not replaced)."""
    existed = default_storage.exists(name)
    if existed:
        if not force:
            raise BackupError(f"file {name} already exists in the storage")
        default_storage.delete(name)
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:  # seekable, as every storage wants
        while data := handle.read(CHUNK):
            spool.write(data)
        spool.seek(0)
        saved = default_storage.save(name, File(spool, name=posixpath.basename(name)))
    if saved != name:
        default_storage.delete(saved)
        raise BackupError(f"the storage saved {name} as {saved}; refusing to rename files")
    return not existed


def restore(
    path: Path | str, *, force: bool = False, migrate: bool = True, using: str = DEFAULT_DB_ALIAS, progress=None
) -> RestoreResult:
    """Restore an archive into this (empty) instance, all or nothing. See the module docstring."""
    path = Path(path)
    say = progress or (lambda message: None)
    say(f"checking {path} ...")
    manifest = verify_archive(path)
    say(f"archive OK: {len(manifest['members'])} members match their SHA-256 (made {manifest['created']})")
    if migrate:
        call_command("migrate", interactive=False, verbosity=0, database=using)
    model_list = _check_compatible(manifest, using)
    existing = _existing_data(model_list, using)
    existing_files = list(storage_files())
    if (existing or existing_files) and not force:
        detail = ", ".join(f"{t}: {n} rows" for t, n in list(existing.items())[:5])
        if existing_files:
            detail += f"{', ' if detail else ''}{len(existing_files)} stored files"
        raise BackupError(
            f"this instance is not empty ({detail}). Restore only into an empty instance "
            "(a new database and an empty MEDIA_ROOT), or pass --force to replace its data."
        )
    connection = connections[using]
    created: list[str] = []
    archive_names: set[str] = set()
    rows = 0
    try:
        with transaction.atomic(using=using):
            if existing:
                say(f"--force: deleting the existing rows of {len(existing)} tables")
                _wipe(model_list, using)
            else:
                _wipe_seeded(model_list, using)
            with _open_archive(path) as tar:
                for member in tar:
                    if member.name == MANIFEST:
                        continue
                    expected = manifest["members"][member.name]
                    reader = _HashingReader(tar.extractfile(member))
                    if member.name.startswith(DATA_PREFIX):
                        rows += _load_member(reader, model_list, using)
                    else:
                        name = member.name[len(FILES_PREFIX) :]
                        archive_names.add(name)
                        if _write_file(name, reader, force):
                            created.append(name)
                    reader.drain()  # whatever the loader left unread still counts for the hash
                    if reader.sha256.hexdigest() != expected["sha256"]:
                        raise BackupError(f"member {member.name} changed while it was being restored")
            say(f"loaded {rows} rows and {len(archive_names)} files; checking ...")
            sql = connection.ops.sequence_reset_sql(no_style(), _with_through(model_list))
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
            connection.check_constraints(table_names=table_names(model_list))
            _check_restored(manifest, using)
    except BaseException:
        for name in created:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not remove %s after the failed restore", name)
        raise
    stray = sorted(set(existing_files) - archive_names)
    result = RestoreResult(manifest, rows, len(archive_names), manifest["audit"]["events"], stray)
    logger.info("restored %s: %d rows, %d files, audit head #%s", path, rows, result.files, manifest["audit"]["seq"])
    return result


def _with_through(model_list):
    result = list(model_list)
    for model in model_list:
        result.extend(
            f.remote_field.through for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created
        )
    return result


def _check_restored(manifest: dict, using: str) -> None:
    """Inside the restore transaction: any difference raises, which rolls everything back."""
    differences = []
    for table, expected in manifest["tables"].items():
        actual = count_rows(table, using)
        if actual != expected:
            differences.append(f"{table}: {actual} rows, the manifest says {expected}")
    if differences:
        raise BackupError("row counts differ from the manifest: " + "; ".join(differences[:10]))
    result = audit.verify()
    if not result.ok:
        raise BackupError(f"the restored audit chain does not verify: event #{result.broken_seq}: {result.reason}")
    head = chain_head(using)
    if (head["seq"], head["hash"]) != (manifest["audit"]["seq"], manifest["audit"]["hash"]):
        raise BackupError(
            f"the restored audit head #{head['seq']} differs from the manifest's #{manifest['audit']['seq']}"
        )


def describe(manifest: dict) -> str:
    """A few lines about a backup for the commands' output."""
    rows = sum(manifest["tables"].values())
    return (
        f"made {manifest['created']} by Terpadu {manifest['terpadu_version']} on {manifest['database_vendor']}\n"
        f"{rows} rows in {len(manifest['tables'])} tables, {manifest['files']['count']} files "
        f"({manifest['files']['bytes']} bytes)\n"
        f"audit chain head #{manifest['audit']['seq']} {manifest['audit']['hash']}"
    )
