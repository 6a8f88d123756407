"""The home page's "My work": every queue the user has, its count and its first rows.

``WORK_QUEUES`` is the registry, in the order the page shows the queues. Each app describes its
own queues (``catalog.work``, ``sharing.work``; the shape is ``kernel.work.WorkQueue``): adding
one is one ``WorkQueue`` in its app and one line here (as ``needs.work`` was). The page
then shows it to whoever the queue's ``has`` predicate admits, with its count,
its first rows and a link to the whole queue.

Queries: one per queue the user has, whatever its length. The count rides on the first rows'
query as a scalar subquery that counts at most ``BADGE_CAP`` + 1 rows (shown as "99+", as the
navigation's badges), so a queue costs the same with 1, 5 or 5,000 rows and the first rows are
read in the queue's order without visiting the rest (a window count, ``COUNT(*) OVER ()``, made
the coordinator's home page read 5,850 requests in coordination and 2,900 resources under
review); a selector's prefetches add their own fixed number when the queue is not empty
(tests/sharing/test_my_work.py pins them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import IntegerField
from django.urls import reverse
from django.utils.translation import get_language

from catalog import work as catalog_work
from kernel.work import WorkItem, WorkQueue
from needs import work as needs_work
from sharing import work as sharing_work
from sharing.selectors import BADGE_CAP, CountOfFirst, listing_rows

from .kept import kept

WORK_QUEUES: list[WorkQueue] = [
    sharing_work.AWAITING_DECISION,
    sharing_work.AWAITING_SIGNOFF,
    sharing_work.RETURNED,
    sharing_work.CORRECTIONS,
    sharing_work.NEGOTIATION,
    catalog_work.TO_REVIEW,
    catalog_work.SENT_BACK,
    catalog_work.EXPIRED,
    catalog_work.SYSTEMS_TO_DECIDE,
    catalog_work.SYSTEMS_RETURNED,
    catalog_work.SYSTEMS_TO_RECONFIRM,
    needs_work.WAITING,
    sharing_work.GRANTS_EXPIRING,
    sharing_work.NOTIFICATIONS,
]

# How many rows of each queue the home page lists.
TOP = 5


@dataclass(frozen=True)
class QueueSummary:
    """A queue as the home page shows it."""

    queue: WorkQueue
    count: int
    items: list[WorkItem]
    url: str  # the whole queue

    @property
    def more(self) -> int:
        """Return how many rows the page leaves to the queue's own page."""
        return max(self.count - len(self.items), 0)

    @property
    def capped(self) -> bool:
        """Return whether the queue holds more rows than the count went up to."""
        return self.count > BADGE_CAP

    @property
    def badge(self) -> str:
        return f"{BADGE_CAP}+" if self.capped else str(self.count)


def my_work(*, user: Any, top: int = TOP) -> list[QueueSummary]:
    """Return every queue the user has (empty ones too), in the registry's order.

    Kept a few seconds per user and language (``portal.kept``): the rows hold translated text.
    """
    if top != TOP:
        return _my_work(user, top)
    by_key = {queue.key: queue for queue in WORK_QUEUES}
    shown = kept(
        "my-work",
        user.pk,
        lambda: [(s.queue.key, s.count, s.items, s.url) for s in _my_work(user, top)],
        language=get_language() or "",
    )
    return [QueueSummary(by_key[key], count, items, url) for key, count, items, url in shown]


def _my_work(user: Any, top: int) -> list[QueueSummary]:
    summaries: list[QueueSummary] = []
    for queue in WORK_QUEUES:
        if not queue.has(user):
            continue
        rows = listing_rows(queue.rows(user))
        # The count is taken over the rows before DISTINCT would merge them: a queue must list
        # each row once without it.
        assert not rows.query.distinct, f"the {queue.key} queue must not be DISTINCT"
        total = CountOfFirst(
            rows.order_by().values("pk")[: BADGE_CAP + 1], output_field=IntegerField()
        )
        first = list(rows.annotate(work_queue_total=total)[:top])
        count = first[0].work_queue_total if first else 0
        url = reverse(queue.url_name) + (f"?{queue.query}" if queue.query else "")
        summaries.append(QueueSummary(queue, count, [queue.item(row) for row in first], url))
    return summaries
