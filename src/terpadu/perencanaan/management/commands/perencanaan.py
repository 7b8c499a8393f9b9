"""`terpadu perencanaan load-reference --tahun N [--update]`: the shipped nomenklatur into the N edition."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from terpadu.core.context import acting


class Command(BaseCommand):
    help = "Load the shipped reference nomenklatur (data/nomenklatur_perencanaan.csv) into a year's edition."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load-reference"])
        parser.add_argument("--tahun", type=int, required=True, help="budget year of the edition (created if missing)")
        parser.add_argument("--update", action="store_true", help="also refresh names and sources of existing codes")

    def handle(self, *args, **options):
        from django.core.exceptions import ValidationError

        from terpadu.perencanaan import services_master as master

        with acting(None, via="command"):
            try:
                result = master.load_reference(master.NOMENKLATUR, options["tahun"], update=options["update"])
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"edition {result['versi'].tahun}: {result['codes']} codes ({result['created']} new, "
            f"{result['placeholders']} placeholder parents), {len(result['skipped'])} reference rows skipped"
        )
        for row in result["skipped"]:
            self.stdout.write(f"  skipped line {row['line']} {row['code']}: {row['reason']}")
