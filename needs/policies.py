"""Who may see, file, route and answer data needs: every rule of the app, each used by its pages.

A need is visible to every department (the point of the list: two departments with the same need
find each other), and carries no classified content itself. Acting follows the share requests'
rules: any department's staff files one; the platform coordinator routes it to a provider; the
provider department's approvers and department administrators claim it or answer it (as the
provider's approvers answer share requests), never for their own department's need; the
requesting department's staff turn an answer into a share request.

A linked resource is shown to a viewer only if the catalog's visibility rule lets them see it
(``catalog.policies.can_view_resource``).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role, User
from catalog import policies as catalog_policies
from catalog.models import Resource
from sharing import policies as sharing_policies

from .models import TRANSITIONS, Need, NeedStatus

AnyUser = sharing_policies.AnyUser
NOTHING = catalog_policies.NOTHING
# The roles that answer for a provider department (those who decide its share requests, and
# its administrator).
ANSWERING_ROLES = (Role.APPROVER, Role.DEPARTMENT_ADMIN)


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _is_coordinator(user: User) -> bool:
    return user.has_role(Role.COORDINATOR)


def may_see_needs(user: AnyUser) -> bool:
    """Return whether the user sees the list of needs: department staff and the coordinator."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    return user.department_id is not None or _is_coordinator(user)


def needs_visible_q(user: AnyUser) -> Q:
    """Return the filter of needs the user may see: all of them, for those who see the list."""
    return Q() if may_see_needs(user) else NOTHING


def can_view_need(user: AnyUser, need: Need) -> bool:
    """Return whether the user may see the need."""
    return may_see_needs(user)


def may_file_need(user: AnyUser) -> bool:
    """Return whether the user may file a need: active staff of a department."""
    return _active(user) and isinstance(user, User) and user.department_id is not None


def may_route_needs(user: AnyUser) -> bool:
    """Return whether the user routes needs to providers (the platform coordinator)."""
    return _active(user) and isinstance(user, User) and _is_coordinator(user)


def answers_for_department(user: AnyUser) -> bool:
    """Return whether the user answers needs routed to their department."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    return user.department_id is not None and user.has_role(*ANSWERING_ROLES)


def _allowed(action: str, need: Need) -> bool:
    return need.status in TRANSITIONS[action][0]


def can_route_need(user: AnyUser, need: Need) -> bool:
    """Return whether the user may route (or route again) the need now."""
    return _allowed("route", need) and may_route_needs(user) and can_view_need(user, need)


def can_claim_need(user: AnyUser, need: Need) -> bool:
    """Return whether the user may claim the need for their department (not its own need)."""
    if not _allowed("claim", need) or not answers_for_department(user):
        return False
    assert isinstance(user, User)
    return user.department_id != need.requester_department_id


def can_answer_need(user: AnyUser, need: Need) -> bool:
    """Return whether the user answers the need for the provider it is routed to."""
    if need.status not in (NeedStatus.ROUTED, NeedStatus.REGISTERING):
        return False
    if not answers_for_department(user):
        return False
    assert isinstance(user, User)
    return need.provider_id is not None and user.department_id == need.provider_id


def can_register_for_need(user: AnyUser, need: Need) -> bool:
    """Return whether the user may answer that a new resource will be registered."""
    return _allowed("register", need) and can_answer_need(user, need)


def can_refuse_need(user: AnyUser, need: Need) -> bool:
    """Return whether the user may refuse the need (with a legal basis)."""
    return _allowed("refuse", need) and can_answer_need(user, need)


def can_link_resource(user: AnyUser, need: Need, resource: Resource) -> bool:
    """Return whether the user may answer the need with the resource.

    The resource is a published one of the provider's own, which the user sees in the catalog.
    """
    return (
        can_answer_need(user, need)
        and resource.provider_id == need.provider_id
        and resource.status == Resource.Status.PUBLISHED
        and catalog_policies.can_view_resource(user, resource)
    )


def needs_answerable_q(user: AnyUser) -> Q:
    """Return the filter of needs waiting for the user's department's answer (the list form)."""
    if not answers_for_department(user):
        return NOTHING
    assert isinstance(user, User)
    return Q(provider_id=user.department_id, status__in=[NeedStatus.ROUTED, NeedStatus.REGISTERING])


def needs_routable_q(user: AnyUser) -> Q:
    """Return the filter of needs waiting for the coordinator to route them."""
    return Q(status=NeedStatus.OPEN) if may_route_needs(user) else NOTHING


def can_request_from_need(user: AnyUser, need: Need) -> bool:
    """Return whether the user may turn the answered need into a share request.

    Staff of the requesting department who may request data, once a resource is linked.
    Whether that resource can be requested (published, not already granted, ...) is the
    sharing service's question.
    """
    if need.status != NeedStatus.LINKED or need.resource_id is None:
        return False
    if not sharing_policies.may_request(user):
        return False
    assert isinstance(user, User)
    return user.department_id == need.requester_department_id
