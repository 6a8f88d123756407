"""Bulk-load and remove dataset rows: COPY on PostgreSQL, chunked executemany elsewhere.

Table and column names come from the model's metadata, never from a request; values always travel
as parameters or COPY data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import islice

from django.db import connection

from .models import DatasetRow

Row = tuple["str | None", str, "list[str | None]"]

SQLITE_CHUNK = 5_000


def _table() -> str:
    return connection.ops.quote_name(DatasetRow._meta.db_table)


def rows_load(*, version_id: int, rows: Iterable[Row]) -> int:
    """Insert the rows into the version; return how many. Call inside a transaction."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    if connection.vendor == "postgresql":
        return _copy(version_id, rows, dumps)
    return _executemany(version_id, rows, dumps)


def _copy(version_id: int, rows: Iterable[Row], dumps) -> int:
    count = 0
    sql = f"COPY {_table()} (version_id, key, region, data) FROM STDIN"
    # The psycopg 3 cursor under Django's wrapper: COPY streams rows while Python validates the
    # next ones, so the server parses and indexes in parallel with us.
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write = copy.write_row
        for key, region, values in rows:
            write((version_id, key, region, dumps(values)))
            count += 1
    return count


def _executemany(version_id: int, rows: Iterable[Row], dumps) -> int:
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
