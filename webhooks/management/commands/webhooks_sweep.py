"""Queue the webhook deliveries whose retry is due (run every minute, like the other sweeps)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from webhooks.services import deliveries_sweep


class Command(BaseCommand):
    help = "Queue the webhook deliveries whose retry is due."

    def handle(self, *args: Any, **options: Any) -> None:
        count = deliveries_sweep()
        self.stdout.write(f"{count} deliveries queued")
