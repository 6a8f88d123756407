"""Zombie systems (僵尸系统): registered, in service, yet feeding nothing into the catalog."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import InformationSystem, Resource
from catalog.selectors import systems_unconfirmed

from ..periods import add_months
from ..policies import can_view_city_evaluation
from ..rules import zombie_months


@dataclass(frozen=True)
class ZombieSystem:
    system: InformationSystem
    published: int
    last_update: datetime | None

    @property
    def reason(self) -> str:
        if not self.published:
            return "no_resources"
        return "never_updated" if self.last_update is None else "stale"


def zombie_cutoff(now: datetime | None = None) -> datetime:
    """Return the instant before which a last data update makes a system a zombie."""
    local = timezone.localtime(now or timezone.now())
    moved = add_months(local.date(), -zombie_months())
    return local.replace(year=moved.year, month=moved.month, day=moved.day)


def _check(user: User) -> None:
    if not can_view_city_evaluation(user):
        raise PermissionDenied(_("Only the platform coordinator sees the zombie systems."))


def _published_within(user: User) -> QuerySet[Resource]:
    """Return the published resources within the viewer's clearance of the outer system."""
    return Resource.objects.filter(
        source_system=OuterRef("pk"),
        status=Resource.Status.PUBLISHED,
        level__lte=user.clearance,
    )


def zombie_systems(*, user: User, now: datetime | None = None) -> QuerySet[InformationSystem]:
    """Return the approved systems with no published resource updated since the cutoff.

    That is: no published resource, none ever updated, or the latest update before the cutoff.
    Resources above the viewer's clearance are not counted (they do not exist for them). Each
    system is one probe of the ``resource_system_freshness`` index for a resource updated since
    the cutoff, so a page of the report reads a page of systems, not their resources; the
    figures shown for a page come from ``zombie_figures``.
    """
    _check(user)
    fresh = _published_within(user).filter(data_updated_at__gte=zombie_cutoff(now))
    return (
        InformationSystem.objects.filter(status=InformationSystem.Status.APPROVED)
        .filter(~Exists(fresh))
        .select_related("department")
        .order_by("department__name", "name", "pk")
    )


def zombie_figures(*, user: User, systems: Iterable[InformationSystem]) -> list[ZombieSystem]:
    """Return the zombie systems given (a page of ``zombie_systems``) with their figures.

    The count and the latest data update of each system's published resources within the
    viewer's clearance, in one query for the page (from the index alone on PostgreSQL).
    """
    _check(user)
    systems = list(systems)
    within = _published_within(user)
    rows = InformationSystem.objects.filter(pk__in=[s.pk for s in systems]).annotate(
        published=Coalesce(
            Subquery(within.order_by().values("source_system").annotate(n=Count("pk")).values("n")),
            0,
        ),
        last_update=Subquery(
            within.filter(data_updated_at__isnull=False)
            .order_by("-data_updated_at")
            .values("data_updated_at")[:1]
        ),
    )
    figures = {row.pk: (row.published, row.last_update) for row in rows}
    return [ZombieSystem(s, *figures[s.pk]) for s in systems]


def unconfirmed_systems(*, user: User, now: datetime | None = None) -> QuerySet[InformationSystem]:
    """Return approved systems their department has not re-confirmed within the period.

    A system nobody vouches for each year is a zombie candidate even if it still feeds the
    catalog; the report lists the first of them beside the zombie systems, and its own page
    all of them, a page at a time.
    """
    _check(user)
    return systems_unconfirmed(now)
