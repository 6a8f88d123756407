"""The shape of a work queue, as the home page ("My work") shows it.

Each app describes its own queues (``<app>/work.py``: who has the queue, its rows from the app's
selectors, how one row reads, built with ``work_item``, where the full queue is); the project
shell lists them in the order the page shows them (``portal.work.WORK_QUEUES``). Adding a queue
is one ``WorkQueue`` in its app and one line in that list: the page, its counts and its query
budget follow.

Access is never decided here: ``has`` is a policy predicate of the app (whether the user has
such a queue at all), and ``rows`` a selector that already applies the app's policies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class WorkItem:
    """One row of a queue as the home page lists it."""

    title: str
    url: str
    detail: str = ""  # a second line: who asks, which resources, from whom
    when: date | None = None  # the date that matters for this row (due, ends, sent)
    when_label: str | Promise = ""  # what that date is ("Reply due", "Ends")
    late: bool = False  # past the date: shown as a warning


def work_item(
    title: str,
    url: str,
    detail: str = "",
    *,
    due: date | None = None,
    on: date | datetime | None = None,
    label: str | Promise = "",
) -> WorkItem:
    """Build one row of a queue, the way every app's ``item`` does.

    A row carries at most one date: ``due``, a deadline (the row is late once the day has passed),
    or ``on``, the day something happened or ends (a moment is shown as its local day). ``label``
    says what the date is; a row without a date has no label.
    """
    when = due if due is not None else on
    if isinstance(when, datetime):
        when = timezone.localdate(when)
    return WorkItem(
        title=title,
        url=url,
        detail=detail,
        when=when,
        when_label=label if when is not None else "",
        late=due is not None and due < timezone.localdate(),
    )


@dataclass(frozen=True)
class WorkQueue:
    """A queue of work the home page summarises: its count and its first rows."""

    key: str  # stable, for templates and tests (``data-queue``)
    title: str | Promise
    icon: str  # a Bootstrap icon name
    url_name: str  # the page holding the whole queue
    has: Callable[[Any], bool]  # whether the user has this queue (a policy predicate)
    rows: Callable[[Any], QuerySet[Any]]  # the queue, first rows first (a selector)
    item: Callable[[Any], WorkItem]  # how one row reads
    empty: str | Promise = ""  # said when the queue is empty
    query: str = ""  # the full queue page's query string, without "?"
