"""Who may read and who may keep the working-day calendar.

Every signed-in user may read it (deadlines are counted from it, and the schedule is public).
The platform coordinator (市政务服务数据管理局) keeps it on the portal's screens; the system
administrator keeps it from the admin site, through the same services.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_view_calendar(user: Any) -> bool:
    """Return whether the user may read the calendar (every signed-in user)."""
    return _active(user)


def can_change_calendar(user: Any) -> bool:
    """Return whether the user may enter, import, make official or reopen a year's schedule."""
    return _active(user) and user.has_role(Role.COORDINATOR, Role.SYSTEM_ADMIN)
