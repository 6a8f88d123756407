"""Walk the audit trail's hash chain and name the first event that was tampered with.

With anchors configured (``PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS`` and ``PORTAL_AUDIT_ANCHOR_FILE``,
or ``--anchors FILE``) it also checks every signed anchor against the chain (audit/anchors.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from audit.anchors import AnchorReport, anchors_verify, configured_public_keys
from audit.verify import chain_verify


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain, and its signed anchors when configured; exit "
        "non-zero at the first broken link or any anchor problem."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--anchors",
            metavar="FILE",
            help="check the anchors of FILE (default: PORTAL_AUDIT_ANCHOR_FILE when the public "
            "keys are configured)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        # The command speaks English throughout, problems included (the page speaks the reader's).
        with translation.override("en"):
            report = chain_verify()
            if not report.ok:
                problems.append(
                    f"Audit trail broken after {report.checked} good events: {report.problem}"
                )
            anchors = self._anchors(options.get("anchors"))
        if anchors is not None:
            problems += [f"Anchor check: {problem}" for problem in anchors.problems]
        if problems:
            raise CommandError("\n".join(problems))
        # The head hash is worth copying off the machine (log shipping): it anchors the chain,
        # so even a rewrite of the whole tail can be shown.
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {report.checked} events, head #{report.head_sequence} "
                f"{report.head_hash or '(empty)'}"
            )
        )
        if anchors is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Anchors intact: {anchors.checked} signed anchors checked"
                    + (f", {anchors.purged} of purged events" if anchors.purged else "")
                    + (
                        f", the last at #{anchors.last_sequence}"
                        if anchors.last_sequence is not None
                        else ""
                    )
                )
            )

    def _anchors(self, path: str | None) -> AnchorReport | None:
        path = path or getattr(settings, "PORTAL_AUDIT_ANCHOR_FILE", "")
        try:
            keys = configured_public_keys()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if not path and not keys:
            return None
        if not path or not keys:
            missing = "PORTAL_AUDIT_ANCHOR_FILE" if not path else "PORTAL_AUDIT_ANCHOR_PUBLIC_KEYS"
            raise CommandError(f"Anchors are half configured: {missing} is not set.")
        return anchors_verify(path, keys)
