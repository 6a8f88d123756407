"""Background entry point for webhook deliveries (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from django_tasks import task


@task()
def delivery_send_task(delivery_id: int, as_of: str = "") -> str:
    """Make one attempt of a delivery; return its state after it ("" if it was not due)."""
    from .services import delivery_send

    delivery = delivery_send(
        delivery_id=delivery_id, as_of=parse_datetime(as_of) if as_of else None
    )
    return delivery.state if delivery is not None else ""
