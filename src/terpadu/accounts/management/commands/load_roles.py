"""`terpadu load_roles [--update]`: create the default roles that are missing (--update resets shipped ones)."""

from django.core.management.base import BaseCommand

from terpadu.core.context import acting


class Command(BaseCommand):
    help = "Create missing default roles from accounts/data/roles.json."

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="Also reset shipped roles to their defaults.")

    def handle(self, *args, **options):
        from terpadu.accounts import services

        with acting(None, via="command"):
            count = services.load_default_roles(update=options["update"])
        self.stdout.write(f"{count} roles created or updated.")
