"""Who may do what in the live exchange: predicates and, where lists need them, filters.

- An interface is seen where its resource is seen (catalog policies): a published interface by
  everyone who sees the resource; a draft, submitted or retired one by the provider department,
  and a submitted or retired one also by the coordinator within the resource's level.
- Its provider's catalog editors (and whoever the resource is delegated to for change) register
  it, submit it, retire it and test it; the coordinator reviews it like a resource.
- Calling it is reading the resource's data: the same decision (datasets.selectors.access).
- The allowlist of outgoing networks and the city's availability view are the coordinator's.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role, User
from catalog import policies as catalog_policies
from catalog.models import Resource

from .models import Interface

NOTHING = Q(pk__in=[])


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _coordinator(user: User) -> bool:
    return user.has_role(Role.COORDINATOR)


def can_manage_egress(user: User) -> bool:
    """Return whether the user keeps the networks the portal may call out to."""
    return _active(user) and (_coordinator(user) or bool(user.is_superuser))


def interfaces_visible_q(user: User) -> Q:
    """Return the filter of the interfaces whose entry the user may see."""
    if not _active(user):
        return NOTHING
    states = Q(status=Interface.Status.PUBLISHED)
    if user.department_id is not None:
        states |= Q(resource__provider_id=user.department_id)
    if _coordinator(user):
        states |= Q(
            status__in=[Interface.Status.SUBMITTED, Interface.Status.RETIRED],
            resource__level__lte=user.clearance,
        )
    return states & catalog_policies.resources_visible_through_q(user, through="resource")


def can_view_interface(user: User, interface: Interface) -> bool:
    """Return whether the user may see the interface's entry (the predicate of the filter)."""
    if not _active(user) or not catalog_policies.can_view_resource(user, interface.resource):
        return False
    if interface.status == Interface.Status.PUBLISHED:
        return True
    if user.department_id is not None and interface.resource.provider_id == user.department_id:
        return True
    return (
        _coordinator(user)
        and interface.status in (Interface.Status.SUBMITTED, Interface.Status.RETIRED)
        and catalog_policies.clearance_covers(user, interface.resource.level)
    )


def can_register_interface(user: User, resource: Resource) -> bool:
    """Return whether the user may register an interface of the resource: its editors."""
    return catalog_policies.can_change_resource(user, resource)


def can_change_interface(user: User, interface: Interface) -> bool:
    """Return whether the user may submit, retire or test the interface: the resource's editors."""
    return catalog_policies.can_change_resource(user, interface.resource)


def can_review_interfaces(user: User) -> bool:
    """Return whether the user reviews submitted interfaces: the coordinator."""
    return _active(user) and catalog_policies.can_review_resources(user)


def can_review_interface(user: User, interface: Interface) -> bool:
    """Return whether the user may publish or return the interface: the coordinator, cleared."""
    return can_review_interfaces(user) and catalog_policies.can_publish_resource(
        user, interface.resource
    )


def can_see_availability(user: User, interface: Interface) -> bool:
    """Return whether the user sees the interface's availability: its editors, the coordinator."""
    return can_change_interface(user, interface) or (
        _coordinator(user) and can_view_interface(user, interface)
    )


def interfaces_availability_q(user: User) -> Q:
    """Return the filter of the interfaces whose availability the user sees."""
    if not _active(user):
        return NOTHING
    if _coordinator(user):
        return interfaces_visible_q(user)
    return interfaces_visible_q(user) & catalog_policies.resources_stewarded_q(
        user, catalog_policies.CHANGE, through="resource"
    )


def can_see_city_availability(user: User) -> bool:
    """Return whether the user sees every interface's availability: the coordinator."""
    return _active(user) and _coordinator(user)


def can_see_interface_upstream(user: User, interface: Interface) -> bool:
    """Return whether the user sees the interface's upstream address: the provider's catalog
    editors and the coordinator (decided without a query: lists ask it of every row)."""
    if not _active(user):
        return False
    own = user.department_id is not None and interface.resource.provider_id == user.department_id
    return (own and user.has_role(Role.EDITOR)) or can_review_interface(user, interface)
