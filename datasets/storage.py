"""Bulk-load and remove dataset rows: COPY on PostgreSQL, chunked executemany elsewhere.

Table and column names come from the model's metadata, never from a request; values always travel
as parameters or COPY data.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice, repeat

import orjson
from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from kernel.db import generic_plans

from .models import DatasetRow, DatasetVersion

Row = tuple["str | None", str, "Sequence[str | None]"]

SQLITE_CHUNK = 5_000


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector around a bulk load.

    Checking and loading a million rows allocates tens of millions of short-lived tuples and
    lists; each allocation burst triggers collections that walk every object in the process,
    which doubled the import's CPU time (measured, docs/performance.md). The rows form no
    reference cycles, so nothing is left for the collector while it is paused.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _table() -> str:
    return connection.ops.quote_name(DatasetRow._meta.db_table)


def rows_load(*, version_id: int, rows: Iterable[Row]) -> int:
    """Insert the rows into the version; return how many. Call inside a transaction."""
    if connection.vendor == "postgresql":
        return _copy(version_id, rows)
    return _executemany(version_id, rows)


def _dumps(values: Sequence[str | None]) -> str:
    # orjson writes compact UTF-8 JSON in C, several times faster than the json module.
    return orjson.dumps(values).decode()


# Characters the COPY text format would need escaped; JSON has a backslash for every quote or
# control character in a value, so batches with them (rare) take psycopg's escaping row writer.
_COPY_SPECIAL = ("\\", "\t", "\n", "\r")
COPY_BATCH = 5_000


def _copy_text(version_id: int, batch: list[Row]) -> str | None:
    """Return the batch as COPY text lines, or None if any value needs escaping."""
    keys, regions, values = zip(*batch, strict=True)
    data = list(map(_dumps, values))
    present = [key for key in keys if key is not None]
    for column in (present, regions, data):
        joined = "".join(column)  # substring tests in C are far cheaper than a regex here
        if any(special in joined for special in _COPY_SPECIAL):
            return None
    if len(present) != len(keys):
        keys = tuple(r"\N" if key is None else key for key in keys)
    lines = map("\t".join, zip(repeat(str(version_id)), keys, regions, data))
    return "\n".join(lines) + "\n"


def _copy(version_id: int, rows: Iterable[Row]) -> int:
    count = 0
    sql = f"COPY {_table()} (version_id, key, region, data) FROM STDIN"
    # The psycopg 3 cursor under Django's wrapper: COPY streams rows while Python validates the
    # next ones, so the server parses and indexes in parallel with us. The queue writer sends
    # from a thread of its own (libpq releases the GIL), so a busy server never stalls the
    # validation. Rows go as text a batch at a time: one join in C instead of a call per row.
    iterator = iter(rows)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
            while batch := list(islice(iterator, COPY_BATCH)):
                text = _copy_text(version_id, batch)
                if text is not None:
                    copy.write(text)
                else:
                    for key, region, values in batch:
                        copy.write_row((version_id, key, region, _dumps(values)))
                count += len(batch)
        _check_versions_now(cursor)
    return count


def _check_versions_now(cursor) -> None:
    """Check the loaded rows' version key now, each check with the same generic plan.

    Django declares the key ``DEFERRABLE INITIALLY DEFERRED``: PostgreSQL queues one check per
    row and runs them at ``COMMIT``. Each check is a prepared lookup of the version by primary
    key, and the portal's connections plan every prepared statement for its values
    (``plan_cache_mode=force_custom_plan``, portal/settings.py): the check was planned afresh
    for every row, 13 of a million-row import's 23 seconds (docs/performance.md, "Keyed
    requests keep their plans, the import's key check planned once, …"). The checks are run
    here instead, in ``kernel.db.generic_plans()``; the key is then deferred again, so the
    rest of the transaction is as it was. A row whose version does not exist still fails,
    here rather than at ``COMMIT`` (and the transaction's rollback undoes the setting).
    """
    cursor.execute(
        "SELECT conname FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND confrelid = %s::regclass AND contype = 'f'",
        [DatasetRow._meta.db_table, DatasetVersion._meta.db_table],
    )
    found = cursor.fetchone()
    if found is None:  # no key to check (a database without the constraint)
        return
    constraint = connection.ops.quote_name(found[0])
    with generic_plans():
        cursor.execute(f"SET CONSTRAINTS {constraint} IMMEDIATE")
    cursor.execute(f"SET CONSTRAINTS {constraint} DEFERRED")


def _executemany(version_id: int, rows: Iterable[Row]) -> int:
    dumps = _dumps
    count = 0
    sql = f"INSERT INTO {_table()} (version_id, key, region, data) VALUES (%s, %s, %s, %s)"  # noqa: S608
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, SQLITE_CHUNK)):
            cursor.executemany(
                sql, [(version_id, key, region, dumps(values)) for key, region, values in chunk]
            )
            count += len(chunk)
    return count


def rows_delete_keys(*, version_id: int, keys: list[str]) -> int:
    """Delete the rows with these keys from the version; return how many."""
    deleted = 0
    for start in range(0, len(keys), 500):
        deleted += DatasetRow.objects.filter(
            version_id=version_id, key__in=keys[start : start + 500]
        ).delete()[0]
    return deleted


def keys_present(*, version_id: int, keys: list[str]) -> set[str]:
    """Return which of the keys the version already holds."""
    present: set[str] = set()
    for start in range(0, len(keys), 500):
        found = DatasetRow.objects.filter(
            version_id=version_id, key__in=keys[start : start + 500]
        ).values_list("key", flat=True)
        present.update(key for key in found if key is not None)
    return present
