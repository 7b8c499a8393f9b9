"""`terpadu tte init-ca [--name NAME]` creates the instance CA; `terpadu tte status` shows it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from terpadu.core.context import acting
from terpadu.tte import services
from terpadu.tte.models import SertifikatPenandatangan


class Command(BaseCommand):
    help = "Create the instance's signing CA (key file outside the database) or show its status."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init-ca", "status"])
        parser.add_argument("--name", default="", help="common name of the CA (default: '<pemda> TTE CA')")

    def handle(self, *args, **options):
        if options["action"] == "init-ca":
            try:
                with acting(None, via="command"):
                    ca = services.init_ca(options["name"])
            except services.SigningError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"created {services.ca_key_path()}")
            self.stdout.write(f"CA {ca.nama}, SHA-256 {ca.sidik_jari}, valid until {ca.berlaku_sampai:%Y-%m-%d}")
            return
        ca = services.active_ca()
        if ca is None:
            self.stdout.write("no CA: run `terpadu tte init-ca`")
            return
        key = services.ca_key_path()
        active = SertifikatPenandatangan.objects.filter(status="aktif").count()
        self.stdout.write(f"CA {ca.nama}, SHA-256 {ca.sidik_jari}, valid until {ca.berlaku_sampai:%Y-%m-%d}")
        self.stdout.write(f"key file {key} ({'present' if key.exists() else 'MISSING'}); active certificates {active}")
