"""The periodic sharing job: expire grants, send deadline, overdue and expiry notices."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sharing.services import sharing_sweep


class Command(BaseCommand):
    help = (
        "Expire grants past their end, and notify deadlines in 2 working days, overdue "
        "requests and corrections, and grants expiring within 7 days. Run it hourly."
    )

    def handle(self, *args, **options) -> None:
        for name, count in sharing_sweep().items():
            self.stdout.write(f"{name}: {count}")
