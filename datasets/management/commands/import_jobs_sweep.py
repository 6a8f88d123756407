"""The periodic import-job tidy-up: fail jobs whose worker died, discard jobs never started."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from datasets.services import import_jobs_sweep


class Command(BaseCommand):
    help = (
        "Fail import jobs whose task worker stopped renewing their lease "
        "(PORTAL_IMPORT_LEASE_SECONDS), removing their files and telling the uploader, and delete "
        "queued jobs no worker started within PORTAL_IMPORT_STALE_HOURS. Run it every 15 minutes."
    )

    def handle(self, *args, **options) -> None:
        for name, count in import_jobs_sweep().items():
            self.stdout.write(f"{name}: {count}")
