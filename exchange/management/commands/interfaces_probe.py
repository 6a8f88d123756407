"""Probe every published interface once: run it every few minutes (cron or a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from exchange.services.availability import interfaces_probe


class Command(BaseCommand):
    help = "Probe every published interface once and record whether it answers."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = interfaces_probe()
        self.stdout.write(f"up {counts['up']}, down {counts['down']}")
