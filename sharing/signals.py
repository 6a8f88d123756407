"""Signals of the sharing app, so that apps above it react without sharing importing them.

Each is sent once the transaction of the change has committed (``transaction.on_commit``), so a
receiver sees the change as stored and cannot roll it back:

- ``request_decided``, with ``request`` (approved, rejected, or settled by the coordinator);
- ``request_returned``, with ``request`` (the provider asked for changes);
- ``grant_created``, ``grant_revoked`` and ``grant_expiring`` (its end is near; the sweep sends
  it once per grant), with ``grant``;
- ``correction_answered``, with ``correction`` (accepted or rejected).

The webhooks app turns them into deliveries to the departments' subscriptions.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

request_decided = Signal()
request_returned = Signal()
grant_created = Signal()
grant_revoked = Signal()
grant_expiring = Signal()
correction_answered = Signal()


def send_on_commit(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Send the signal once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
