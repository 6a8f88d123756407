"""The one way a service asks a policy: ``require(actor, predicate, *objects)``.

Services take ``actor=None`` for the system itself (data migrations, the demo loader, the
periodic sweep, commands run by an operator on the server); the system may do anything a service
does, so ``require`` lets it through. Every other actor must satisfy the predicate, which lives in
its app's ``policies`` module; otherwise ``PermissionDenied`` is raised with the message (in the
user's language), and the service has changed nothing yet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(
    actor: Any, predicate: Callable[..., bool], *objects: Any, message: str | None = None
) -> None:
    """Raise ``PermissionDenied`` unless the actor is the system or the predicate allows it."""
    if actor is None:
        return
    if not predicate(actor, *objects):
        raise PermissionDenied(message or _("You are not allowed to do this."))
