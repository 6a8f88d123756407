"""Who may use the account administration pages (三员分立)."""

from __future__ import annotations

from typing import Any

from .models import Role


def can_manage_accounts(user: Any) -> bool:
    """System administrator: departments and accounts (create, deactivate), nothing else."""
    return bool(user.is_authenticated and user.has_role(Role.SYSTEM_ADMIN))


def can_grant_access(user: Any) -> bool:
    """Security administrator: roles, clearances and second factors."""
    return bool(user.is_authenticated and user.has_role(Role.SECURITY_ADMIN))


def can_list_accounts(user: Any) -> bool:
    """Either of the two: both need to find the account they act on."""
    return can_manage_accounts(user) or can_grant_access(user)
