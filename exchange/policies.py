"""Who may do what in the live exchange: predicates and queryset filters.

The allowlist of outgoing networks is the coordinator's (and the superuser's, who holds every
permission of the admin site anyway).
"""

from __future__ import annotations

from accounts.models import Role, User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_manage_egress(user: User) -> bool:
    """Return whether the user keeps the networks the portal may call out to."""
    return _active(user) and (user.has_role(Role.COORDINATOR) or bool(user.is_superuser))
