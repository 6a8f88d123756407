"""The comparison of an item link's two dataset versions, in one SQL join per question.

Rows are ``datasets.DatasetRow``: ``data`` is a JSON list aligned with the version's
``columns``, so a value is the JSON array element at the item's position (``data->>n`` on
PostgreSQL, ``json_extract(data, '$[n]')`` on SQLite). Keys and values are compared trimmed;
an empty or missing key matches nothing. Table and column names come from the model's metadata
and positions are integers checked here: no text from a request reaches the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from datasets.models import DatasetRow

CONFLICTS_KEPT = 1000


@dataclass(frozen=True)
class Side:
    version_id: int
    key_position: int
    value_position: int


@dataclass
class Counts:
    matched: int = 0
    agreements: int = 0
    conflicts: int = 0
    gaps: int = 0
    conflict_rows: list[list[str]] = field(default_factory=list)


def _value(position: int) -> str:
    position = int(position)
    if position < 0:
        raise ValueError(position)
    if connection.vendor == "postgresql":
        return f"(data ->> {position})"
    return f"json_extract(data, '$[{position}]')"


def _side(side: Side) -> str:
    table = connection.ops.quote_name(DatasetRow._meta.db_table)
    return (
        f"SELECT TRIM({_value(side.key_position)}) AS k, "  # noqa: S608 - see the module docstring
        f"COALESCE(TRIM({_value(side.value_position)}), '') AS v "
        f"FROM {table} WHERE version_id = %s"
    )


def compare(left: Side, right: Side, *, kept: int = CONFLICTS_KEPT) -> Counts:
    """Return the counts of the join and the first ``kept`` conflicts by key, in one query.

    matched: key pairs found on both sides; agreements: both values present and equal;
    conflicts: both present and different; gaps: exactly one side empty.

    The join is a MATERIALIZED common table expression read twice (the counts, the bounded
    list): the planner cannot estimate a join on JSON expressions, and given the list's
    ``ORDER BY … LIMIT`` on its own it chose a nested loop (hours at a million rows a side).
    """
    both = "av <> '' AND bv <> ''"
    sql = (
        "WITH j AS MATERIALIZED ("  # noqa: S608 - see the module docstring
        f"SELECT a.k AS k, a.v AS av, b.v AS bv FROM ({_side(left)}) a "
        f"JOIN ({_side(right)}) b ON a.k = b.k WHERE a.k <> ''), "
        "c AS (SELECT COUNT(*) AS matched, "
        f"COALESCE(SUM(CASE WHEN {both} AND av = bv THEN 1 ELSE 0 END), 0) AS agreements, "
        f"COALESCE(SUM(CASE WHEN {both} AND av <> bv THEN 1 ELSE 0 END), 0) AS conflicts, "
        "COALESCE(SUM(CASE WHEN (av = '') <> (bv = '') THEN 1 ELSE 0 END), 0) AS gaps FROM j), "
        f"l AS (SELECT k, av, bv FROM j WHERE {both} AND av <> bv ORDER BY k LIMIT %s) "
        "SELECT c.matched, c.agreements, c.conflicts, c.gaps, l.k, l.av, l.bv "
        "FROM c LEFT JOIN l ON 1 = 1 ORDER BY l.k"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [left.version_id, right.version_id, int(kept)])
        rows = cursor.fetchall()
    matched, agreements, conflicts, gaps = rows[0][:4]
    counts = Counts(int(matched), int(agreements), int(conflicts), int(gaps))
    counts.conflict_rows = [[k, av, bv] for *_c, k, av, bv in rows if k is not None]
    return counts


def join_floor(left: Side, right: Side) -> int:
    """The bare join count on the keys (the benchmark's floor): no trimming, no values."""
    table = connection.ops.quote_name(DatasetRow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} a JOIN {table} b "  # noqa: S608
            f"ON {_value(left.key_position).replace('data', 'a.data')} = "
            f"{_value(right.key_position).replace('data', 'b.data')} "
            "WHERE a.version_id = %s AND b.version_id = %s",
            [left.version_id, right.version_id],
        )
        return int(cursor.fetchone()[0])
