"""The audit trail of code list (代码集) changes made in the admin site.

The coordinator keeps code lists on the admin site's form (the list and its entries inline);
the admin saves the rows inside its own transaction and calls these services in it, so a
change and its audit event commit together.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from audit.services import record

from ..models import CodeList


def code_list_changed(
    *, actor: User | None, code_list: CodeList, created: bool, changes: list[Any]
) -> None:
    """Record that the code list was created or changed, with what the form changed."""
    record(
        actor=actor,
        action="code_list.create" if created else "code_list.update",
        obj=code_list,
        details={
            "code": code_list.code,
            "active": code_list.active,
            "entries": code_list.entries.count(),
            "changes": changes,
        },
    )


def code_list_deleted(*, actor: User | None, code_list: CodeList) -> None:
    """Record that the code list (used by no data item: items protect theirs) was deleted."""
    record(
        actor=actor,
        action="code_list.delete",
        obj=code_list,
        details={"code": code_list.code, "name": code_list.name},
    )
