"""Mark grants past their end as expired and remove their guardian rows."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sharing.services import grants_expire


class Command(BaseCommand):
    help = "Expire grants past their end time and remove their data-access permissions."

    def handle(self, *args, **options) -> None:
        count = grants_expire()
        self.stdout.write(f"grants expired: {count}")
