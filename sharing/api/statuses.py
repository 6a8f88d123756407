"""Public names of share request states, stable in v1."""

from __future__ import annotations

from sharing.models import Notification, RequestStatus

# The one place where the workflow's internal states become the v1 names. Two internal states
# fold into a wider public one; ``stage`` keeps the internal state for those who need it.
STATUS_NAMES: dict[str, str] = {
    RequestStatus.SIGNOFF: "draft",  # still inside the requesting department (sign-off)
    RequestStatus.SUBMITTED: "submitted",
    RequestStatus.CHANGES_REQUESTED: "changes_requested",
    RequestStatus.APPROVED: "approved",
    RequestStatus.REJECTED: "rejected",
    RequestStatus.NEGOTIATION: "escalated",
    RequestStatus.REFUSED: "rejected",  # refused after coordination: final
    RequestStatus.WITHDRAWN: "withdrawn",
}
PUBLIC_STATUSES = list(dict.fromkeys(STATUS_NAMES.values()))


def internal_statuses(name: str) -> list[str]:
    """Return the workflow states that a public status name stands for."""
    return [internal for internal, public in STATUS_NAMES.items() if public == name]


# Named for the schema's enum overrides (a nested class cannot be named by an import path).
NOTIFICATION_KINDS = Notification.Kind
