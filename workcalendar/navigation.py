"""The calendar's entry in the main navigation (see portal.context_processors).

Kept in the calendar app so that its label is translated in the calendar's own message catalog.
Only those who keep the calendar get the link; every signed-in user may still open the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .policies import can_change_calendar

# (label, URL name, icon, who sees the link); the pages check access themselves.
CALENDAR_NAVIGATION: list[tuple[str | Promise, str, str, Callable[[Any], bool]]] = [
    (_("Calendar"), "workcalendar:index", "calendar3", can_change_calendar),
]
