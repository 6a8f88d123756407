"""Reads of departments and API tokens; each takes ``user=``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from .models import ApiToken, Department, Role, User


def _active(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def departments_visible_to(*, user: User | AnonymousUser) -> QuerySet[Department]:
    """Return the departments a signed-in user may list: the city's directory of active ones."""
    if not _active(user):
        return Department.objects.none()
    return Department.objects.filter(is_active=True)


def tokens_visible_to(*, user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """Return the API tokens a department administrator manages: those of their department."""
    if not _active(user):
        return ApiToken.objects.none()
    assert isinstance(user, User)
    if user.department_id is None or not user.has_role(Role.DEPARTMENT_ADMIN):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user__department_id=user.department_id).select_related(
        "user", "created_by", "revoked_by"
    )


def token_holders_for(*, user: User | AnonymousUser) -> QuerySet[User]:
    """Return the accounts a department administrator may issue tokens to."""
    if not _active(user):
        return User.objects.none()
    assert isinstance(user, User)
    if user.department_id is None or not user.has_role(Role.DEPARTMENT_ADMIN):
        return User.objects.none()
    return User.objects.filter(department_id=user.department_id, is_active=True).order_by(
        "username"
    )
