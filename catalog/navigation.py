"""The catalog's entries in the main navigation (see portal.context_processors).

Kept in the catalog app so their labels are translated in the catalog's own message catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .policies import can_manage_synonyms, can_review_resources, is_catalog_editor
from .selectors import resources_returned_count, resources_review_count


def _anyone(user: Any) -> bool:
    return True


def _returned(user: Any, *, limit: int | None = None) -> int:
    return resources_returned_count(user=user, limit=limit)


def _to_review(user: Any, *, limit: int | None = None) -> int:
    return resources_review_count(user=user, limit=limit)


# (label, URL name, icon, who sees the link); the pages check access themselves.
BROWSE_NAVIGATION: list[tuple[str | Promise, str, str, Callable[[Any], bool]]] = [
    (_("Systems"), "catalog:system_list", "hdd-network", _anyone),
    (_("Negative list"), "catalog:negative_list", "slash-circle", _anyone),
]

# Catalog maintenance: the editor's resources and the coordinator's review queue.
MAINTENANCE_NAVIGATION: list[tuple[str | Promise, str, str, Callable[[Any], bool]]] = [
    (_("My resources"), "catalog:resource_mine", "pencil-square", is_catalog_editor),
    (
        _("Review queue"),
        "catalog:resource_review_queue",
        "clipboard-check",
        can_review_resources,
    ),
    (_("Synonyms"), "catalog:synonym_list", "journal-text", can_manage_synonyms),
]

# URL name -> the work waiting there (a badge): drafts sent back by review, resources to review.
MAINTENANCE_COUNTERS: dict[str, Callable[..., int]] = {
    "catalog:resource_mine": _returned,
    "catalog:resource_review_queue": _to_review,
}
