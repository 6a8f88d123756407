"""Who manages a department's webhooks, and what an event may tell a subscribing department.

Managing: the department administrators of a department manage its subscriptions, and nobody
else sees them (not the coordinator, not another department's administrator): a subscription
names a department's own systems and decides what leaves the portal on its behalf.

What a department is told (the rule every event's audience is decided by):

- an event about a share request or a grant goes only to the two parties, the requesting
  (grant-holding) department and the provider department;
- an event about a resource (changed, retired, new data version, an interface of it) goes to a
  department only if the catalog's visibility rule (``catalog.policies.can_view_resource``;
  for a retired entry its scope rule, as for notifications) admits the department's *viewer*: a plain staff member of that department, without any
  role's exceptions, holding the department's highest clearance (``Department.clearance``;
  no user of the department may hold more). So an event never names an entry that none of
  the department's users could see in the catalog;
- a payload names a resource (its code and name) only if that viewer sees it; a request or a
  grant event names no resource at all beyond what the grant's own parties see of it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.models import Department, Role, User
from catalog import policies as catalog_policies
from catalog.models import Resource
from sharing import policies as sharing_policies

from .models import Subscription

AnyUser = User | AnonymousUser
NOTHING = catalog_policies.NOTHING


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_manage_webhooks(user: AnyUser) -> bool:
    """Return whether the user manages their department's webhook subscriptions."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    return user.department_id is not None and user.has_role(Role.DEPARTMENT_ADMIN)


def subscriptions_visible_q(user: AnyUser) -> Q:
    """Return the filter of the subscriptions the user sees: their own department's."""
    if not can_manage_webhooks(user):
        return NOTHING
    assert isinstance(user, User)
    return Q(department_id=user.department_id)


def can_manage_subscription(user: AnyUser, subscription: Subscription) -> bool:
    """Return whether the user manages this subscription (the predicate of the filter above)."""
    if not can_manage_webhooks(user):
        return False
    assert isinstance(user, User)
    return subscription.department_id == user.department_id


def department_viewer(department: Department) -> User:
    """Return the stand-in user an event's visibility is judged as, for a department.

    Unsaved, active, staff only, at the department's highest clearance (see the module's
    docstring); never stored, never signed in.
    """
    viewer = User(
        username=f"webhook-viewer-{department.pk}",
        department=department,
        clearance=department.clearance,
        is_active=True,
    )
    viewer.__dict__["roles"] = frozenset({Role.STAFF})
    return viewer


def department_sees_resource(department: Department, resource: Resource) -> bool:
    """Return whether the department's viewer may hear of the resource.

    The catalog's visibility rule, except that a retired entry's retirement reaches those
    whose scope admits it (``sharing.policies.may_hear_of_resource``, as for notifications).
    """
    return sharing_policies.may_hear_of_resource(department_viewer(department), resource)


def department_admin_roles() -> tuple[str, ...]:
    """Return the roles told when a subscription of their department is disabled."""
    return (Role.DEPARTMENT_ADMIN,)
