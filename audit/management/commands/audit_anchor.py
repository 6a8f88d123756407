"""Sign the audit chain's head and append the anchor to the append-only sink (hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.anchors import AnchorRefused, audit_anchor


class Command(BaseCommand):
    help = (
        "Sign the audit chain's head with the key at PORTAL_AUDIT_ANCHOR_KEY and append the "
        "anchor to PORTAL_AUDIT_ANCHOR_FILE. Run hourly, as an OS user the web process is not."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            statement = audit_anchor()
        except AnchorRefused as exc:
            raise CommandError(f"Anchor refused: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Anchored #{statement['sequence']} {statement['hash'] or '(empty)'} "
                f"({statement['count']} events) with key {statement['key']}"
            )
        )
