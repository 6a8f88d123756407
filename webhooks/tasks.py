"""Background entry point for webhook deliveries (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from django_tasks import task


@task()
def deliveries_send_task(delivery_ids: list[int], as_of: str = "") -> dict[str, int]:
    """Make one attempt of each delivery; return how many ended in each state.

    A delivery that is not due, already taken by another worker, or gone counts as ``skipped``;
    one whose sending broke unexpectedly as ``error`` (the sweep retries it).
    """
    from .services import deliveries_send

    moment = parse_datetime(as_of) if as_of else None
    counts: dict[str, int] = {}
    for _delivery_id, state in deliveries_send(delivery_ids=delivery_ids, as_of=moment):
        counts[state] = counts.get(state, 0) + 1
    return counts
