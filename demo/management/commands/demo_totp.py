"""Print the current two-factor code of a demo account (the demo's secret is published)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.management.commands.load_demo import DEMO_TOTP_SECRET_HEX


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account loaded by load_demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        device = TOTPDevice.objects.filter(
            user__username=options["username"], confirmed=True, key=DEMO_TOTP_SECRET_HEX
        ).first()
        if device is None:
            # Only the demo's published secret is ever printed: a real account's codes stay secret.
            raise CommandError(f"{options['username']} has no demo authenticator.")
        from django_otp.oath import totp

        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
