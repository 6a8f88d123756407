"""Zombie systems (僵尸系统): registered, in service, yet feeding nothing into the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
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


def zombie_systems(*, user: User, now: datetime | None = None) -> list[ZombieSystem]:
    """Return active systems with no published resource, or no data update since the cutoff.

    One query: the published resources' count and latest update are aggregated per system.
    Resources above the viewer's clearance are not counted (they do not exist for them).
    """
    if not can_view_city_evaluation(user):
        raise PermissionDenied(_("Only the platform coordinator sees the zombie systems."))
    cutoff = zombie_cutoff(now)
    published = Q(resources__status=Resource.Status.PUBLISHED, resources__level__lte=user.clearance)
    systems = (
        InformationSystem.objects.filter(status=InformationSystem.Status.APPROVED)
        .annotate(
            published=Count("resources", filter=published),
            last_update=Max("resources__data_updated_at", filter=published),
        )
        .filter(Q(published=0) | Q(last_update__isnull=True) | Q(last_update__lt=cutoff))
        .select_related("department")
        .order_by("department__name", "name")
    )
    return [ZombieSystem(s, s.published, s.last_update) for s in systems]


def unconfirmed_systems(*, user: User, now: datetime | None = None) -> list[InformationSystem]:
    """Return approved systems their department has not re-confirmed within the period.

    A system nobody vouches for each year is a zombie candidate even if it still feeds the
    catalog; the report lists them beside the zombie systems.
    """
    if not can_view_city_evaluation(user):
        raise PermissionDenied(_("Only the platform coordinator sees the zombie systems."))
    return list(systems_unconfirmed(now))
