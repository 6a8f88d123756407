"""Background entry point for webhook deliveries (run by ``manage.py db_worker``)."""

from __future__ import annotations

import logging

from django.utils.dateparse import parse_datetime
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def deliveries_send_task(delivery_ids: list[int], as_of: str = "") -> dict[str, int]:
    """Make one attempt of each delivery; return how many ended in each state.

    A delivery that is not due, already taken by another worker, or gone counts as ``skipped``.
    """
    from .services import delivery_send

    moment = parse_datetime(as_of) if as_of else None
    counts: dict[str, int] = {}
    for delivery_id in delivery_ids:
        try:
            delivery = delivery_send(delivery_id=delivery_id, as_of=moment)
        except Exception:  # one broken delivery must not hold up the others; the sweep retries it
            logger.exception("Webhook delivery %s failed unexpectedly", delivery_id)
            state = "error"
        else:
            state = delivery.state if delivery is not None else "skipped"
        counts[state] = counts.get(state, 0) + 1
    return counts
