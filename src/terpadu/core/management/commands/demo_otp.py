"""`terpadu demo_otp USER`: print the current TOTP code of a demo account (demo profile only)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp


class Command(BaseCommand):
    help = "Print the current 2FA code of a demo account."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        if settings.PROFILE != "demo":
            raise CommandError("Only in the demo profile.")
        from terpadu.accounts.models import User
        from terpadu.accounts.services import totp_device

        user = User.objects.filter(username=options["username"]).first()
        device = totp_device(user) if user else None
        if device is None:
            raise CommandError(f"{options['username']} has no 2FA device.")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}  (valid for {device.step - int(time.time()) % device.step} s)")
