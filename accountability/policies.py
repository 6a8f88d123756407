"""Who sees the evaluation: the coordinator sees every department, a department admin their own.

Everybody else gets a 404: the dashboard and the scorecards do not exist for them. Service
items are public to every signed-in user, but a linked resource the viewer may not see is
shown without its name or code (``catalog.policies`` decides).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.models import Department, Role
from catalog.policies import can_view_resource


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_view_city_evaluation(user: Any) -> bool:
    """Return whether the user sees the dashboard, every scorecard and the city-wide reports."""
    return _active(user) and user.has_role(Role.COORDINATOR)


def can_view_scorecard(user: Any, department: Department) -> bool:
    """Return whether the user may see the department's scorecard."""
    if can_view_city_evaluation(user):
        return True
    return (
        _active(user)
        and user.has_role(Role.DEPARTMENT_ADMIN)
        and user.department_id is not None
        and user.department_id == department.pk
    )


def can_open_evaluation(user: Any) -> bool:
    """Return whether the user has an evaluation page: the city's, or their own department's."""
    return can_view_city_evaluation(user) or (
        _active(user) and user.has_role(Role.DEPARTMENT_ADMIN) and user.department_id is not None
    )


def can_view_service_items(user: Any) -> bool:
    """Return whether the user may read the service-item lists (every signed-in user)."""
    return _active(user)


def can_import_service_items(user: Any) -> bool:
    """Return whether the user may import service items (the coordinator keeps the lists)."""
    return can_view_city_evaluation(user)


# --- item links and their conflicts (数据打架 checked by values) ----------------------------


def can_manage_item_links(user: Any) -> bool:
    """Return whether the user links items, runs comparisons and reads every link's rate."""
    return can_view_city_evaluation(user)


def can_view_link_conflicts(user: Any, link: Any) -> bool:
    """Return whether the user sees the link's conflict list: a member of an owner department
    whose clearance covers that department's own resource of the link."""
    if not _active(user) or user.department_id is None:
        return False
    for resource in (link.left_resource, link.right_resource):
        if resource.provider_id == user.department_id and resource.level <= user.clearance:
            return True
    return False


def links_with_conflicts_visible_q(user: Any) -> Q:
    """The queryset form of ``can_view_link_conflicts`` (on ``ItemLink``)."""
    if not _active(user) or user.department_id is None:
        return Q(pk__in=[])
    return Q(
        left_resource__provider_id=user.department_id,
        left_resource__level__lte=user.clearance,
    ) | Q(
        right_resource__provider_id=user.department_id,
        right_resource__level__lte=user.clearance,
    )


def can_see_link_item(user: Any, resource: Any, item: Any) -> bool:
    """Return whether the viewer of a conflict list may see one side's values of an item:
    both the item and its resource within the viewer's clearance, and the resource's entry
    one the viewer may see (a ``provider`` entry reaches nobody outside its department but the
    coordinator, whatever their clearance)."""
    return (
        item.level <= user.clearance
        and resource.level <= user.clearance
        and can_view_resource(user, resource)
    )


def can_name_link_item(user: Any, item: Any) -> bool:
    """Return whether the coordinator may name the item in a link: within their clearance."""
    return item.level <= user.clearance


def can_open_conflict_correction(user: Any, link: Any) -> bool:
    """Return whether the user may send a conflict to the non-authoritative side as a correction:
    a member of the authoritative department who sees the list and is cleared for the receiving
    resource (a correction quotes values, like every correction's filer)."""
    if not can_view_link_conflicts(user, link):
        return False
    if link.authoritative == "left":
        own, other = link.left_resource, link.right_resource
    else:
        own, other = link.right_resource, link.left_resource
    return own.provider_id == user.department_id and other.level <= user.clearance
