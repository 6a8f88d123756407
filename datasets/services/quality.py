"""Quality profile of a dataset version: computed in the database, stored in ``VersionQuality``.

The profile is one aggregate query over the version's rows (every item's filled and valid
counts, minimum and maximum, and the rows with a key), one hashed DISTINCT count per item and for
the key, and one grouped query per item whose most frequent values are worth showing: a number of
queries set by the items, never by the rows. Rows never travel to Python: the values are read
out of the JSON row with the database's own JSON functions (``data ->> i`` on PostgreSQL,
``json_extract(data, '$[i]')`` on SQLite). docs/data-quality.md defines every figure and the score.

Table and column names come from the model's metadata and item positions are integers this
module computes; every value (version id, date bounds) travels as a parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.services import record
from catalog.models import CodeListEntry, DataItem, Resource
from sharing.services.notifications import resource_quality_drop_notify

from ..models import DatasetRow, DatasetVersion, VersionQuality
from ..selectors.history import CYCLE_DAYS

NUMERIC_TYPES = {"N", "Y", "B", "I", "F"}
DATE_TYPES = {"D", "T"}
# Citizen ID (GB 11643): weights 2**(17-i) mod 11; check character indexed by the sum mod 11.
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK = "10X98765432"
# USCC (GB 32100): characters valued by their place in the alphabet, weights 3**i mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
TOP_VALUES = 5
TOP_VALUE_CHARS = 50
# The score's weights (docs/data-quality.md): they sum to 100.
WEIGHTS = {"completeness": 40, "validity": 30, "uniqueness": 15, "timeliness": 15}


def top_max_distinct() -> int:
    """Items with more distinct values than this get no "most frequent values" (a list of
    near-unique values says nothing and costs a grouped scan)."""
    return int(getattr(settings, "PORTAL_QUALITY_TOP_MAX_DISTINCT", 1000))


def drop_threshold() -> int:
    """Score points a new version may lose before its audience is warned."""
    return int(getattr(settings, "PORTAL_QUALITY_DROP_POINTS", 10))


def completeness_drop_threshold() -> float:
    """Completeness (0–1) an item may lose before the new version counts as worse."""
    return float(getattr(settings, "PORTAL_QUALITY_COMPLETENESS_DROP", 0.05))


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _value(position: int) -> str:
    if _pg():
        return f"(data ->> {int(position)})"
    return f"json_extract(data, '$[{int(position)}]')"


def _shape(column: str, first: str, rest: str, first_count: int, rest_count: int) -> str:
    """SQL: ``first_count`` characters of the class ``first``, then ``rest_count`` of ``rest``.

    PostgreSQL deletes the allowed characters with translate() (a regular expression costs more
    than the whole check-digit sum); SQLite matches a GLOB pattern.
    """
    if _pg():
        allowed = {"[0-9]": "0123456789", "[0-9X]": "0123456789X"}.get(rest, USCC_ALPHABET)
        return (
            f"(length({column}) = {first_count + rest_count} "
            f"AND translate(substr({column}, 1, {first_count}), '0123456789', '') = '' "
            f"AND translate(substr({column}, {first_count + 1}), '{allowed}', '') = '')"
        )
    return f"{column} GLOB '{first * first_count}{rest * rest_count}'"


def _citizen_id_number(column: str) -> str:
    """SQL: the ID number's first 17 digits as one integer, NULL unless it has the ID's shape."""
    shape = _shape(column, "[0-9]", "[0-9X]", 17, 1)
    return f"CASE WHEN {shape} THEN CAST(substr({column}, 1, 17) AS BIGINT) END"


def _citizen_id_valid(column: str, number: str) -> str:
    """SQL: the GB 11643 check character of an ID number, given ``_citizen_id_number``.

    The digits come out of the one integer by division: several times cheaper, on PostgreSQL,
    than cutting seventeen one-character strings.
    """
    total = " + ".join(
        f"{w} * (({number} / {10 ** (16 - i)}) %% 10)" for i, w in enumerate(RIC_WEIGHTS)
    )
    check = f"substr('{RIC_CHECK}', CAST(({total}) %% 11 AS INTEGER) + 1, 1)"
    return f"{number} IS NOT NULL AND substr({column}, 18, 1) = {check}"


def _uscc_valid(column: str) -> str:
    """SQL: the value has the shape and check character of a GB 32100 credit code."""
    find = "strpos" if _pg() else "instr"

    def value(place: int) -> str:
        return f"({find}('{USCC_ALPHABET}', substr({column}, {place}, 1)) - 1)"

    total = " + ".join(f"{w} * {value(i + 1)}" for i, w in enumerate(USCC_WEIGHTS))
    shape = _shape(column, "[0-9]", "[0-9A-HJ-NP-RTUWXY]", 8, 10)
    return f"CASE WHEN {shape} THEN {value(18)} = (31 - ({total}) %% 31) %% 31 ELSE 0 = 1 END"


def _date_valid(column: str, data_type: str) -> str:
    """SQL: the date (or the date part of a date and time) lies in the sane range (params)."""
    day = column if data_type == "D" else f"substr({column}, 1, 10)"
    return f"{day} BETWEEN %s AND %s"


def date_range(today: dt.date) -> tuple[str, str]:
    """Return the sane range of dates: from 1900 to one year ahead (planned dates)."""
    earliest = int(getattr(settings, "PORTAL_QUALITY_EARLIEST_YEAR", 1900))
    return f"{earliest:04d}-01-01", today.replace(
        year=today.year + 1, day=min(today.day, 28)
    ).isoformat()


def _in_code_list(column: str) -> str:
    """SQL: the value is one of the code list's active codes (the list's id is a parameter).

    A correlated EXISTS on the entries' (code_list, value) unique index: one index probe per
    value, and no code ever travels to Python.
    """
    entries = connection.ops.quote_name(CodeListEntry._meta.db_table)
    return (
        f"EXISTS (SELECT 1 FROM {entries} AS e WHERE e.code_list_id = %s "  # noqa: S608
        f"AND e.value = {column} AND e.active = %s)"
    )


def _rule(item: DataItem, column: str, today: dt.date) -> tuple[str, list[Any]] | None:
    """Return the item's validity rule as SQL over ``column`` with its parameters, or None if
    it has none. An item with a code list also needs each value to be one of its codes."""
    parts: list[str] = []
    params: list[Any] = []
    if item.kind == DataItem.Kind.ID_NUMBER:
        parts.append(_citizen_id_valid(column, f"n_{column}"))
    elif item.kind == DataItem.Kind.USCC:
        parts.append(_uscc_valid(column))
    elif item.data_type in DATE_TYPES:
        parts.append(_date_valid(column, item.data_type))
        params += list(date_range(today))
    if item.code_list_id is not None:
        parts.append(_in_code_list(column))
        params += [item.code_list_id, True]
    if not parts:
        return None
    return " AND ".join(f"({part})" for part in parts), params


@dataclass
class _Column:
    name: str
    position: int
    item: DataItem | None


def _columns(version: DatasetVersion) -> list[_Column]:
    items = {i.name: i for i in DataItem.objects.filter(resource_id=version.resource_id)}
    return [_Column(name, p, items.get(name)) for p, name in enumerate(version.columns)]


def profile_sql(
    version: DatasetVersion, columns: list[_Column], today: dt.date
) -> tuple[str, list[Any]]:
    """Return the one aggregate query of the profile and its parameters."""
    table = connection.ops.quote_name(DatasetRow._meta.db_table)
    selects = ["COUNT(*)", "COUNT(key)"]
    params: list[Any] = []
    inner = ["key"]
    middle = ["t.*"]
    for c in columns:
        v = f"v{c.position}"
        inner.append(f"NULLIF({_value(c.position)}, '') AS {v}")
        if c.item is not None and c.item.kind == DataItem.Kind.ID_NUMBER:
            middle.append(f"{_citizen_id_number(v)} AS n_{v}")
        selects.append(f"COUNT({v})")
        rule = _rule(c.item, v, today) if c.item is not None else None
        if rule is not None:
            condition, rule_params = rule
            selects.append(f"SUM(CASE WHEN {v} IS NOT NULL AND ({condition}) THEN 1 ELSE 0 END)")
            params += rule_params
        else:
            selects.append("NULL")
        item_type = c.item.data_type if c.item is not None else ""
        if item_type in NUMERIC_TYPES:
            number = "DOUBLE PRECISION" if _pg() else "REAL"
            selects += [f"MIN(CAST({v} AS {number}))", f"MAX(CAST({v} AS {number}))"]
        elif item_type in DATE_TYPES:
            selects += [f"MIN({v})", f"MAX({v})"]
        else:
            selects += ["NULL", "NULL"]
    # OFFSET 0 keeps PostgreSQL from folding the inner query into the outer one, which would
    # read each value out of the JSON row again for every one of its references.
    fence = " OFFSET 0" if _pg() else ""
    sql = (
        f"SELECT {', '.join(selects)} FROM (SELECT {', '.join(middle)} FROM "  # noqa: S608
        f"(SELECT {', '.join(inner)} FROM {table} WHERE version_id = %s{fence}) AS t{fence}) AS u"
    )
    # The version id is the innermost query's parameter, the rules' (date bounds, code lists)
    # the outer ones': the outer select list comes first in the statement.
    return sql, [*params, version.pk]


def _distinct(version: DatasetVersion, expression: str) -> int:
    """Return the number of distinct non-empty values of the expression in the version.

    One query per item, each a hashed DISTINCT: a COUNT(DISTINCT ...) per item in the aggregate
    query would sort every item's values in turn, several times slower on a million rows.
    """
    table = connection.ops.quote_name(DatasetRow._meta.db_table)
    sql = (
        f"SELECT COUNT(*) FROM (SELECT DISTINCT NULLIF({expression}, '') AS v FROM {table} "  # noqa: S608
        "WHERE version_id = %s) AS t WHERE v IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk])
        return int(cursor.fetchone()[0])


def _top_values(version: DatasetVersion, column: _Column) -> list[list[Any]]:
    table = connection.ops.quote_name(DatasetRow._meta.db_table)
    sql = (
        f"SELECT v, COUNT(*) AS n FROM (SELECT NULLIF({_value(column.position)}, '') AS v "  # noqa: S608
        f"FROM {table} WHERE version_id = %s) AS t WHERE v IS NOT NULL "
        "GROUP BY v ORDER BY n DESC, v LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk, TOP_VALUES])
        return [[str(value)[:TOP_VALUE_CHARS], int(n)] for value, n in cursor.fetchall()]


def _shows_values(item: DataItem | None, filled: int, distinct: int) -> bool:
    """Return whether the item's most frequent values go into the profile.

    Never for personal items (no personal value is stored in a profile); only for codes and
    short texts (character and logical items; numbers and dates have their extremes), and only
    where values repeat (all distinct, as in a key, says nothing) and are few enough to list.
    """
    return (
        item is not None
        and item.kind == DataItem.Kind.NONE
        and item.data_type in ("C", "L")
        and 0 < distinct < filled
        and distinct <= top_max_distinct()
    )


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _on_cycle(version: DatasetVersion, resource: Resource) -> bool | None:
    """Return whether the version came within the cycle after the one before it."""
    days = CYCLE_DAYS.get(resource.update_cycle)  # type: ignore[call-overload]
    if not days:
        return None
    previous = (
        DatasetVersion.objects.filter(resource_id=version.resource_id, number__lt=version.number)
        .exclude(status__in=[DatasetVersion.Status.BUILDING, DatasetVersion.Status.FAILED])
        .order_by("-number")
        .values_list("created_at", flat=True)
        .first()
    )
    if previous is None:
        return None
    return version.created_at - previous <= dt.timedelta(days=days)


def quality_score(
    *, completeness: float, validity: float | None, uniqueness: float | None, on_cycle: bool | None
) -> int:
    """Return the 0–100 score: a weighted mean of the four measures (docs/data-quality.md).

    A measure that does not apply (no item with a validity rule, no key item, no cycle or no
    earlier version) counts as full marks, so it neither rewards nor penalises.
    """
    parts = {
        "completeness": completeness,
        "validity": 1.0 if validity is None else validity,
        "uniqueness": 1.0 if uniqueness is None else uniqueness,
        "timeliness": 1.0 if on_cycle is None else float(on_cycle),
    }
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    return max(0, min(100, round(total)))


def version_profile_compute(
    *, version: DatasetVersion, today: dt.date | None = None
) -> dict[str, Any]:
    """Return the version's profile figures (not stored), computed in the database."""
    today = today or timezone.localdate()
    columns = _columns(version)
    sql, params = profile_sql(version, columns, today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    rows, keyed = int(row[0]), int(row[1])
    # The (version, key) unique index makes every present key distinct: no query needed.
    distinct_keys = keyed
    items = []
    for index, c in enumerate(columns):
        filled, valid, low, high = row[2 + 4 * index : 6 + 4 * index]
        distinct = _distinct(version, _value(c.position)) if filled else 0
        entry: dict[str, Any] = {
            "name": c.name,
            "filled": int(filled),
            "completeness": round(filled / rows, 4) if rows else 0.0,
            "distinct": int(distinct),
            "checked": valid is not None,
            "valid": None if valid is None else int(valid),
            "validity": None
            if valid is None
            else (round(int(valid) / filled, 4) if filled else 1.0),
            "min": _number(low),
            "max": _number(high),
            "top": [],
        }
        if _shows_values(c.item, int(filled), int(distinct)):
            entry["top"] = _top_values(version, c)
        items.append(entry)
    completeness = round(sum(i["completeness"] for i in items) / len(items), 4) if items else 0.0
    checked = [i for i in items if i["checked"] and i["filled"]]
    validity = (
        round(sum(i["valid"] for i in checked) / sum(i["filled"] for i in checked), 4)
        if checked
        else None
    )
    uniqueness = round(distinct_keys / rows, 4) if version.key_columns and rows else None
    return {
        "row_count": rows,
        "completeness": completeness,
        "validity": validity,
        "uniqueness": uniqueness,
        "duplicate_keys": keyed - distinct_keys,
        "missing_keys": rows - keyed if version.key_columns else 0,
        "items": items,
    }


def _worse(new: VersionQuality, old: VersionQuality) -> list[str] | None:
    """Return the items whose completeness fell, or None if the new version is not worse."""
    before = {i["name"]: i["completeness"] for i in old.items}
    fell = [
        i["name"]
        for i in new.items
        if i["name"] in before
        and before[i["name"]] - i["completeness"] > completeness_drop_threshold()
    ]
    if fell or old.score - new.score > drop_threshold():
        return fell
    return None


def version_profile(*, version_id: int) -> VersionQuality | None:
    """Profile the version, store the result, and warn if it is worse than the previous one.

    Returns None when the version is gone or no longer active (a newer one replaced it before
    the worker came to it: profiling it would warn about data nobody receives any more).
    """
    version = (
        DatasetVersion.objects.select_related("resource")
        .filter(pk=version_id, status=DatasetVersion.Status.ACTIVE)
        .first()
    )
    if version is None:
        return None
    figures = version_profile_compute(version=version)
    resource = version.resource
    on_cycle = _on_cycle(version, resource)
    score = quality_score(
        completeness=figures["completeness"],
        validity=figures["validity"],
        uniqueness=figures["uniqueness"],
        on_cycle=on_cycle,
    )
    with transaction.atomic():
        # Rows appended in place profile the version again (services.versions.profile_queue):
        # its earlier profile decides whether the drop is news.
        earlier = VersionQuality.objects.select_for_update().filter(version=version).first()
        quality, _created = VersionQuality.objects.update_or_create(
            version=version,
            defaults={
                **figures,
                "score": score,
                "on_cycle": on_cycle,
                "profiled_at": timezone.now(),
            },
        )
        previous = (
            VersionQuality.objects.filter(
                version__resource_id=resource.pk, version__number__lt=version.number
            )
            .order_by("-version__number")
            .first()
        )
        record(
            actor=None,
            action="data.quality_profile",
            obj=resource,
            details={"version": version.number, "score": score, "again": earlier is not None},
        )
        if previous is None:
            return quality
        fell = _worse(quality, previous)
        # A version already worse before the append was announced then: warn once per drop.
        if fell is not None and (earlier is None or _worse(earlier, previous) is None):
            record(
                actor=None,
                action="data.quality_drop",
                obj=resource,
                details={
                    "version": version.number,
                    "score": score,
                    "previous_score": previous.score,
                    "items": fell,
                },
            )
            resource_quality_drop_notify(
                resource=resource,
                version_number=version.number,
                score=score,
                previous_score=previous.score,
                items=fell,
            )
    return quality
