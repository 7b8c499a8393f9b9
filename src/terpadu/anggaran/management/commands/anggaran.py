"""`terpadu anggaran load-reference --tahun N [--update]`: the shipped kode rekening into the N edition."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from terpadu.core.context import acting


class Command(BaseCommand):
    help = "Load the shipped reference kode rekening (data/kode_rekening.csv) into a year's edition."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load-reference"])
        parser.add_argument("--tahun", type=int, required=True, help="budget year of the edition (created if missing)")
        parser.add_argument("--update", action="store_true", help="also refresh names and sources of existing codes")

    def handle(self, *args, **options):
        from django.core.exceptions import ValidationError

        from terpadu.anggaran import services_master as master
        from terpadu.perencanaan import services_master as engine

        with acting(None, via="command"):
            try:
                result = engine.load_reference(master.REKENING, options["tahun"], update=options["update"])
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"edition {result['versi'].tahun}: {result['codes']} codes ({result['created']} new, "
            f"{result['placeholders']} placeholder parents), {len(result['skipped'])} reference rows skipped"
        )
        for row in result["skipped"]:
            self.stdout.write(f"  skipped line {row['line']} {row['code']}: {row['reason']}")
