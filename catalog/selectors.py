"""Every read of the catalog that a page, the API, an export or search uses.

Each selector takes ``user=`` and applies the access policy in SQL.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from . import policies
from .models import DataItem, Resource


def resources_visible_to(*, user: User) -> QuerySet[Resource]:
    """Return the resources whose existence the user may see."""
    return Resource.objects.filter(policies.resources_visible_q(user))


def resources_readable_by(*, user: User) -> QuerySet[Resource]:
    """Return the resources whose data the user may read."""
    return Resource.objects.filter(policies.resources_readable_q(user))


def resources_changeable_by(*, user: User) -> QuerySet[Resource]:
    """Return the resources the user may edit."""
    return Resource.objects.filter(policies.resources_stewarded_q(user, policies.CHANGE))


def resources_decidable_by(*, user: User) -> QuerySet[Resource]:
    """Return the resources whose share requests the user may decide."""
    return Resource.objects.filter(policies.resources_stewarded_q(user, policies.DECIDE))


def resource_get_visible(*, user: User, pk: int) -> Resource:
    """Return one resource the user may see, or raise ``Resource.DoesNotExist``.

    Callers turn the exception into a 404: what a user may not see does not exist for them.
    """
    return resources_visible_to(user=user).select_related("provider", "category").get(pk=pk)


def resource_items_readable(*, user: User, resource: Resource) -> list[DataItem]:
    """Return the data items of the resource the user may read."""
    return policies.readable_items(user, resource)
