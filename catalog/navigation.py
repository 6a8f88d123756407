"""The catalog maintenance pages' entries in the main navigation (see portal.context_processors).

Kept in the catalog app so their labels are translated in the catalog's own message catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .policies import can_review_resources, is_catalog_editor


def _anyone(user: Any) -> bool:
    return True


# (label, URL name, icon, who sees the link); the pages check access themselves.
MAINTENANCE_NAVIGATION: list[tuple[str | Promise, str, str, Callable[[Any], bool]]] = [
    (_("My resources"), "catalog:resource_mine", "pencil-square", is_catalog_editor),
    (
        _("Review queue"),
        "catalog:resource_review_queue",
        "clipboard-check",
        can_review_resources,
    ),
    (_("Systems"), "catalog:system_list", "hdd-network", _anyone),
]
