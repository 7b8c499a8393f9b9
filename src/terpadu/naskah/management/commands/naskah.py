"""`terpadu naskah load-reference [--update]`: kinds, default templates and disposition instructions."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from terpadu.core.context import acting


class Command(BaseCommand):
    help = "Naskah dinas maintenance. load-reference: load the tata naskah reference data (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load-reference", help="Load kinds, default templates and disposition instructions.")
        load.add_argument(
            "--update",
            action="store_true",
            help="Also rewrite existing rows from the data files (a changed template gets a new version).",
        )

    def handle(self, *args, **options):
        if options["action"] == "load-reference":
            from terpadu.naskah import tata

            with acting(None, via="command"):
                counts = tata.load_reference(update=options["update"])
            self.stdout.write(
                self.style.SUCCESS(
                    "tata naskah: {jenis} kinds, {template} templates, {instruksi} instructions loaded".format(**counts)
                )
            )
