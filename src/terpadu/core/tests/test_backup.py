"""Backup and restore: one archive holds the database and the files; a restore into an empty instance
gives back the same rows, the same bytes and the same audit chain, or changes nothing at all."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from terpadu.core import audit, backup, files
from terpadu.core.context import acting
from terpadu.core.models import AuditEvent, StoredFile
from terpadu.organisasi import services as org
from terpadu.organisasi.models import UnitKerja

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
# Objects compared field by field after a restore: (model, the field that names them).
SAMPLES = [
    ("organisasi.pegawai", "nip"),
    ("organisasi.unitkerja", "kode"),
    ("accounts.user", "username"),
    ("core.storedfile", "sha256"),
    ("core.auditcheckpoint", "seq"),
    ("otp_totp.totpdevice", "name"),
]


def describe(tables: list[str]) -> dict:
    """What must survive a backup and restore, in a form that compares across processes and databases."""
    objects = {}
    for label, key in SAMPLES:
        model = apps.get_model(label)
        objects[label] = {
            str(getattr(obj, key)): {
                f.attname: audit.json_safe(getattr(obj, f.attname)) for f in model._meta.concrete_fields
            }
            for obj in model.objects.all()
        }
    User = apps.get_model("accounts.user")
    result = audit.verify()
    return {
        "counts": {table: backup.count_rows(table) for table in tables},
        "objects": objects,
        "permissions": {u.username: sorted(p.codename for p in u.user_permissions.all()) for u in User.objects.all()},
        "groups": {u.username: sorted(g.name for g in u.groups.all()) for u in User.objects.all()},
        "files": {
            name: hashlib.sha256(default_storage.open(name).read()).hexdigest() for name in backup.storage_files()
        },
        "audit": {"ok": result.ok, "checked": result.checked, "head": backup.chain_head()},
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def instance(city, media):
    """The test city plus stored files, a 2FA device, permissions, a group and a signed checkpoint."""
    with acting(city.admin, via="web"):
        files.store(SimpleUploadedFile("peta.png", PNG), {"png"}, user=city.admin)
        files.store(SimpleUploadedFile("daftar.csv", "nama;nip\nSiti Nur’aini;1\n".encode()), {"csv"})
        org.update_unit(city.dinas_a, {"alamat": "Jl. Pahlawan 1, Kota Uji"})
    TOTPDevice.objects.create(user=city.staff_same, name="hp staf", confirmed=True)
    group = Group.objects.create(name="operator")
    group.permissions.add(Permission.objects.get(codename="view_pemda"))
    city.admin.groups.add(group)
    city.admin.user_permissions.add(Permission.objects.get(codename="change_unitkerja"))
    audit.make_checkpoint()
    return city


def archive_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def rewrite(source: Path, target: Path, member: str | None = None, change=None, manifest_change=None) -> Path:
    """A copy of an archive with one member's bytes and/or the manifest altered."""
    members = archive_members(source)
    if member:
        members[member] = change(members[member])
    if manifest_change:
        manifest = json.loads(members[backup.MANIFEST])
        manifest_change(manifest)
        members[backup.MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


# -- a second, empty instance in a subprocess -----------------------------------------------------------


def _postgres_database(suffix: str):
    import psycopg

    base = urlparse(os.environ["DATABASE_URL"])
    name = f"{base.path.lstrip('/')}_{suffix}_{os.getpid()}"
    params = connection.settings_dict
    conninfo = {
        "host": params["HOST"],
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "dbname": "postgres",
        **({"password": params["PASSWORD"]} if params["PASSWORD"] else {}),
    }
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(**conninfo, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return base._replace(path=f"/{name}").geturl(), drop


@pytest.fixture
def empty_instance(request, tmp_path):
    """Environment variables of a fresh instance: its own database and data directory, nothing migrated."""
    kind = request.param
    data_dir = tmp_path / f"empty-{kind}"
    data_dir.mkdir()
    drop = None
    if kind == "postgresql":
        url, drop = _postgres_database("restore")
    else:
        url = f"sqlite:///{data_dir / 'terpadu.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "terpadu.settings",
        "TERPADU_PROFILE": "test",
        "TERPADU_DATA_DIR": str(data_dir),
        "MEDIA_ROOT": str(data_dir / "media"),
        "DATABASE_URL": url,
    }
    env.pop("TERPADU_JOBS_BACKEND", None)
    yield env
    if drop:
        drop()


def terpadu(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "terpadu", *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def describe_in(env: dict, tables: list[str], tmp_path: Path) -> dict:
    out = tmp_path / "described.json"
    script = (
        f"import json; from terpadu.core.tests.test_backup import describe; "
        f"open({str(out)!r}, 'w').write(json.dumps(describe({tables!r})))"
    )
    done = terpadu(env, "shell", "-c", script)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


def target_kinds():
    kinds = (
        ["postgresql", "sqlite"]
        if urlparse(os.environ.get("DATABASE_URL", "")).scheme.startswith("postgres")
        else ["sqlite"]
    )
    return [pytest.param(k, id=f"into-{k}") for k in kinds]


@pytest.mark.parametrize("empty_instance", target_kinds(), indirect=True)
def test_a_backup_restored_into_an_empty_instance_gives_the_same_data_files_and_audit_chain(
    instance, empty_instance, tmp_path
):
    path = backup.backup(tmp_path / "backup.tar.gz").path
    tables = sorted(json.loads(archive_members(path)[backup.MANIFEST])["tables"])
    before = describe(tables)

    done = terpadu(empty_instance, "restore", str(path))

    assert done.returncode == 0, done.stdout + done.stderr
    assert "audit chain OK" in done.stdout
    after = describe_in(empty_instance, tables, tmp_path)
    assert after["counts"] == before["counts"]
    assert after["counts"]["organisasi_pegawai"] == 5
    assert after["objects"] == before["objects"]
    assert after["permissions"]["admin"] == ["change_unitkerja"]
    assert after["groups"]["admin"] == ["operator"]
    assert after["files"] == before["files"]
    assert len(after["files"]) == 2
    assert after["audit"] == before["audit"]
    assert after["audit"]["ok"] and after["audit"]["head"]["seq"] == AuditEvent.objects.count()
    # ... and it keeps working: new rows get fresh ids (sequences were reset) and extend the same chain.
    script = (
        "from terpadu.core import audit; from terpadu.core.context import acting; "
        "from terpadu.organisasi import services as org; from terpadu.organisasi.models import UnitKerja\n"
        "with acting(None):\n"
        "    unit = org.create_unit({'parent': UnitKerja.objects.get(kode='400'), 'kode': '400.9', "
        "'nama': 'Dinas Baru', 'jenis': 'dinas'})\n"
        "print('new unit', unit.pk, 'chain ok', audit.verify().ok)"
    )
    done = terpadu(empty_instance, "shell", "-c", script)
    assert done.returncode == 0, done.stderr
    assert f"new unit {UnitKerja.objects.order_by('-pk').first().pk + 1} chain ok True" in done.stdout


def test_the_manifest_lists_versions_counts_hashes_and_the_audit_head(instance, tmp_path):
    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    path = next(tmp_path.glob("terpadu-*.tar.gz"))
    members = archive_members(path)
    manifest = json.loads(members.pop(backup.MANIFEST))

    assert manifest["format"] == "terpadu-backup" and manifest["format_version"] == 1
    assert manifest["database_vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["core"]
    assert manifest["tables"]["organisasi_unitkerja"] == UnitKerja.objects.count()
    assert manifest["tables"]["accounts_user_user_permissions"] == 1
    assert manifest["audit"]["seq"] == AuditEvent.objects.count()
    assert manifest["audit"]["hash"] == AuditEvent.objects.order_by("-seq").first().hash
    assert set(manifest["members"]) == set(members)
    for name, data in members.items():
        assert manifest["members"][name] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    stored = StoredFile.objects.get(original_name="peta.png")
    assert members[f"files/{stored.file.name}"] == PNG
    assert manifest["files"]["count"] == 2
    assert "data/core.auditevent.jsonl" in members and "data/otp_totp.totpdevice.jsonl" in members
    assert not [
        n
        for n in members
        if n.startswith(("data/contenttypes.", "data/auth.permission", "data/sessions.", "data/procrastinate."))
    ]
    assert os.stat(path).st_mode & 0o077 == 0  # personal data: readable by the owner only
    assert "signing key" in out.getvalue() and "NOT included" in out.getvalue()


def test_the_audit_signing_key_is_not_in_the_backup(instance, tmp_path):
    key = Path(settings.AUDIT_SIGNING_KEY_FILE).read_bytes()
    members = archive_members(backup.backup(tmp_path / "b.tar.gz").path)
    assert not any(key.strip() in data for data in members.values())
    assert not any(b"PRIVATE KEY" in data for data in members.values())
    assert any("signing key" in line for line in json.loads(members[backup.MANIFEST])["not_included"])


def test_restore_refuses_an_instance_that_has_data_and_changes_nothing(instance, tmp_path):
    path = backup.backup(tmp_path / "b.tar.gz").path
    with acting(None):
        org.update_unit(instance.dinas_b, {"nama": "Dinas Beta Setelah Backup"})
    events = AuditEvent.objects.count()

    with pytest.raises(CommandError, match="not empty .*--force"):
        call_command("restore", str(path), no_migrate=True, stdout=io.StringIO())

    assert AuditEvent.objects.count() == events
    assert UnitKerja.objects.get(pk=instance.dinas_b.pk).nama == "Dinas Beta Setelah Backup"


def test_a_forced_restore_replaces_the_data_with_the_backup(instance, tmp_path):
    path = backup.backup(tmp_path / "b.tar.gz").path
    tables = sorted(json.loads(archive_members(path)[backup.MANIFEST])["tables"])
    before = describe(tables)
    with acting(None):
        org.update_unit(instance.dinas_b, {"nama": "Dinas Beta Setelah Backup"})
        files.store(SimpleUploadedFile("baru.csv", b"a;b\n1;2\n"), {"csv"})
    instance.staff_other.user_permissions.add(Permission.objects.get(codename="view_pemda"))

    out = io.StringIO()
    call_command("restore", str(path), force=True, no_migrate=True, stdout=out)

    after = describe(tables)
    assert after["counts"] == before["counts"]
    assert after["objects"] == before["objects"]
    assert after["permissions"] == before["permissions"]
    assert after["audit"] == before["audit"]
    assert set(before["files"]) < set(after["files"])  # a file the backup does not know is left, and reported
    assert "1 files in the storage are not in the backup" in out.getvalue()


def test_a_damaged_archive_is_refused_before_anything_is_written(instance, tmp_path):
    path = backup.backup(tmp_path / "b.tar.gz").path
    damaged = rewrite(
        path,
        tmp_path / "damaged.tar.gz",
        "data/organisasi.unitkerja.jsonl",
        lambda data: data.replace(b"Dinas Alfa", b"Dinas Palsu"),
    )
    with acting(None):
        org.update_unit(instance.dinas_b, {"nama": "Dinas Beta Setelah Backup"})
    events = AuditEvent.objects.count()

    with pytest.raises(backup.BackupError, match="organisasi.unitkerja.jsonl does not match its SHA-256"):
        backup.restore(damaged, force=True, migrate=False)
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore", str(damaged), check=True)

    assert AuditEvent.objects.count() == events
    assert UnitKerja.objects.get(pk=instance.dinas_b.pk).nama == "Dinas Beta Setelah Backup"


def test_a_truncated_or_foreign_archive_is_refused_with_a_clear_message(tmp_path, db):
    path = backup.backup(tmp_path / "b.tar.gz").path
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(backup.BackupError, match="damaged or truncated|no manifest.json"):
        backup.verify_archive(truncated)
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("etc/passwd"), io.BytesIO(b""))
    with pytest.raises(backup.BackupError, match="unexpected member 'etc/passwd'"):
        backup.verify_archive(foreign)


def test_a_restore_that_does_not_match_the_manifest_is_rolled_back_with_its_files(instance, tmp_path):
    path = backup.backup(tmp_path / "b.tar.gz").path

    def one_pegawai_more(manifest):
        manifest["tables"]["organisasi_pegawai"] += 1

    wrong = rewrite(path, tmp_path / "wrong.tar.gz", manifest_change=one_pegawai_more)
    stored = StoredFile.objects.get(original_name="peta.png")
    default_storage.delete(stored.file.name)
    with acting(None):
        org.update_unit(instance.dinas_b, {"nama": "Dinas Beta Setelah Backup"})
    events = AuditEvent.objects.count()

    with pytest.raises(backup.BackupError, match="organisasi_pegawai: 5 rows, the manifest says 6"):
        backup.restore(wrong, force=True, migrate=False)

    assert AuditEvent.objects.count() == events
    assert UnitKerja.objects.get(pk=instance.dinas_b.pk).nama == "Dinas Beta Setelah Backup"
    assert not default_storage.exists(stored.file.name)  # written during the restore, removed on rollback
    assert audit.verify().ok


def test_a_backup_from_another_schema_version_is_refused_with_what_to_do(instance, tmp_path):
    path = backup.backup(tmp_path / "b.tar.gz").path
    newer = rewrite(
        path,
        tmp_path / "newer.tar.gz",
        manifest_change=lambda m: m["migrations"]["core"].append("0099_from_the_future"),
    )
    with pytest.raises(backup.BackupError, match="migration state of app 'core' differs.*0099_from_the_future"):
        backup.restore(newer, force=True, migrate=False)
