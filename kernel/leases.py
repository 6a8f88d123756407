"""Leases of background jobs, so that a job whose worker died does not stay "running" for ever.

A job's row has a ``status`` and a ``lease_until``. The worker takes the lease when it claims a
queued job (``lease_take``) and renews it as it goes (``lease_renew``, best in the progress write
it makes anyway); every change is an UPDATE conditional on the job's status, so a worker whose job
the sweep already failed learns it at its next renewal (``LeaseLost``) and cannot revive it. The
periodic sweep takes each job whose lease ran out (``lease_expired``) with ``lease_sweep``: one
transaction per job, the row locked with ``SKIP LOCKED`` so a worker holding it in an open
transaction (storing) is left alone whatever its lease says.

The apps' services say what a failed job means (its report, its file, its audit event, who is
told); this module only keeps the lease. ``PORTAL_IMPORT_LEASE_SECONDS`` is its length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


class LeaseLost(Exception):
    """The sweep failed the job (its lease had run out): its worker must stop without a word."""


def lease_seconds() -> int:
    """Return how long a running job's lease lasts (``PORTAL_IMPORT_LEASE_SECONDS``)."""
    return max(1, int(getattr(settings, "PORTAL_IMPORT_LEASE_SECONDS", 300)))


def lease_end(now: datetime | None = None) -> datetime:
    """Return when a lease taken or renewed now runs out."""
    return (now or timezone.now()) + timedelta(seconds=lease_seconds())


def lease_take(jobs: models.QuerySet[M], pk: int, *, frm: str, to: str, **fields: Any) -> bool:
    """Move the job from status ``frm`` to ``to`` with a fresh lease; return whether it was ``frm``."""
    return bool(jobs.filter(pk=pk, status=frm).update(status=to, lease_until=lease_end(), **fields))


def lease_renew(jobs: models.QuerySet[M], pk: int, *, status: str, **fields: Any) -> None:
    """Renew the lease of a job still in ``status`` (with ``fields``); raise LeaseLost if not.

    The UPDATE also locks the job's row until the caller's transaction ends, if it has one.
    """
    if not jobs.filter(pk=pk, status=status).update(lease_until=lease_end(), **fields):
        raise LeaseLost


def lease_lock(jobs: models.QuerySet[M], pk: int, statuses: Iterable[str]) -> bool:
    """Lock the job's row if it is in one of ``statuses``; return whether it was."""
    found = jobs.select_for_update().filter(pk=pk, status__in=list(statuses))
    return bool(list(found.values_list("pk", flat=True)))


def lease_expired(statuses: Iterable[str], now: datetime) -> Q:
    """Return the filter of running jobs whose lease ran out at ``now``.

    A running job without a lease was started before leases existed: its worker is long gone.
    """
    return Q(status__in=list(statuses)) & (Q(lease_until__lt=now) | Q(lease_until__isnull=True))


def lease_sweep(jobs: models.QuerySet[M], expired: Q, fail: Callable[[M], None]) -> int:
    """Call ``fail`` on each job matching ``expired``, each in its own transaction; return how many.

    A job whose row another transaction holds (a worker still storing) is skipped, as is one that
    no longer matches once locked (its worker finished meanwhile).
    """
    count = 0
    for pk in jobs.filter(expired).values_list("pk", flat=True):
        with transaction.atomic():
            job = jobs.select_for_update(skip_locked=True).filter(expired, pk=pk).first()
            if job is None:
                continue
            fail(job)
        count += 1
    return count
