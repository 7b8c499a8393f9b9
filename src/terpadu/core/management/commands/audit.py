"""`terpadu audit verify|checkpoint|keygen`."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from terpadu.core import audit


class Command(BaseCommand):
    help = "Verify the audit chain, sign a checkpoint, or create the instance signing key."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "keygen"])

    def handle(self, *args, **options):
        action = options["action"]
        if action == "verify":
            result = audit.verify()
            if not result.ok:
                raise CommandError(
                    f"audit chain BROKEN at event #{result.broken_seq}: {result.reason} "
                    f"({result.checked} events verified before it)"
                )
            self.stdout.write(self.style.SUCCESS(f"audit chain OK: {result.checked} events"))
        elif action == "checkpoint":
            checkpoint = audit.make_checkpoint()
            self.stdout.write(f"checkpoint at #{checkpoint.seq} {checkpoint.head_hash}" if checkpoint else "no events")
        else:
            path = Path(settings.AUDIT_SIGNING_KEY_FILE)
            if path.exists():
                raise CommandError(f"{path} exists; refusing to overwrite the instance key")
            audit.generate_key(path)
            self.stdout.write(f"created {path}")
