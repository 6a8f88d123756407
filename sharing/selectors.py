"""Every read of sharing records; each takes ``user=`` and applies the access rules in SQL."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import Role, User

from .models import Grant


def grants_visible_to(*, user: User | AnonymousUser) -> QuerySet[Grant]:
    """Return the grants the user may see.

    A department sees the grants it holds (consumer) and the grants on its own resources
    (provider); the platform coordinator sees all. Nobody sees a grant on a resource above
    their clearance: the grant would reveal that the resource exists.
    """
    if not (user.is_authenticated and user.is_active):
        return Grant.objects.none()
    assert isinstance(user, User)
    if user.has_role(Role.COORDINATOR):
        parties = Q()
    elif user.department_id is not None:
        parties = Q(department_id=user.department_id) | Q(resource__provider_id=user.department_id)
    else:
        return Grant.objects.none()
    return Grant.objects.filter(parties, resource__level__lte=user.clearance)


def grant_get_visible(*, user: User | AnonymousUser, pk: int) -> Grant:
    """Return one grant the user may see, or raise ``Grant.DoesNotExist``."""
    return grants_visible_to(user=user).select_related("resource", "department").get(pk=pk)
