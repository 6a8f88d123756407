"""Who may administer departments, accounts, roles, clearances, second factors and API tokens.

Who may create which API token: ``token_creation_refusal`` (docs/security.md has the table).

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

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ADMIN_ROLES, Department, Level, Role, User

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


# --- service accounts -----------------------------------------------------------------------


def second_factor_roles() -> frozenset[str]:
    """Return the roles whose holders prove a second factor somewhere: on every page
    (``PORTAL_TWO_FACTOR_ROLES``) or to change their password (``PASSWORD_SECOND_FACTOR_ROLES``).

    They are the privileged roles: approver, coordinator, department administrator and the three
    administrators, by default.
    """
    return PASSWORD_SECOND_FACTOR_ROLES | frozenset(settings.PORTAL_TWO_FACTOR_ROLES)


def holds_second_factor_role(user: Any) -> bool:
    """Return whether the user holds a privileged role (``second_factor_roles``)."""
    return bool(user.has_role(*second_factor_roles()))


def becomes_second_factor_holder(held: set[str], role: str) -> bool:
    """Return whether gaining ``role`` makes an account holding ``held`` privileged: its
    tokens until then were created without the second factor the role needs."""
    privileged = second_factor_roles()
    return role in privileged and not (held & privileged)


def is_service_account(user: Any) -> bool:
    """Return whether the account is a service account: an information system, not a person."""
    return getattr(user, "kind", User.Kind.PERSON) == User.Kind.SERVICE


def may_sign_in_on_web(user: Any) -> bool:
    """Sign in on the portal's pages: every person; a service account never (it has API tokens)."""
    return not is_service_account(user)


def may_hold_role(user: Any, role: str) -> bool:
    """Hold a role: a service account none of the privileged roles.

    Nobody can pass a second factor for a system, so a service account stays below every role
    that needs one; its tokens can then be issued by its department administrator.
    """
    return not (is_service_account(user) and role in second_factor_roles())


# --- API tokens -----------------------------------------------------------------------------


def can_manage_api_tokens(user: Any) -> bool:
    """Look after the department's tokens (revoke any, issue for its service accounts): a
    department administrator (of their own department)."""
    return is_department_admin(user)


def can_use_token_page(user: Any) -> bool:
    """Open the API token page: every person signed in (their own tokens, and a department
    administrator's department's); a service account never signs in."""
    return bool(user.is_authenticated and may_sign_in_on_web(user))


def can_manage_tokens_of(actor: Any, holder: Any) -> bool:
    """Issue a token to a service account, or revoke any token of ``holder``: the holder's
    department administrator."""
    return administers_department(actor, holder.department_id)


def can_revoke_token_of(actor: Any, holder: Any) -> bool:
    """Revoke a token: its holder, or the holder's department administrator."""
    return is_account_holder(actor, holder) or can_manage_tokens_of(actor, holder)


def second_factor_is_fresh(verified_at: datetime | None, now: datetime | None = None) -> bool:
    """Return whether a second factor verified at ``verified_at`` is recent enough to create a
    token (``PORTAL_TOKEN_FRESH_2FA_SECONDS``, ten minutes)."""
    if verified_at is None:
        return False
    age = ((now or timezone.now()) - verified_at).total_seconds()
    return -60 <= age <= int(settings.PORTAL_TOKEN_FRESH_2FA_SECONDS)


def token_creation_refusal(
    actor: Any, holder: Any, *, second_factor_at: datetime | None, now: datetime | None = None
) -> str | None:
    """Return why ``actor`` may not create a token acting as ``holder``; None if they may.

    A token is used without a session, so it must not be a way around the second factor:

    - a holder of a privileged role (``holds_second_factor_role``): only the holder themself,
      with a second factor verified in the last ``PORTAL_TOKEN_FRESH_2FA_SECONDS`` (on the web:
      the session's last verification; ``issue_token``: a TOTP code checked by the command).
      Not the system actor, not an administrator;
    - a service account: its department administrator, or the system (``issue_token``);
    - any other person: the person themself, or the system. Administrators issue tokens for
      service accounts only, never for another person.

    ``actor=None`` is the system (an operator's command, the demo loader).
    """
    if holds_second_factor_role(holder):
        if actor is None or not is_account_holder(actor, holder):
            return _(
                "%(user)s holds a role that needs a second factor: only %(user)s may create "
                "a token for the account, after confirming with a code."
            ) % {"user": holder}
        if not second_factor_is_fresh(second_factor_at, now):
            return _(
                "Confirm with a code from your authenticator first: a token for your account "
                "needs a second factor verified in the last %(minutes)s minutes."
            ) % {"minutes": int(settings.PORTAL_TOKEN_FRESH_2FA_SECONDS) // 60}
        return None
    if is_service_account(holder):
        if actor is None or can_manage_tokens_of(actor, holder):
            return None
        return _(
            "Only the department administrator may issue tokens for the department's "
            "service accounts."
        )
    if actor is None or is_account_holder(actor, holder):
        return None
    return _(
        "Tokens are issued to another account only when it is a service account; "
        "a person creates their own tokens."
    )


def tokens_breaking_second_factor_rule_q() -> Q:
    """Return the filter of unrevoked tokens (``ApiToken``) that ``token_creation_refusal``
    would refuse today for want of the holder's own second factor: a holder of a privileged role,
    and a creator who was someone else or the system."""
    return (
        Q(revoked_at__isnull=True)
        & Q(user__role_assignments__role__in=sorted(second_factor_roles()))
        & (Q(created_by__isnull=True) | ~Q(created_by=F("user")))
    )


def tokens_made_before_second_factor_role_q(holder: Any) -> Q:
    """Return the filter of the unrevoked tokens of an account that has just gained its first
    privileged role: all of them were created without the second factor it now needs."""
    return Q(revoked_at__isnull=True, user_id=holder.pk)


def tokens_managed_q(user: Any) -> Q:
    """Return the filter of API tokens (``ApiToken``) of the department the user administers."""
    if not is_department_admin(user):
        return NOTHING
    return Q(user__department_id=user.department_id)


def tokens_visible_q(user: Any) -> Q:
    """Return the filter of API tokens the user sees on the token page and may revoke: their
    own, and as a department administrator the department's."""
    if not can_use_token_page(user):
        return NOTHING
    return Q(user_id=user.pk) | tokens_managed_q(user)


def token_holders_q(user: Any) -> Q:
    """Return the filter of accounts (``User``) the user may create tokens for: themself, and as
    a department administrator the department's service accounts."""
    if not can_use_token_page(user):
        return NOTHING
    return Q(pk=user.pk) | (administered_accounts_q(user) & Q(kind=User.Kind.SERVICE))
