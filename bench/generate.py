"""The bench database: the demo city (Pemerintah Kota Sukamaju) at scale on PostgreSQL.

    python -m bench.generate [--scale N] [--regenerate] [--database-url postgres://…/terpadu_bench]

Per unit of `--scale`: ~640 units and 5,000 pegawai (scale 2 doubles both). Everything goes through the
organisation services (`terpadu.demo.city.CityBuilder`), so every row has its audit events and the hash
chain is as long as a real one; the demo accounts (`terpadu.demo.accounts`) are the bench personas.

The database is cached: its PostgreSQL comment records what was generated (generator version, scale,
seed, counts); a later run with the same parameters reuses it, `--regenerate` drops and rebuilds it.
Only databases whose name starts with `terpadu_bench` are ever created, emptied or dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "var" / "bench"
DB_PREFIX = "terpadu_bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
GENERATOR_VERSION = 1  # bump when the generated city changes, so cached databases are rebuilt
SEED = 2026
PEGAWAI_PER_SCALE = 5000
OPD_COPIES_PER_SCALE = 2  # 23 dinas/badan per copy, each with 13 units (2 seksi per bidang): ~600 units
SEKSI_PER_BIDANG = 2
BATCH = 100  # pegawai per transaction while generating
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop"


def default_database_url(scale: int) -> str:
    url = os.environ.get("TERPADU_BENCH_DATABASE_URL")
    if url:
        return url
    name = DB_PREFIX if scale == 1 else f"{DB_PREFIX}_s{scale}"
    return f"{DEFAULT_SERVER}/{name}"


def database_name(url: str) -> str:
    name = urlparse(url).path.lstrip("/")
    if urlparse(url).scheme not in ("postgres", "postgresql") or not name.startswith(DB_PREFIX):
        raise SystemExit(f"the bench database must be PostgreSQL and named {DB_PREFIX}…, not {url!r}")
    return name


def bench_env(database_url: str) -> dict[str, str]:
    """The environment of every bench process (this one, gunicorn, the worker): production settings,
    minus TLS-only cookies and redirects (loopback HTTP), plus the floor views (TERPADU_BENCH=1)."""
    return {
        "DJANGO_SETTINGS_MODULE": "terpadu.settings",
        "TERPADU_PROFILE": "production",
        "TERPADU_BENCH": "1",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "TERPADU_DATA_DIR": str(DATA_DIR),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AUDIT_SIGNING_KEY_AUTOCREATE": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": _pythonpath(),
    }


def _pythonpath() -> str:
    return os.pathsep.join(filter(None, [str(REPO / "src"), str(REPO), os.environ.get("PYTHONPATH")]))


def setup_django(database_url: str) -> None:
    os.environ.update(bench_env(database_url))
    for path in (str(REPO), str(REPO / "src")):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


# -- the database itself (psycopg, before Django connects) -----------------------------------------


def _server_connection(database_url: str):
    import psycopg

    parsed = urlparse(database_url)
    return psycopg.connect(urlunparse(parsed._replace(path="/postgres")), autocommit=True)


def read_meta(database_url: str) -> dict | None:
    """What the cached bench database holds (its comment), or None when it does not exist."""
    name = database_name(database_url)
    with _server_connection(database_url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0] or "{}")
    except ValueError:
        return {}


def _write_meta(database_url: str, meta: dict) -> None:
    from psycopg import sql

    name = database_name(database_url)
    with _server_connection(database_url) as conn:
        comment = sql.SQL("COMMENT ON DATABASE {} IS {}")
        conn.execute(comment.format(sql.Identifier(name), sql.Literal(json.dumps(meta))))


def _recreate(database_url: str) -> None:
    from psycopg import sql

    name = database_name(database_url)
    with _server_connection(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# -- the city ---------------------------------------------------------------------------------------


def expected_meta(scale: int) -> dict:
    return {"generator": GENERATOR_VERSION, "scale": scale, "seed": SEED}


def _builder_class():
    from django.db import transaction

    from terpadu.demo.city import CityBuilder

    class BenchCityBuilder(CityBuilder):
        """The demo city with more OPDs, two seksi per bidang, every head filled and staff up to a target."""

        def __init__(self, target_pegawai: int, log, **kwargs):
            super().__init__(**kwargs)
            self.target_pegawai = target_pegawai
            self.log = log
            self.started = time.monotonic()

        def person(self, jabatan, senior, status="PNS"):
            pegawai = super().person(jabatan, senior, status)
            done = len(self.built.pegawai)
            if done % 500 == 0:
                seconds = time.monotonic() - self.started
                self.log(f"  {done:>6} / {self.target_pegawai} pegawai ({seconds:.0f} s)")
            return pegawai

        def build_people(self, staff_per_opd: int = 1) -> None:
            vacant_heads = {"401", "401.108"}  # as in the demo: the Wali Kota, and Dishub's head (a Plt.)
            people = [
                (self.built.heads[unit.kode], True)
                for unit in self.built.units
                if unit.kode in self.built.heads and unit.kode not in vacant_heads
            ]
            positions = [j for unit in self.built.units for j in self.built.staff.get(unit.kode, [])]
            staff = range(self.target_pegawai - len(people))
            people += [(positions[i % len(positions)], False) for i in staff]
            for start in range(0, len(people), BATCH):
                with transaction.atomic():
                    for jabatan, senior in people[start : start + BATCH]:
                        status = "PPPK" if not senior and self.random.random() < 0.15 else "PNS"
                        self.person(jabatan, senior=senior, status=status)

    return BenchCityBuilder


def build(scale: int, log=print) -> dict:
    """Generate the city into the (empty, migrated) database Django is connected to."""
    from django.db import connection

    from terpadu.core.context import acting
    from terpadu.demo.accounts import create_demo_accounts

    builder = _builder_class()(
        PEGAWAI_PER_SCALE * scale,
        log,
        seed=SEED,
        scale=scale,
        opd_copies=OPD_COPIES_PER_SCALE * scale,
        seksi_per_bidang=SEKSI_PER_BIDANG,
    )
    started = time.monotonic()
    # Not one transaction: every audit event updates the chain's head row, and PostgreSQL keeps each
    # version of that row until the transaction ends, so appending slows down with every event of the
    # same transaction (quadratic). Service calls commit on their own, people in batches; an interrupted
    # generation is redone from scratch (the metadata is written last).
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")  # a throw-away database: no fsync per commit
    with acting(None, via="command"):
        builder.build_structure()
        log(f"  structure: {len(builder.built.units)} units ({time.monotonic() - started:.0f} s)")
        builder.build_people()
        builder.build_acting()
        accounts = create_demo_accounts()
    return {
        "units": len(builder.built.units),
        "pegawai": len(builder.built.pegawai),
        "accounts": [a.username for a in accounts],
        "seconds": round(time.monotonic() - started, 1),
    }


def _counts() -> dict:
    from terpadu.core.models import AuditEvent
    from terpadu.organisasi.models import Pegawai, UnitKerja

    return {
        "units": UnitKerja.objects.count(),
        "pegawai": Pegawai.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }


def collectstatic() -> None:
    """Production settings serve hashed static files (whitenoise manifest): collect them once."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def prepare(database_url: str, scale: int, regenerate: bool = False, log=print) -> dict:
    """Make sure the bench database holds the city for `scale`; set up Django on it. Returns its metadata."""
    database_name(database_url)
    meta = read_meta(database_url)
    wanted = expected_meta(scale)
    fresh = regenerate or meta is None or {k: meta.get(k) for k in wanted} != wanted
    if fresh:
        reason = "--regenerate" if regenerate else "it does not exist" if meta is None else f"it holds {meta}"
        log(f"Creating {database_name(database_url)} ({reason}) …")
        _recreate(database_url)
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    collectstatic()
    if not fresh:
        counts = _counts()
        if counts["pegawai"] != meta.get("pegawai"):
            name = database_name(database_url)
            raise SystemExit(
                f"{name} has {counts['pegawai']} pegawai, its metadata says "
                f"{meta.get('pegawai')}: run with --regenerate"
            )
        log(
            f"Reusing {database_name(database_url)}: {meta['units']} units, {meta['pegawai']} pegawai "
            f"(generated in {meta.get('seconds', '?')} s; --regenerate rebuilds it)"
        )
        return meta
    log(f"Generating the city at scale {scale} ({PEGAWAI_PER_SCALE * scale} pegawai) through the services …")
    result = build(scale, log)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    meta = {**wanted, **result, **_counts()}
    _write_meta(database_url, meta)
    log(
        f"Generated {meta['units']} units, {meta['pegawai']} pegawai, {meta['audit_events']} audit events "
        f"in {meta['seconds']} s."
    )
    return meta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="city size: 1 = 5,000 pegawai in ~600 units")
    parser.add_argument("--regenerate", action="store_true", help="drop and rebuild the bench database")
    parser.add_argument("--database-url", help=f"default: {DEFAULT_SERVER}/{DB_PREFIX}[_sN]")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale is at least 1")
    meta = prepare(args.database_url or default_database_url(args.scale), args.scale, args.regenerate)
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
