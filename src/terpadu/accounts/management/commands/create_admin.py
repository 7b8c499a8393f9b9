"""`terpadu create_admin USERNAME [--nip NIP] [--email E]`: the first administrator of a new instance.

Loads the default roles, creates the user (linked to a pegawai when --nip is given) and assigns the
'admin-sistem' role for the whole pemda. The password is asked for interactively (or read from
TERPADU_ADMIN_PASSWORD for automated installs). The administrator must set up 2FA at first sign-in.
"""

from __future__ import annotations

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from terpadu.core.context import acting


class Command(BaseCommand):
    help = "Create an administrator (role admin-sistem) and load the default roles."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--nip", default="", help="NIP of the pegawai this account belongs to.")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        from terpadu.accounts import services
        from terpadu.accounts.models import Role
        from terpadu.organisasi.models import Pegawai

        password = os.environ.get("TERPADU_ADMIN_PASSWORD") or self._ask_password()
        pegawai = None
        if options["nip"]:
            pegawai = Pegawai.objects.filter(nip=options["nip"]).first()
            if pegawai is None:
                raise CommandError(f"No pegawai with NIP {options['nip']}; import the structure first.")
        try:
            with transaction.atomic(), acting(None, via="command"):
                services.load_default_roles()
                user = services.create_user(options["username"], password, pegawai=pegawai, email=options["email"])
                services.assign_role(user, Role.objects.get(code="admin-sistem"))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.username} created; set up 2FA at first sign-in."))

    def _ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return first
