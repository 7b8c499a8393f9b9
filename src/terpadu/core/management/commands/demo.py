"""`terpadu demo`: migrate, load the demo city once, print the accounts, serve with jobs in-process."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from terpadu.core.context import acting


class Command(BaseCommand):
    help = "Set up and serve the demo city (SQLite by default)."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Only migrate and load the data.")
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args, **options):
        if settings.PROFILE != "demo":
            raise CommandError("terpadu demo runs only with TERPADU_PROFILE=demo (make demo sets it).")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        from terpadu.organisasi.models import Pegawai

        accounts_file = settings.DATA_DIR / "demo-accounts.txt"
        if not Pegawai.objects.exists():
            self.stdout.write("Loading the demo city (Pemerintah Kota Sukamaju)…")
            accounts_file.write_text(self.load())
        from terpadu.core import audit

        audit.make_checkpoint()
        self.stdout.write(accounts_file.read_text() if accounts_file.exists() else "")
        if options["no_serve"]:
            return
        from terpadu.core import jobs

        jobs.start_background_scheduler()
        self.stdout.write(self.style.SUCCESS(f"Serving on http://{options['host']}:{options['port']}/"))
        call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)

    def load(self) -> str:
        from terpadu.demo.accounts import DEMO_PASSWORD, create_demo_accounts
        from terpadu.demo.city import build_city

        with acting(None, via="command"):
            built = build_city()
            accounts = create_demo_accounts()
        self.seed_modules()
        lines = [
            "",
            f"Demo city: {len(built.units)} units, {len(built.pegawai)} pegawai.",
            f"Demo accounts (password for all: {DEMO_PASSWORD}; sign in with the username or the NIP):",
        ]
        for a in accounts:
            lines.append(f"  {a.persona:<18} {a.username:<14} NIP {a.nip}  {a.description}")
            if a.totp_secret:
                lines.append(
                    f"  {'':<18} 2FA key {a.totp_secret}  (add it to an authenticator app, or run "
                    f"'make demo-otp USER={a.username}' for the current code)"
                )
        from terpadu.naskah.demo_keluar import DEMO_PASSPHRASE

        lines.append(f"Passphrase of the demo signing certificates (TTE, instance CA): {DEMO_PASSPHRASE}")
        return "\n".join(lines) + "\n"

    def seed_modules(self) -> None:
        """Each module's demo data, through its services, in dependency order."""
        from django.utils import timezone

        from terpadu.anggaran import demo_master as anggaran_master
        from terpadu.anggaran import demo_rka
        from terpadu.arsip import demo as arsip_demo
        from terpadu.kontrak import demo_kontrak
        from terpadu.monev import demo_evaluasi, demo_publik
        from terpadu.naskah import demo_keluar, demo_masuk, demo_tata
        from terpadu.perencanaan import demo_master as perencanaan_master
        from terpadu.perencanaan import demo_rencana
        from terpadu.realisasi import demo_realisasi
        from terpadu.spbe import demo_arsitektur, demo_belanja, demo_katalog, demo_usulan
        from terpadu.spbe import demo_evaluasi as spbe_evaluasi
        from terpadu.spbe import demo_publik as spbe_publik

        today = timezone.localdate()
        spbe = (demo_arsitektur, demo_katalog, demo_belanja, demo_usulan, spbe_evaluasi, spbe_publik)
        chain = (perencanaan_master, anggaran_master, demo_rencana, demo_rka, demo_kontrak, demo_realisasi)
        for module in (arsip_demo, demo_tata, demo_keluar, demo_masuk, *chain, demo_evaluasi, demo_publik, *spbe):
            with acting(None, via="command"):
                module.seed(today)
