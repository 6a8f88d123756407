"""What every deadline the portal gives shares, whichever record carries it.

A share request (reply due), a correction and a data need (answer due) each store the day their
answer is due as ``due_date``, with ``due_date_provisional`` set while that day was counted over
a year whose calendar is not official yet (``workcalendar.workdays.deadline_after``). Each
model keeps its own two fields (their labels, nullability and indexes differ); the rules on
them are written once here:

- an answer is in time when it was given, in local time, on or before the due day (``on_time``);
- when a year becomes official, each open record's provisional deadline is counted again from
  its start and stored as final, and whoever must know is told where the day moved
  (``recount_provisional``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .workdays import Deadline


def on_time(done_at: datetime, due: date | None) -> bool:
    """Return whether something done at ``done_at`` met the deadline ``due`` (none: not judged)."""
    return due is not None and timezone.localdate(done_at) <= due


def recount_provisional(
    rows: QuerySet[Any],
    *,
    start: Callable[[Any], date],
    deadline: Callable[[date], Deadline],
    moved: Callable[[Any, date, date], None],
) -> tuple[int, int]:
    """Count each row's provisional deadline again from its start; return (moved, confirmed).

    ``rows`` are the open records with a provisional deadline, locked by the caller's
    transaction; ``deadline(start(row))`` is the deadline as it counts now. A row whose deadline
    still reaches into a year that is not official stays as it is; any other is stored as final,
    and where its day changed ``moved(row, old, new)`` records and tells it.
    """
    moved_count = confirmed = 0
    for row in rows:
        recounted = deadline(start(row))
        if recounted.provisional:
            continue  # still reaches into a year that is not official
        old = row.due_date
        rows.model._default_manager.filter(pk=row.pk).update(
            due_date=recounted.day, due_date_provisional=False
        )
        if recounted.day == old:
            confirmed += 1
            continue
        moved(row, old, recounted.day)
        moved_count += 1
    return moved_count, confirmed
