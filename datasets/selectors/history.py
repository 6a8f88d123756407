"""What is known about a resource's data besides its rows: who read it, its versions, its
import jobs, and whether it is up to date for its update cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from audit.actions import DATA_READ_ACTIONS
from audit.models import AuditEvent
from audit.policies import can_see_reads_of_department
from catalog import policies as catalog_policies
from catalog.models import Resource, UpdateCycle

from ..models import DatasetVersion, ImportJob


def data_reads_of(*, user: User, resource: Resource) -> QuerySet[AuditEvent]:
    """Return the audit events of reads of the resource's data, for its provider department.

    The same rule as the audit trail's "who read our data" page (``audit.policies``).
    """
    if not catalog_policies.can_view_resource(user, resource) or not can_see_reads_of_department(
        user, resource.provider_id
    ):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        object_type=Resource._meta.label_lower,
        object_id=str(resource.pk),
        action__in=DATA_READ_ACTIONS,
    ).select_related("actor", "department")


def import_job_get(*, user: User, pk: int) -> ImportJob:
    """Return an import job of a resource the user may change; Http404 otherwise."""
    changeable = Resource.objects.filter(
        catalog_policies.resources_stewarded_q(user, catalog_policies.CHANGE)
    )
    job = (
        ImportJob.objects.filter(resource__in=changeable, pk=pk)
        .select_related("resource", "version")
        .first()
    )
    if job is None:
        raise Http404
    return job


def dataset_versions_of(*, user: User, resource: Resource) -> QuerySet[DatasetVersion]:
    """Return the resource's dataset versions (metadata only) for a user who can see it."""
    if not catalog_policies.can_view_resource(user, resource):
        return DatasetVersion.objects.none()
    return DatasetVersion.objects.filter(resource=resource).order_by("-number")


# How long data may go without an update before it is late (迟报), per update cycle.
CYCLE_DAYS = {
    UpdateCycle.REALTIME: 1,
    UpdateCycle.DAILY: 1,
    UpdateCycle.WEEKLY: 7,
    UpdateCycle.DEKAD: 10,
    UpdateCycle.MONTHLY: 31,
    UpdateCycle.QUARTERLY: 92,
    UpdateCycle.SEMIANNUAL: 183,
    UpdateCycle.YEARLY: 366,
}


@dataclass
class Freshness:
    updated_at: datetime | None
    due_at: datetime | None
    late: bool
    missing: bool


def dataset_freshness(*, user: User, resource: Resource, now: datetime | None = None) -> Freshness:
    """Return when the resource's data was last updated and whether it is late for its cycle.

    Missing data (漏报) is a published resource with no data at all; irregular resources are
    never late.
    """
    if not catalog_policies.can_view_resource(user, resource):
        raise Http404
    now = now or timezone.now()
    updated = resource.data_updated_at
    days = CYCLE_DAYS.get(UpdateCycle(resource.update_cycle)) if resource.update_cycle else None
    if updated is None:
        return Freshness(
            None, None, late=False, missing=resource.status == Resource.Status.PUBLISHED
        )
    due = updated + timedelta(days=days) if days else None
    return Freshness(updated, due, late=due is not None and now > due, missing=False)
