"""The negative list (负面清单): the published resources marked not shared, with their legal basis."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from ..models import Resource, ShareType
from . import resources_visible_to


def resources_not_shared(*, user: User) -> QuerySet[Resource]:
    """Return the published not-shared resources the user may see, by provider and code.

    The catalog's visibility rule decides which entries appear (``resources_visible_to``), so
    the list never names a resource the user may not know exists.
    """
    return (
        resources_visible_to(user=user)
        .filter(status=Resource.Status.PUBLISHED, share_type=ShareType.NONE)
        .select_related("provider", "category")
        .order_by("provider__name", "code", "id")
    )
