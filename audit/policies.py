"""Who may read the audit trail, and who may see who read a department's data.

One rule each, used by every page and selector that shows them:
- the audit log is the audit administrator's alone (三员分立), up to their clearance;
- reads of a department's data (``audit.actions.DATA_READ_ACTIONS`` events on its resources:
  pages of rows, downloads, verifications) are shown to that department's approvers and
  department administrators, on the audit page and on each resource's "who used this data"
  page alike.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_read_audit_log(user: Any) -> bool:
    """Only the audit administrator reads the audit log (三员分立)."""
    return _active(user) and user.has_role(Role.AUDIT_ADMIN)


def can_see_reads_of_own_data(user: Any) -> bool:
    """A department's approvers and administrators see who read its data."""
    return (
        _active(user)
        and user.department_id is not None
        and user.has_role(Role.APPROVER, Role.DEPARTMENT_ADMIN)
    )


def can_see_reads_of_department(user: Any, department_id: int | None) -> bool:
    """Return whether the user may see who read the data that the department provides."""
    return (
        department_id is not None
        and can_see_reads_of_own_data(user)
        and user.department_id == department_id
    )
