"""The one entry point that writes the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models

from accounts.models import User

from .context import current
from .models import AuditEvent


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    result: str = AuditEvent.Result.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail.

    Call it inside the service's transaction, so an action and its record commit together.
    """
    context = current()
    actor = actor if actor is not None and actor.is_authenticated else None
    event_details = dict(details or {})
    event_details.setdefault("channel", context.channel)
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.username if actor else "",
        department_id=actor.department_id if actor else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        result=result,
        client_address=context.client_address,
        details=event_details,
    )
