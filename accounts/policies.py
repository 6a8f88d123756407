"""Who may administer departments, accounts, roles, clearances, second factors and API tokens.

三员分立 (separation of the three administrators):

- the system administrator creates and deactivates departments and accounts, nothing else;
- the security administrator grants roles and clearances and resets second factors;
- a department administrator looks after their own department: its staff accounts (create with
  clearance L1, deactivate, reactivate, reset the password, the department roles staff / editor /
  approver) and the API tokens of its accounts.

Every account holder changes their own password; the security administrator (anybody) and a
department administrator (the accounts they manage) reset someone else's.

Nobody acts on their own account's status, roles or clearance. Services ask these predicates
through ``kernel.policies.require`` (which lets the system actor ``None`` through); views and
templates read flags computed from them; selectors filter with the ``*_q`` forms.

The predicates take a ``User`` (or ``AnonymousUser``) and do not look at ``is_active``: an
inactive account cannot sign in, and the selectors refuse inactive users before they ask.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q

from .models import ADMIN_ROLES, Department, Level, Role

# Roles a department administrator may hand out inside their own department.
DEPARTMENT_ROLES = frozenset({Role.STAFF, Role.EDITOR, Role.APPROVER})

NOTHING = Q(pk__in=[])


# --- the three administrators ---------------------------------------------------------------


def can_manage_accounts(user: Any) -> bool:
    """System administrator: departments and accounts (create, deactivate), nothing else."""
    return bool(user.is_authenticated and user.has_role(Role.SYSTEM_ADMIN))


def can_grant_access(user: Any) -> bool:
    """Security administrator: roles, clearances and second factors."""
    return bool(user.is_authenticated and user.has_role(Role.SECURITY_ADMIN))


def can_list_accounts(user: Any) -> bool:
    """Either of the two: both need to find the account they act on."""
    return can_manage_accounts(user) or can_grant_access(user)


def can_manage_departments(user: Any) -> bool:
    """Create, deactivate and reactivate departments: the system administrator."""
    return can_manage_accounts(user)


# --- department administrators --------------------------------------------------------------


def administers_department(user: Any, department_id: int | None) -> bool:
    """Return whether the user is the department administrator of this department (their own).

    A department administrator without a department administers nothing.
    """
    return bool(
        user.is_authenticated
        and user.department_id is not None
        and user.department_id == department_id
        and user.has_role(Role.DEPARTMENT_ADMIN)
    )


def is_department_admin(user: Any) -> bool:
    """Return whether the user administers a department (necessarily their own)."""
    return bool(user.is_authenticated and administers_department(user, user.department_id))


def can_manage_department_member(actor: Any, member: Any) -> bool:
    """Return whether the actor looks after ``member`` as their department administrator.

    Only accounts of the actor's own department that hold nothing beyond the department roles:
    an account with another role (a department administrator, the coordinator, one of the three
    administrators) is managed by the system and security administrators.
    """
    return bool(
        administers_department(actor, member.department_id)
        and set(member.roles) <= DEPARTMENT_ROLES
    )


def administered_accounts_q(user: Any) -> Q:
    """Return the filter of accounts (``User``) in the department the user administers."""
    if not is_department_admin(user):
        return NOTHING
    return Q(department_id=user.department_id)


# --- accounts ---------------------------------------------------------------------------------


def can_create_account(actor: Any, department: Department | None) -> bool:
    """Create an account in a department.

    The system administrator in any department (or none); a department administrator in their
    own department.
    """
    if can_manage_accounts(actor):
        return True
    return department is not None and administers_department(actor, department.pk)


def can_create_with_clearance(actor: Any, clearance: int) -> bool:
    """Give a new account a clearance: L1 for whoever may create it, above only the security
    administrator."""
    return clearance == Level.L1 or can_grant_access(actor)


def clearance_allowed(department: Department | None, clearance: int) -> bool:
    """Return whether a member of the department may hold the clearance.

    Nobody holds a clearance above their department's highest; an account without a department
    is bound only by the range L1 to L4 (which the service validates first).
    """
    return department is None or clearance <= department.clearance


def acts_on_another(actor: Any, user: Any) -> bool:
    """Return whether the actor acts on someone else's account.

    Nobody changes their own account's status, roles, clearance or second factors.
    """
    return bool(actor.pk != user.pk)


def can_set_active(actor: Any, user: Any) -> bool:
    """Deactivate or reactivate an account (never one's own: ``acts_on_another``).

    The system administrator for anybody; a department administrator for the accounts they
    manage (``can_manage_department_member``).
    """
    return can_manage_accounts(actor) or can_manage_department_member(actor, user)


def can_assign_role(actor: Any, user: Any, role: str) -> bool:
    """Grant or revoke a role (never on one's own account: ``acts_on_another``).

    The security administrator any role; the system administrator the staff role, the baseline
    every account has, on any account (whoever may create the account may give it); a department
    administrator the department roles, staff included, on the accounts of their own department
    only (``within_department_reach``).
    """
    if can_grant_access(actor):
        return True
    if role == Role.STAFF and can_manage_accounts(actor):
        return True
    return role in DEPARTMENT_ROLES and administers_department(actor, user.department_id)


def within_department_reach(actor: Any, user: Any) -> bool:
    """Return False when a department administrator acts on an account outside their department.

    A department administrator who holds neither the system nor the security administrator role
    looks after their own department's accounts and no other (an administrator without a
    department after none); everybody else passes here and meets the rule of the action itself.
    Services ask this first so that the refusal says why.
    """
    if not (actor.is_authenticated and actor.has_role(Role.DEPARTMENT_ADMIN)):
        return True
    if can_grant_access(actor) or can_manage_accounts(actor):
        return True
    return administers_department(actor, user.department_id)


def can_change_clearance(actor: Any, user: Any) -> bool:
    """Change an account's clearance: the security administrator (never their own)."""
    return can_grant_access(actor)


def can_reset_second_factor(actor: Any, user: Any) -> bool:
    """Remove an account's second factors after a lost phone: the security administrator."""
    return can_grant_access(actor)


def is_account_holder(actor: Any, user: Any) -> bool:
    """Enrol an authenticator or create recovery codes: the account holder alone."""
    return bool(actor.pk == user.pk)


# --- passwords --------------------------------------------------------------------------------

# Roles whose holders confirm a password change with a fresh code from their authenticator: a
# stolen session alone must not let anybody take over an account that can approve or administer.
PASSWORD_SECOND_FACTOR_ROLES = (
    frozenset({Role.APPROVER, Role.COORDINATOR, Role.DEPARTMENT_ADMIN}) | ADMIN_ROLES
)


def can_change_password(actor: Any, user: Any) -> bool:
    """Change a password knowing the old one: the account holder alone."""
    return bool(actor.is_authenticated and is_account_holder(actor, user))


def password_change_needs_second_factor(user: Any) -> bool:
    """Return whether a password change asks for a fresh authenticator code as well."""
    return bool(user.has_role(*PASSWORD_SECOND_FACTOR_ROLES))


def can_reset_password(actor: Any, user: Any) -> bool:
    """Set a temporary password for someone else, who must change it at the next sign-in.

    The security administrator for anybody but themselves; a department administrator for the
    accounts they manage (``can_manage_department_member``): never one holding a role beyond the
    department roles, so resetting cannot be a way into a more powerful account.
    """
    if not acts_on_another(actor, user):
        return False
    return can_grant_access(actor) or can_manage_department_member(actor, user)


def can_view_sign_in_history(actor: Any, user: Any) -> bool:
    """Read an account's sign-in history on the account page: the holder alone."""
    return bool(actor.is_authenticated and is_account_holder(actor, user))


# --- two factors ------------------------------------------------------------------------------


def holds_two_factor_role(user: Any) -> bool:
    """Return whether the user holds a role that signs in with two factors (PORTAL_TWO_FACTOR_ROLES)."""
    return bool(user.has_role(*settings.PORTAL_TWO_FACTOR_ROLES))


def requires_two_factor(user: Any) -> bool:
    """Return whether the user's roles require TOTP before any page, with the gate switched on."""
    if not getattr(settings, "PORTAL_TWO_FACTOR_REQUIRED", True):
        return False
    return holds_two_factor_role(user)


# --- API tokens -----------------------------------------------------------------------------


def can_manage_api_tokens(user: Any) -> bool:
    """Use the API token pages: a department administrator (of their own department)."""
    return is_department_admin(user)


def can_manage_tokens_of(actor: Any, holder: Any) -> bool:
    """Issue a token to ``holder``, or revoke one of theirs: the holder's department administrator."""
    return administers_department(actor, holder.department_id)


def tokens_managed_q(user: Any) -> Q:
    """Return the filter of API tokens (``ApiToken``) the user may revoke."""
    if not is_department_admin(user):
        return NOTHING
    return Q(user__department_id=user.department_id)
