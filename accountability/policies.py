"""Who sees the evaluation: the coordinator sees every department, a department admin their own.

Everybody else gets a 404: the dashboard and the scorecards do not exist for them. Service
items are public to every signed-in user, but a linked resource the viewer may not see is
shown without its name or code (``catalog.policies`` decides).
"""

from __future__ import annotations

from typing import Any

from accounts.models import Department, Role


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
