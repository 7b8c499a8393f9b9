"""`terpadu restore PATH`: restore a backup into an empty instance, all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from terpadu.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `terpadu backup` into an empty instance: checks every member's SHA-256 "
        "first, migrates, loads all rows in one transaction, then compares row counts with the manifest "
        "and verifies the audit chain before it commits. The audit signing key is not in the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup archive (.tar.gz).")
        parser.add_argument(
            "--check", action="store_true", help="Only verify the archive against its manifest; change nothing."
        )
        parser.add_argument(
            "--force", action="store_true", help="Replace the data of an instance that is not empty (deletes its rows)."
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not run migrate first (the schema must already be current)."
        )

    def handle(self, *args, **options):
        try:
            if options["check"]:
                manifest = backup.verify_archive(options["path"])
                self.stdout.write(backup.describe(manifest))
                self.stdout.write(self.style.SUCCESS(f"archive OK: {len(manifest['members'])} members verified"))
                return
            result = backup.restore(
                options["path"], force=options["force"], migrate=not options["no_migrate"], progress=self.stdout.write
            )
        except backup.BackupError as exc:
            raise CommandError(f"restore failed, no data was written: {exc}") from exc
        self.stdout.write(backup.describe(result.manifest))
        self.stdout.write(f"audit chain OK: {result.audit_events} events, same head as the backup")
        if result.stray_files:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.stray_files)} files in the storage are not in the backup (left as they were), "
                    f"e.g. {result.stray_files[0]}"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {result.rows} rows and {result.files} files. Put the audit signing key back "
                "(AUDIT_SIGNING_KEY_FILE) before the next checkpoint, then run `terpadu audit verify`."
            )
        )
