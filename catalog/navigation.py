"""The catalog maintenance pages' entries in the main navigation (see portal.context_processors).

Kept in the catalog app so their labels are translated in the catalog's own message catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


def _role(*roles: str) -> Callable[[Any], bool]:
    return lambda user: user.has_role(*roles)


# (label, URL name, icon, who sees the link); the pages check access themselves.
MAINTENANCE_NAVIGATION: list[tuple[str | Promise, str, str, Callable[[Any], bool]]] = [
    (_("My resources"), "catalog:resource_mine", "pencil-square", _role(Role.EDITOR)),
    (
        _("Review queue"),
        "catalog:resource_review_queue",
        "clipboard-check",
        _role(Role.COORDINATOR),
    ),
    (_("Systems"), "catalog:system_list", "hdd-network", lambda user: True),
]
