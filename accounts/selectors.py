"""Reads for the account administration pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from .models import Department, RoleAssignment, User
from .policies import can_list_accounts, can_manage_accounts


def users_for_administration(
    *, user: Any, query: str = "", department_id: int | None = None
) -> QuerySet[User]:
    """Return the accounts an administrator works on, with department and roles loaded."""
    if not can_list_accounts(user):
        raise PermissionDenied(
            _("Only the system administrator and the security administrator manage accounts.")
        )
    users = User.objects.select_related("department").prefetch_related(
        # Prefetch: one query for every listed user's roles instead of one per row.
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
    )
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query)
        )
    if department_id:
        users = users.filter(department_id=department_id)
    return users.order_by("department__name", "username")


def user_for_administration(*, user: Any, pk: int) -> User:
    """Return one account for an administrator, or raise User.DoesNotExist."""
    return users_for_administration(user=user).get(pk=pk)


def departments_for_administration(*, user: Any) -> QuerySet[Department]:
    """Return every department, for the system administrator (and the account filters)."""
    if not can_list_accounts(user):
        raise PermissionDenied(_("Only the system administrator manages departments."))
    return Department.objects.select_related("parent").order_by("region_code", "name")


def department_for_administration(*, user: Any, pk: int) -> Department:
    """Return one department for the system administrator."""
    if not can_manage_accounts(user):
        raise PermissionDenied(_("Only the system administrator manages departments."))
    return Department.objects.get(pk=pk)
