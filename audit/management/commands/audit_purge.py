"""Remove audit events older than PORTAL_AUDIT_RETENTION_DAYS, leaving a checkpoint."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from audit.services import PurgeRefused, audit_purge


class Command(BaseCommand):
    help = "Purge audit events past the retention period (at least 180 days)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # The command speaks English throughout, the chain's problem included.
            with translation.override("en"):
                checkpoint = audit_purge()
        except (ImproperlyConfigured, PurgeRefused) as exc:
            raise CommandError(f"Purge refused: {exc}") from exc
        if checkpoint is None:
            self.stdout.write("Nothing to purge.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Purged {checkpoint.purged_count} events through #{checkpoint.sequence}; "
                f"checkpoint hash {checkpoint.hash}"
            )
        )
