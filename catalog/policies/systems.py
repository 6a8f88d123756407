"""Who sees and who registers information systems (备案).

The registry says which systems exist, not what data they hold, so it is not classified: every
signed-in user sees the systems in service; a department's own members also see its retired
ones; the coordinator sees every system. What a system provides is always listed through the
resource visibility filter (``resources.resources_visible_q``).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role, User

from ..models import InformationSystem
from .resources import NOTHING, AnyUser, _active


def can_manage_all_systems(user: User) -> bool:
    """Return whether the user registers and changes every department's systems: the coordinator.

    The coordinator chooses the department when registering a system; others register their own.
    """
    return user.has_role(Role.COORDINATOR)


def can_register_systems(user: User) -> bool:
    """Return whether the user may register systems at all.

    The coordinator (for any department), and a department's catalog editors and administrator
    (for their own: ``can_manage_systems_of``).
    """
    return can_manage_all_systems(user) or (
        user.department_id is not None and user.has_role(Role.EDITOR, Role.DEPARTMENT_ADMIN)
    )


def can_manage_systems_of(user: AnyUser | None, department_id: int | None) -> bool:
    """Return whether the user may register and change the department's systems.

    ``None`` is the system itself (management commands).
    """
    if user is None:
        return True
    if not _active(user):
        return False
    assert isinstance(user, User)
    if can_manage_all_systems(user):
        return True
    return (
        department_id is not None
        and user.department_id == department_id
        and user.has_role(Role.EDITOR, Role.DEPARTMENT_ADMIN)
    )


def systems_visible_q(user: AnyUser) -> Q:
    """Return the filter of information systems the user may see."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    if user.has_role(Role.COORDINATOR):
        return Q()
    visible = Q(status=InformationSystem.Status.ACTIVE)
    if user.department_id is not None:
        visible |= Q(department_id=user.department_id)
    return visible
