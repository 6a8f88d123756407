"""Every read of the catalog that a page, the API, an export or search uses.

Each selector takes ``user=`` and applies the access policy in SQL.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from . import policies
from .models import Category, DataItem, InformationSystem, Resource


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


def data_items_visible_to(*, user: User) -> QuerySet[DataItem]:
    """Return the data items whose definitions the user may see: those within their clearance.

    Callers combine it with a visible resource; a visible resource's items are all within the
    clearance already (a resource's level is at least its items'), so this is the second lock.
    """
    if not (user.is_authenticated and user.is_active):
        return DataItem.objects.none()
    return DataItem.objects.filter(level__lte=user.clearance)


def categories_visible_to(*, user: User) -> QuerySet[Category]:
    """Return the category tree: the national classification is public to every signed-in user."""
    if not (user.is_authenticated and user.is_active):
        return Category.objects.none()
    return Category.objects.all()


def systems_visible_to(*, user: User) -> QuerySet[InformationSystem]:
    """Return the registered information systems in service."""
    if not (user.is_authenticated and user.is_active):
        return InformationSystem.objects.none()
    return InformationSystem.objects.filter(status=InformationSystem.Status.ACTIVE)
