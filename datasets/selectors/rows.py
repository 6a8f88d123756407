"""Reads of dataset rows: pages, key lookups, exports in chunks and verification.

Every function starts from the access policy (``datasets.selectors.access.data_access``): the
columns a user gets are the readable items, personal items masked unless delivered in clear, and
a grant's row scope keeps only rows whose region code starts with the scope. Every read is
written to the audit trail.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Max, QuerySet, TextField
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from catalog.models import Resource
from kernel.compiled import CompiledQuery, Param
from kernel.db import generic_plans
from kernel.errors import RuleViolation

from ..models import DatasetRow, DatasetVersion
from ..validation import KEY_SEPARATOR, BadValue, converter_for, region_item_name
from .access import Access, data_access, projection_for


@dataclass
class RowPage:
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    next_cursor: str | None = None
    version: int | None = None

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


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
    """Return the row with the whole key if it is within the access's row scope.

    With its generic plan (``kernel.db.generic_plans``): planned for its values, the probe of
    a version loaded since the table was last analysed (the statistics do not know the
    version, so it looks like a handful of rows) read the version's page index and filtered
    every row by key, 200 ms for a million rows, where the unique index answers in 0.06 ms.
    """
    if not _in_scope(access, version):
        return None
    with generic_plans():  # the compiled probes run on the default database
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
    projection = projection_for(access, version)
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


@dataclass
class RowsExport:
    """What a download may hold, decided once: the columns, the row count, the rows in chunks.

    ``count`` and ``last_id`` are read when the download is decided; ``batches`` gives the rows
    within that decision (the same readable items, masking and row scope, the rows that existed
    then) and never more than ``count`` of them, however long the download takes.
    """

    columns: list[str]
    access: Access
    count: int = 0
    last_id: int = 0
    batches: Iterator[list[list[Any]]] = field(default_factory=lambda: iter(()))


def dataset_rows_export(
    *, user: User, resource: Resource, filters: Mapping[str, Any] | None = None, chunk: int = 2000
) -> RowsExport:
    """Return the readable rows of a download: counted now, read in chunks later (no audit).

    One query counts the rows (and finds the last one's id) when this is called; the chunks are
    read by id, one query each, as they are asked for.
    """
    access = data_access(user=user, resource=resource)
    version = access.version
    projection = projection_for(access, version)
    if version is None or not projection.names:
        return RowsExport(projection.names, access)
    # The primary, as the version and the streamed chunks: a count from a lagging replica
    # would miss a new version's rows, and the download would be cut to it.
    rows = _filtered(_scoped(access, version), version, _wanted(access, version, filters or {}))
    rows = rows.using(DEFAULT_DB_ALIAS)
    found = rows.aggregate(count=Count("id"), last=Max("id"))
    count, last_id = found["count"], found["last"] or 0
    rows = rows.filter(id__lte=last_id)

    def batches() -> Iterator[list[list[Any]]]:
        after, left = 0, count
        while left > 0:
            fetched = list(
                rows.filter(id__gt=after)
                .order_by("id")
                .values_list("id", "data")[: min(chunk, left)]
            )
            if not fetched:
                return
            after, left = fetched[-1][0], left - len(fetched)
            yield [projection.apply(data) for _id, data in fetched]

    return RowsExport(projection.names, access, count, last_id, batches())


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
            raise RuleViolation(_("Unknown item “%(name)s”.") % {"name": name})
    version = access.version
    stored: list[Any] | None = None
    if version is not None:
        key_names = version.key_columns
        if not key_names or any(name not in readable for name in key_names):
            raise RuleViolation(_("This resource cannot be verified with the items you may read."))
        for name in keys:
            if name not in key_names:
                raise RuleViolation(
                    _("Only key items can be filtered; “%(name)s” is not one.") % {"name": name}
                )
        missing = [name for name in key_names if name not in keys]
        if missing:
            raise RuleViolation(
                _("Give every key item: %(names)s.") % {"names": "、".join(missing)}
            )
        parts = []
        for name in key_names:
            item = access.item_named(name)
            assert item is not None
            try:
                parts.append(converter_for(item)(keys[name]) or "")
            except BadValue as exc:
                raise RuleViolation(f"{name}: {exc}") from None
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
