"""Reads of accounts, departments and API tokens; each takes ``user=``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from audit.models import AuditEvent

from .models import ApiToken, Department, RoleAssignment, User
from .policies import (
    administered_accounts_q,
    can_list_accounts,
    can_manage_accounts,
    can_use_token_page,
    can_view_sign_in_history,
    is_department_admin,
    token_holders_q,
    tokens_visible_q,
)

# The audit actions sign-in writes (audit.signals).
SIGN_IN_ACTIONS = ("login.success", "login.failure")
SIGN_IN_HISTORY_LENGTH = 20


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
    # Grouped by department (in the order departments were registered), then by username:
    # the index user_department_order serves it, so a page reads its rows. Sorting by the
    # department's name sorted every account of the city on each request.
    return users.order_by("department_id", "username")


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


def _active(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def departments_visible_to(*, user: User | AnonymousUser) -> QuerySet[Department]:
    """Return the departments a signed-in user may list: the city's directory of active ones."""
    if not _active(user):
        return Department.objects.none()
    return Department.objects.filter(is_active=True)


def tokens_visible_to(*, user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """Return the API tokens on the user's token page: their own (revoked ones too, with the
    reason) and, for a department administrator, the department's."""
    if not _active(user) or not can_use_token_page(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(tokens_visible_q(user)).select_related(
        "user", "created_by", "revoked_by"
    )


def token_holders_for(*, user: User | AnonymousUser) -> QuerySet[User]:
    """Return the accounts the user may create tokens for: themself, and for a department
    administrator the department's active service accounts."""
    if not _active(user) or not can_use_token_page(user):
        return User.objects.none()
    return User.objects.filter(token_holders_q(user), is_active=True).order_by("username")


def department_members_for(*, user: User | AnonymousUser, query: str = "") -> QuerySet[User]:
    """Return the accounts of a department administrator's own department, roles loaded."""
    if not _active(user) or not is_department_admin(user):
        raise PermissionDenied(
            _("Only a department administrator manages their department's accounts.")
        )
    members = User.objects.filter(administered_accounts_q(user)).prefetch_related(
        # Prefetch: one query for every listed account's roles instead of one per row.
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
    )
    if query:
        members = members.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return members.order_by("username")


def department_member_get(*, user: User | AnonymousUser, pk: int) -> User:
    """Return one account of the administrator's department, or raise User.DoesNotExist."""
    return department_members_for(user=user).get(pk=pk)


def sign_in_history_for(
    *, user: User | AnonymousUser, limit: int = SIGN_IN_HISTORY_LENGTH
) -> list[AuditEvent]:
    """Return the user's own latest sign-ins, successful and failed, newest first.

    Every sign-in event names the account: a success by its actor's username, a failure (which
    has no actor) by the username tried. Usernames are unique, and events from before the
    account was created are left out, so these are the account's own; the filter follows the
    trail's (actor_username, created_at) index.
    """
    if not _active(user) or not can_view_sign_in_history(user, user):
        return []
    assert isinstance(user, User)
    return list(
        AuditEvent.objects.filter(
            actor_username=user.username,
            created_at__gte=user.date_joined,
            action__in=SIGN_IN_ACTIONS,
        )
        .only("created_at", "client_address", "result", "action")
        .order_by("-created_at", "-sequence")[:limit]
    )
