"""System check: Django's superuser is for break-glass use only (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.security, Tags.database)
def superusers_not_in_normal_use(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[Warning]:
    """Warn when active superuser accounts exist: they bypass role separation (三员分立)."""
    if not databases:
        return []
    from .models import User

    try:
        names = list(
            User.objects.filter(is_superuser=True, is_active=True).values_list(
                "username", flat=True
            )[:5]
        )
    except DatabaseError:  # before the first migration
        return []
    if not names:
        return []
    return [
        Warning(
            f"Active superuser accounts exist ({', '.join(names)}). A superuser bypasses the "
            "separation of the system, security and audit administrators.",
            hint="Deactivate them after installation; see docs/security.md (break-glass use).",
            id="accounts.W001",
        )
    ]
