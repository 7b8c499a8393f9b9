"""`terpadu backup [--output PATH]`: the database and the stored files in one verified tar.gz."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from terpadu.core import backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (tar.gz): every table as JSON lines, every stored file, and a manifest "
        "with row counts, SHA-256 of every member and the audit chain head. The audit signing key is "
        "NOT included: back it up separately."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Archive path, or a directory to put terpadu-<UTC time>.tar.gz in (default: DATA_DIR/backups/).",
        )

    def handle(self, *args, **options):
        try:
            result = backup.backup(options["output"])
        except (backup.BackupError, OSError) as exc:  # e.g. the disk is full: say so, no traceback
            raise CommandError(f"backup failed: {exc}") from exc
        self.stdout.write(backup.describe(result.manifest))
        self.stdout.write(
            f"NOT included: the audit signing key {settings.AUDIT_SIGNING_KEY_FILE} (back it up separately) "
            "and the environment file."
        )
        self.stdout.write(self.style.SUCCESS(f"backup written: {result.path} ({result.size} bytes)"))
