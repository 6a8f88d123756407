"""The audit trail of the outgoing-network allowlist, kept by the coordinator in the admin site.

The admin saves the row inside its own transaction and calls these services in it, so a change
and its audit event commit together (as code lists do, catalog/services/code_lists.py).
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from audit.services import record

from ..models import EgressNetwork


def egress_network_changed(
    *, actor: User | None, network: EgressNetwork, created: bool, changes: list[Any]
) -> None:
    """Record that an allowed network was added or changed, with what the form changed."""
    record(
        actor=actor,
        action="egress.create" if created else "egress.update",
        obj=network,
        details={"cidr": network.cidr, "note": network.note, "changes": changes},
    )


def egress_network_deleted(*, actor: User | None, network: EgressNetwork) -> None:
    """Record that an allowed network was removed: the portal no longer calls into it."""
    record(
        actor=actor,
        action="egress.delete",
        obj=network,
        details={"cidr": network.cidr, "note": network.note},
    )
