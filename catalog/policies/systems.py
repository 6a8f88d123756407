"""Who sees, registers, files, approves and re-confirms information systems (备案).

The registry says which systems exist, not what data they hold, so it is not classified: every
signed-in user sees the approved systems (in service); a department's own members also see its
drafts, filings awaiting approval, returned and retired ones; the coordinator sees every system.
What a system provides is always listed through the resource visibility filter
(``resources.resources_visible_q``).

Filing (备案) belongs to the department: its catalog editors and its department administrator
register drafts, file them, correct returned ones and re-confirm approved ones once a year. The
coordinator may register drafts for any department (as before filing existed) but only the
department files; only the coordinator approves (assigning the system code) or returns a filing,
and never one they filed themselves.
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


def can_file_systems_of(user: AnyUser | None, department_id: int | None) -> bool:
    """Return whether the user files, corrects and re-confirms the department's systems.

    The department's catalog editors and its department administrator; ``None`` is the system.
    The coordinator is not the department: they decide filings, they do not make them.
    """
    if user is None:
        return True
    if not _active(user):
        return False
    assert isinstance(user, User)
    return (
        department_id is not None
        and user.department_id == department_id
        and user.has_role(Role.EDITOR, Role.DEPARTMENT_ADMIN)
    )


def files_systems(user: AnyUser) -> bool:
    """Return whether the user files and re-confirms their own department's systems."""
    return _active(user) and can_file_systems_of(user, getattr(user, "department_id", None))


def can_decide_systems(user: AnyUser) -> bool:
    """Return whether the user approves and returns filed systems: the coordinator."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    return user.has_role(Role.COORDINATOR)


def can_decide_system(user: AnyUser | None, filed_by_id: int | None) -> bool:
    """Return whether the user may approve or return this filing: the coordinator, not its filer."""
    if user is None:
        return True
    if not can_decide_systems(user):
        return False
    return filed_by_id is None or filed_by_id != user.pk


def systems_visible_q(user: AnyUser) -> Q:
    """Return the filter of information systems the user may see."""
    if not _active(user):
        return NOTHING
    assert isinstance(user, User)
    if user.has_role(Role.COORDINATOR):
        return Q()
    visible = Q(status=InformationSystem.Status.APPROVED)
    if user.department_id is not None:
        visible |= Q(department_id=user.department_id)
    return visible
