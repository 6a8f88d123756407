"""A resource's activity: its change history, read from the audit trail within the reader's view.

Exactly those who see the catalog entry see its activity (question 1 of the access model); an
edit whose version is above the reader's clearance is absent, as in the version history; the
provider department and the coordinator see who made each change, everyone else the department.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import User
from audit.models import AuditEvent

from .. import policies
from ..activity import activity_actions, activity_describe
from ..models import Resource, ResourceVersion
from ..versions import VersionDiff, snapshot_diff


@dataclass
class ActivityEntry:
    """One change of a resource as the reader may see it."""

    id: int  # the audit event's sequence number: the key of the keyset pages
    at: datetime
    action: str
    summary: str
    lines: list[str] = field(default_factory=list)
    department: str = ""
    actor: str | None = None  # None: not shown to this reader
    version: int | None = None
    diff: VersionDiff | None = None


def resource_activity_events(*, user: User, resource: Resource) -> QuerySet[AuditEvent]:
    """Return the audit events that make up the resource's activity for the user, unordered.

    Empty for a user who may not see the entry; callers page it by ``sequence`` (newest first)
    and turn a page into entries with ``resource_activity_entries``.
    """
    if not policies.can_view_resource(user, resource):
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(
            object_type=Resource._meta.label_lower,
            object_id=str(resource.pk),
            result=AuditEvent.Result.SUCCESS,
            action__in=activity_actions(),
        )
        .filter(policies.activity_within_q(user))
        .select_related("department")
    )


def _version_of(event: AuditEvent) -> int | None:
    if event.action != "resource.update":
        return None
    number = event.details.get("version") if isinstance(event.details, dict) else None
    return number if isinstance(number, int) else None


def _diffs(user: User, resource: Resource, numbers: Sequence[int]) -> dict[int, VersionDiff]:
    """Return, per version number on the page, what changed since the previous visible version.

    Two queries whatever the page holds: the page's versions with the number of the version
    before each that the user may see, then the snapshots of both; and one for related codes.
    """
    if not numbers:
        return {}
    visible = ResourceVersion.objects.filter(resource=resource, level__lte=user.clearance)
    previous = visible.filter(number__lt=OuterRef("number")).order_by("-number").values("number")
    pairs = dict(
        visible.filter(number__in=list(numbers))
        .annotate(previous=Subquery(previous[:1]))
        .values_list("number", "previous")
    )
    wanted = set(pairs) | {p for p in pairs.values() if p is not None}
    snapshots = dict(visible.filter(number__in=sorted(wanted)).values_list("number", "snapshot"))
    # SECURITY: a snapshot names related resources by code; codes the user may not see are
    # dropped before anything is compared, as in the version history.
    codes = {code for snap in snapshots.values() for code in snap.get("related", [])}
    shown = set(
        Resource.objects.filter(policies.resources_visible_q(user), code__in=sorted(codes))
        .values_list("code", flat=True)
        .order_by()
    )
    for number, snap in snapshots.items():
        snapshots[number] = {**snap, "related": [c for c in snap.get("related", []) if c in shown]}
    return {
        number: snapshot_diff(snapshots[before], snapshots[number])
        for number, before in pairs.items()
        if before is not None and number in snapshots and before in snapshots
    }


def resource_activity_entries(
    *, user: User, resource: Resource, events: Iterable[AuditEvent]
) -> list[ActivityEntry]:
    """Turn a page of ``resource_activity_events`` into what the reader sees, in its order."""
    events = list(events)
    insider = policies.can_see_activity_actors(user, resource)
    diffs = _diffs(user, resource, [n for n in map(_version_of, events) if n is not None])
    entries = []
    for event in events:
        details = event.details if isinstance(event.details, dict) else {}
        text = activity_describe(event.action, details, insider)
        version = _version_of(event)
        entries.append(
            ActivityEntry(
                id=event.sequence,
                at=event.created_at,
                action=event.action,
                summary=text.summary,
                lines=text.lines,
                department=event.department.name if event.department else "",
                actor=(event.actor_username or "") if insider else None,
                version=version,
                diff=diffs.get(version) if version is not None else None,
            )
        )
    return entries
