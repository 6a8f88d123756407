"""Reads of dataset rows: queries, exports, verification, and who read a provider's data.

Every function starts from the access policy: a user who may not read the resource's data gets
Http404 (it does not exist for them). The columns they get are the readable items
(``sharing.policies.readable_items``: granted, within clearance); personal items are masked unless the
user's department provides the resource or its grant lists the item as clear; a grant's row scope
keeps only rows whose region code starts with the scope. Every read is written to the audit trail.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet, TextField
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEvent
from audit.policies import can_see_reads_of_department
from audit.services import record
from catalog import policies as catalog_policies
from catalog.models import DataItem, Resource, ShareType, UpdateCycle
from kernel.compiled import CompiledQuery, Param
from sharing import policies
from sharing.models import Grant

from .masking import masker_for
from .models import DatasetRow, DatasetVersion, ImportJob
from .validation import KEY_SEPARATOR, BadValue, converter_for, region_item_name

READ_ACTIONS = ("data.read", "data.download", "data.verify")


@dataclass
class Access:
    """What one user may get from one resource's data."""

    items: list[DataItem]
    grant_id: int | None
    clear_item_ids: set[int]
    row_scope: str
    version: DatasetVersion | None = None

    def item_named(self, name: str) -> DataItem | None:
        return next((item for item in self.items if item.name == name), None)


@dataclass
class Projection:
    """The readable, masked columns of one stored version."""

    names: list[str]
    positions: list[int]
    maskers: list[Callable[[str | None], str | None] | None]

    def apply(self, data: list[Any]) -> list[Any]:
        return [
            mask(data[p]) if mask else data[p]
            for p, mask in zip(self.positions, self.maskers, strict=True)
        ]


@dataclass
class RowPage:
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    next_cursor: str | None = None
    version: int | None = None

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _items_query(granted: bool) -> QuerySet[DataItem]:
    items = DataItem.objects.filter(resource_id=Param("resource"))
    if not granted:  # the provider's own data, or an unconditional resource
        return items.filter(catalog_policies.items_within_q(Param("clearance"))).order_by(
            "position", "id"
        )
    # The granted items and, in the same query, whether the grant delivers each in clear.
    clear_rows = Grant.clear_items.through.objects.filter(
        grant_id=Param("grant"), dataitem_id=OuterRef("pk")
    )
    return (
        items.filter(catalog_policies.items_within_q(Param("clearance"), Param("grant")))
        .annotate(clear=Exists(clear_rows))
        .order_by("position", "id")
    )


def resources_readable_by(*, user: User) -> QuerySet[Resource]:
    """Return the resources whose data the user may read."""
    return Resource.objects.filter(policies.resources_readable_q(user))


def resource_items_readable(*, user: User, resource: Resource) -> list[DataItem]:
    """Return the data items of the resource the user may read."""
    return policies.readable_items(user, resource)


class DataAccess(StrEnum):
    """What the viewer can do about the resource's data."""

    OWN = "own"  # the viewer's department provides it
    UNCONDITIONAL = "unconditional"
    GRANTED = "granted"
    REQUEST = "request"  # conditional: apply for a grant
    NOT_SHARED = "not_shared"  # with its legal basis
    UNAVAILABLE = "unavailable"  # not published (draft, under review, retired)


def data_access_state(*, user: User, resource: Resource) -> tuple[DataAccess, policies.DataRead]:
    """Return what the viewer of a visible resource can do about its data, and the read decision.

    The decision is ``policies.data_read(user, resource)`` (its grant, if one is used), so a
    caller asking further rules that rest on it does not look the grant up again.
    """
    if resource.status != Resource.Status.PUBLISHED:
        return DataAccess.UNAVAILABLE, policies.DataRead(False)
    if user.department_id is not None and resource.provider_id == user.department_id:
        return DataAccess.OWN, policies.DataRead(True)
    if resource.share_type == ShareType.UNCONDITIONAL:
        return DataAccess.UNCONDITIONAL, policies.DataRead(True)
    decision = policies.data_read(user, resource)
    if decision.allowed:
        return DataAccess.GRANTED, decision
    if resource.share_type == ShareType.CONDITIONAL:
        return DataAccess.REQUEST, decision
    return DataAccess.NOT_SHARED, decision


# A key lookup's queries, compiled once: building them cost the ORM more Python time than the
# database took to answer them (docs/performance.md).
_ACTIVE_VERSION = CompiledQuery(
    lambda: DatasetVersion.objects.filter(
        resource_id=Param("resource"), status=DatasetVersion.Status.ACTIVE
    ).order_by("-pk")[:1]
)
_ITEMS = CompiledQuery(lambda: _items_query(granted=False))
_GRANTED_ITEMS = CompiledQuery(lambda: _items_query(granted=True))


def data_access(*, user: User, resource: Resource) -> Access:
    """Return what the user may read of the resource's data; Http404 if nothing."""
    decision = policies.data_read(user, resource)
    if not decision.allowed:
        raise Http404
    versions = _ACTIVE_VERSION(resource=resource.pk)
    version = versions[0] if versions else None
    grant = decision.grant
    if grant is None:
        # The provider's own data (its staff see it as stored, within clearance), or an
        # unconditional resource (no grant, nothing in clear).
        items = _ITEMS(resource=resource.pk, clearance=user.clearance)
        if not items and resource.level > user.clearance:  # every item is above the clearance
            raise Http404
        own = user.department_id is not None and resource.provider_id == user.department_id
        return Access(items, None, {item.pk for item in items} if own else set(), "", version)
    items = _GRANTED_ITEMS(resource=resource.pk, clearance=user.clearance, grant=grant.pk)
    if not items and resource.level > user.clearance:  # the granted items are all above it
        raise Http404
    clear = {item.pk for item in items if item.clear}  # type: ignore[attr-defined]
    return Access(items, grant.pk, clear, grant.row_scope_region, version)


def _projection(access: Access, version: DatasetVersion | None) -> Projection:
    stored = version.columns if version is not None else [i.name for i in access.items]
    names, positions, maskers = [], [], []
    for item in access.items:
        if item.name not in stored:
            continue  # an item added after this version was stored
        names.append(item.name)
        positions.append(stored.index(item.name))
        maskers.append(None if item.pk in access.clear_item_ids else masker_for(item.kind))
    return Projection(names, positions, maskers)


def _in_scope(access: Access, version: DatasetVersion) -> bool:
    """Return whether any row of the version can be within the access's row scope."""
    # SECURITY: a scoped grant on data without a region column sees nothing, never all.
    return not access.row_scope or region_item_name() in version.columns


def _rows_of(version_id: Any, scope: Any = None) -> QuerySet[DatasetRow]:
    """Return a version's rows, those within a region-code prefix if one is given.

    The arguments are values, or ``Param`` placeholders for the compiled key probes.
    """
    rows = DatasetRow.objects.filter(version_id=version_id)
    return rows if scope is None else rows.filter(region__startswith=scope)


def _scoped(access: Access, version: DatasetVersion) -> QuerySet[DatasetRow]:
    if not _in_scope(access, version):
        return DatasetRow.objects.none()
    return _rows_of(version.pk, access.row_scope or None)


# The probe of the (version, key) unique index behind every key lookup, compiled once.
_KEY_ROW = CompiledQuery(
    lambda: _rows_of(Param("version")).filter(key=Param("key", TextField())).only("data")
)
_KEY_ROW_IN_SCOPE = CompiledQuery(
    lambda: (
        _rows_of(Param("version"), Param("scope", TextField()))
        .filter(key=Param("key", TextField()))
        .only("data")
    )
)


def _row_by_key(access: Access, version: DatasetVersion, key: str) -> DatasetRow | None:
    """Return the row with the whole key if it is within the access's row scope."""
    if not _in_scope(access, version):
        return None
    if access.row_scope:
        found = _KEY_ROW_IN_SCOPE(version=version.pk, key=key, scope=access.row_scope)
    else:
        found = _KEY_ROW(version=version.pk, key=key)
    return found[0] if found else None


def _wanted(access: Access, version: DatasetVersion, filters: Mapping[str, Any]) -> dict[str, str]:
    """Return the exact-match filters as stored values; other items are refused clearly."""
    wanted: dict[str, str] = {}
    for name, raw in filters.items():
        item = access.item_named(name)
        # SECURITY: an item the user may not read gets the same answer as one that does not exist.
        if item is None or name not in version.columns:
            raise ValidationError(_("Unknown item “%(name)s”.") % {"name": name})
        if not item.is_key:
            raise ValidationError(
                _("Only key items can be filtered; “%(name)s” is not one.") % {"name": name}
            )
        try:
            value = converter_for(item)(raw)
        except BadValue as exc:
            raise ValidationError(f"{name}: {exc}") from None
        if value is None:
            raise ValidationError(_("Give a value for “%(name)s”.") % {"name": name})
        wanted[name] = value
    return wanted


def _whole_key(version: DatasetVersion, wanted: Mapping[str, str]) -> str | None:
    """Return the stored key if the filters give every key item (and nothing else)."""
    key_names = version.key_columns
    if key_names and set(wanted) == set(key_names):
        return KEY_SEPARATOR.join(wanted[n] for n in key_names)
    return None


def _filtered(
    rows: QuerySet[DatasetRow], version: DatasetVersion, wanted: Mapping[str, str]
) -> QuerySet[DatasetRow]:
    if (
        key := _whole_key(version, wanted)
    ) is not None:  # one probe of the (version, key) unique index
        return rows.filter(key=key)
    for name, value in wanted.items():
        rows = rows.filter(**{f"data__{version.columns.index(name)}": value})
    return rows


def _cursor_encode(version: DatasetVersion, row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{version.pk}:{row_id}".encode()).decode().rstrip("=")


def _cursor_decode(cursor: str, version: DatasetVersion) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version_id, row_id = base64.urlsafe_b64decode(padded).decode().split(":")
        version_pk, row = int(version_id), int(row_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(_("The page cursor is not valid.")) from None
    if version_pk != version.pk:
        raise ValidationError(
            _("The data was replaced since this page; start from the first page.")
        )
    return row


def page_max() -> int:
    return int(getattr(settings, "PORTAL_DATA_PAGE_MAX", 1000))


def read_record(
    user: User,
    action: str,
    resource: Resource,
    access: Access,
    names: list[str],
    rows: int,
    **extra: Any,
) -> None:
    record(
        actor=user,
        action=action,
        obj=resource,
        details={
            "provider": resource.provider_id,
            "items": names,
            "rows": rows,
            "grant": access.grant_id,
            **extra,
        },
    )


def dataset_rows_for(
    *,
    user: User,
    resource: Resource,
    filters: Mapping[str, Any] | None = None,
    after: str | None = None,
    limit: int = 100,
) -> RowPage:
    """Return one page of the rows the user may read, masked, with the cursor of the next page."""
    access = data_access(user=user, resource=resource)
    version = access.version
    projection = _projection(access, version)
    try:
        limit = max(1, min(int(limit), page_max()))
    except (TypeError, ValueError):
        raise ValidationError(_("The page size must be a whole number.")) from None
    page = RowPage(columns=projection.names, version=version.number if version else None)
    if version is not None and projection.names:
        wanted = _wanted(access, version, filters or {})
        key = _whole_key(version, wanted)
        if key is not None and not after:
            # A key lookup: at most one row (the key is unique within a version).
            row = _row_by_key(access, version, key)
            fetched = [(row.pk, row.data)] if row is not None else []
        else:
            rows = _filtered(_scoped(access, version), version, wanted)
            if after:
                rows = rows.filter(id__gt=_cursor_decode(after, version))
            fetched = list(rows.order_by("id").values_list("id", "data")[: limit + 1])
        page.rows = [projection.apply(data) for _id, data in fetched[:limit]]
        if len(fetched) > limit:
            page.next_cursor = _cursor_encode(version, fetched[limit - 1][0])
    read_record(
        user, "data.read", resource, access, projection.names, len(page.rows), format="json"
    )
    return page


def dataset_row_batches(
    *, user: User, resource: Resource, filters: Mapping[str, Any] | None = None, chunk: int = 2000
) -> tuple[list[str], Iterator[list[list[Any]]], Access]:
    """Return the column names and an iterator over all readable rows, in chunks (no audit)."""
    access = data_access(user=user, resource=resource)
    version = access.version
    projection = _projection(access, version)
    if version is None or not projection.names:
        return projection.names, iter(()), access
    rows = _filtered(_scoped(access, version), version, _wanted(access, version, filters or {}))

    def batches() -> Iterator[list[list[Any]]]:
        last = 0
        while True:
            fetched = list(
                rows.filter(id__gt=last).order_by("id").values_list("id", "data")[:chunk]
            )
            if not fetched:
                return
            last = fetched[-1][0]
            yield [projection.apply(data) for _id, data in fetched]

    return projection.names, batches(), access


def dataset_verify(
    *,
    user: User,
    resource: Resource,
    keys: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Answer whether a record with the key exists and whether the given values match it.

    No value is returned: only yes/no per item, and only for items the user may read.
    """
    access = data_access(user=user, resource=resource)
    values = values or {}
    readable = {item.name for item in access.items}
    for name in [*keys, *values]:
        if name not in readable:
            raise ValidationError(_("Unknown item “%(name)s”.") % {"name": name})
    version = access.version
    stored: list[Any] | None = None
    if version is not None:
        key_names = version.key_columns
        if not key_names or any(name not in readable for name in key_names):
            raise ValidationError(
                _("This resource cannot be verified with the items you may read.")
            )
        for name in keys:
            if name not in key_names:
                raise ValidationError(
                    _("Only key items can be filtered; “%(name)s” is not one.") % {"name": name}
                )
        missing = [name for name in key_names if name not in keys]
        if missing:
            raise ValidationError(
                _("Give every key item: %(names)s.") % {"names": "、".join(missing)}
            )
        parts = []
        for name in key_names:
            item = access.item_named(name)
            assert item is not None
            try:
                parts.append(converter_for(item)(keys[name]) or "")
            except BadValue as exc:
                raise ValidationError(f"{name}: {exc}") from None
        row = _row_by_key(access, version, KEY_SEPARATOR.join(parts))
        stored = row.data if row is not None else None
    matches: dict[str, bool] = {}
    for name, given in values.items():
        checked = access.item_named(name)
        assert checked is not None
        if stored is None or version is None or name not in version.columns:
            matches[name] = False
            continue
        try:
            normalised = converter_for(checked)(given)
        except BadValue:
            normalised = None if given in (None, "") else f"\x00{given}"  # cannot match
        matches[name] = normalised == stored[version.columns.index(name)]
    result = {"exists": stored is not None, "matches": matches}
    read_record(
        user,
        "data.verify",
        resource,
        access,
        [*keys, *values],
        1 if stored is not None else 0,
        format="verify",
    )
    return result


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
        action__in=READ_ACTIONS,
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
