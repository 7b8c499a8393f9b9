"""`terpadu arsip load-reference [--update]` and `terpadu arsip retention`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from terpadu.core.context import acting


class Command(BaseCommand):
    help = "Load the shipped classification and default JRA, or run the retention clock now."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load-reference", "retention"])
        parser.add_argument(
            "--update", action="store_true", help="also refresh names and sources of existing codes (never the JRA)"
        )

    def handle(self, *args, **options):
        from terpadu.arsip import services

        with acting(None, via="command"):
            if options["action"] == "load-reference":
                result = services.load_reference(update=options["update"])
                self.stdout.write(
                    f"edition {result['versi']}: {result['codes']} codes ({result['created']} new), "
                    f"{result['jra_defaults']} default JRA filled"
                )
            else:
                counts = services.run_retention_clock()
                self.stdout.write(f"inactive: {counts['inaktif']}, end of retention: {counts['final']}")
