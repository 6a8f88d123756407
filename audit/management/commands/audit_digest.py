"""Check a claim against an audit event's digest of parameters or filters.

Events record what a caller searched for or sent only as ``parameters_digest(values)``, keyed
by ``SECRET_KEY``. Given the values someone says were used (as JSON), this prints their digest
under the current key and under each ``SECRET_KEY_FALLBACKS`` key, to compare with the event's
``digest`` or ``filters_digest``.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEvent
from audit.services import parameters_digest

DIGEST_FIELDS = ("digest", "filters_digest")


class Command(BaseCommand):
    help = (
        "Print the keyed digest of the given parameters or filters (a JSON object), under the "
        "current key and each fallback key; with --event, say whether that event recorded them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("values", help='the values as a JSON object, e.g. {"身份证号": "…"}')
        parser.add_argument("--event", type=int, metavar="SEQUENCE", help="the event to check")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            values = json.loads(options["values"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"The values are not JSON: {exc}") from None
        if not isinstance(values, dict):
            raise CommandError("The values must be a JSON object of names and values.")
        keys = [("current key", None)] + [
            (f"fallback key {n}", key)
            for n, key in enumerate(getattr(settings, "SECRET_KEY_FALLBACKS", []), start=1)
        ]
        digests = [(label, parameters_digest(values, secret=key)) for label, key in keys]
        for label, digest in digests:
            self.stdout.write(f"{digest}  ({label})")
        if options["event"] is None:
            return
        event = AuditEvent.objects.filter(sequence=options["event"]).first()
        if event is None:
            raise CommandError(f"No audit event {options['event']}.")
        recorded = {event.details.get(name) for name in DIGEST_FIELDS} - {None, ""}
        if not recorded:
            raise CommandError(f"Event {event.sequence} ({event.action}) records no digest.")
        matched = [label for label, digest in digests if digest in recorded]
        if not matched:
            raise CommandError(f"Event {event.sequence} did not record these values.")
        self.stdout.write(f"Event {event.sequence} ({event.action}) recorded these values.")
