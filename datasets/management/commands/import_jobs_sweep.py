"""The periodic import-job tidy-up: fail jobs whose worker died, discard jobs never started.

It covers both background imports: data files (datasets) and the catalog's Excel workbooks
(catalog, below datasets in the layers, so this command may call it).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from catalog.services.import_jobs import catalog_import_jobs_sweep
from datasets.services import import_jobs_sweep


class Command(BaseCommand):
    help = (
        "Fail data and catalog import jobs whose task worker stopped renewing their lease "
        "(PORTAL_IMPORT_LEASE_SECONDS), removing their files and telling the uploader; delete "
        "queued data jobs no worker started within PORTAL_IMPORT_STALE_HOURS, and remove the "
        "workbooks of catalog uploads not confirmed within PORTAL_UNCONFIRMED_UPLOAD_HOURS. Run "
        "it every 15 minutes."
    )

    def handle(self, *args, **options) -> None:
        counts = {**import_jobs_sweep(), **catalog_import_jobs_sweep()}
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
