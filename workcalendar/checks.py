"""``manage.py check`` warns when next year's schedule is due and not official yet."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils.translation import gettext as _

CHECK_ID = "workcalendar.W001"


@register("workcalendar")
def next_year_official(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    from .selectors import year_needing_schedule

    try:
        year = year_needing_schedule()
    except DatabaseError:  # not migrated yet: nothing to warn about
        return []
    if year is None:
        return []
    return [
        Warning(
            _("The working-day calendar for %(year)s is not official yet.") % {"year": year},
            hint=_(
                "Deadlines reaching into %(year)s are provisional. Enter the State Council's "
                "schedule at /calendar/%(year)s/ and mark it official (docs/operations.md)."
            )
            % {"year": year},
            id=CHECK_ID,
        )
    ]
