"""The access matrix's rows, built once per test process and put back in each later module.

Building the matrix through the services (tests/access_matrix.py ``build_matrix``) takes two to
four seconds, and some fifty modules use it, each in a transaction rolled back after its last
test (tests/conftest.py ``_matrix_built``). The first build in a process records the rows it
added to every table; a later module whose database is in the same state as before that build
(every table's row count and largest key, ``_state``) gets those rows inserted again, keys and
all, in one statement per table, and a copy of the matrix objects, whose keys are the inserted
rows'; rows the build changed (a category's last code sequence) are set to what it left.
Any difference in that state (a transactional test flushed the database and the migrations'
rows came back under new keys, a module left rows behind, a changed row no longer holds what it
held before the build) means a fresh build, which becomes the new recording. A build that
deleted a row that was there before is never recorded: the matrix is then built in every
module, as before.

What the rows hold is exactly what the build wrote, the audit trail's hash chain included (its
events are inserted again in the same database state, so the chain is the same; on PostgreSQL
the insert guard is opened for this transaction the way ``audit_append()`` opens it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db import connection

from bench.bulk import sequences_past_keys

from .access_matrix import AccessMatrix, build_matrix

# Table and column names in the SQL below come from the database's own catalog (introspection),
# quoted; values are parameters.

Row = tuple[Any, ...]


@dataclass
class _Table:
    name: str
    key: str
    numeric: bool


@dataclass
class _Change:
    table: _Table
    columns: list[str]
    before: Row
    after: Row


@dataclass
class _Recording:
    state: dict[str, tuple[int, Any]]
    rows: dict[str, tuple[list[str], list[Row]]]
    changes: list[_Change]
    matrix: AccessMatrix


_recording: _Recording | None = None
_recordable = True


def _tables() -> list[_Table]:
    """Return the tables of every model (join tables included) with their key column."""
    from django.apps import apps

    names = set(connection.introspection.table_names())
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in names and not model._meta.proxy:
            key = model._meta.pk
            numeric = key.get_internal_type() in {"AutoField", "BigAutoField", "IntegerField"}
            tables[table] = _Table(table, key.column, numeric)
    return sorted(tables.values(), key=lambda table: table.name)


def _state(tables: list[_Table]) -> dict[str, tuple[int, Any]]:
    """Return each table's row count and largest key, in one query."""
    quote = connection.ops.quote_name
    parts = [
        f"SELECT '{table.name}', COUNT(*), "
        + (
            f"CAST(MAX({quote(table.key)}) AS TEXT) "
            if table.numeric
            else f"MAX(CAST({quote(table.key)} AS TEXT)) "
        )
        + f"FROM {quote(table.name)}"
        for table in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {name: (count, largest) for name, count, largest in cursor.fetchall()}


def _rows(table: _Table) -> tuple[list[str], dict[Any, Row]]:
    """Return a table's columns and its rows by key, as the database driver gives them.

    Django's PostgreSQL connection reads json and jsonb as text, so every value goes back as
    it came (psycopg sends text untyped, and the column's type parses it).
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(table.name)}")  # noqa: S608
        columns = [column[0] for column in cursor.description]
        position = columns.index(table.key)
        return columns, {row[position]: tuple(row) for row in cursor.fetchall()}


def _record(tables: list[_Table]) -> tuple[AccessMatrix, _Recording | None]:
    """Build the matrix and return it with the rows it added and changed.

    None instead of the recording if the build deleted a row that was there before.
    """
    state = _state(tables)
    before = {table.name: _rows(table)[1] for table in tables}
    matrix = build_matrix()
    added: dict[str, tuple[list[str], list[Row]]] = {}
    changes: list[_Change] = []
    for table in tables:
        columns, after = _rows(table)
        old = before[table.name]
        for key, row in old.items():
            if key not in after:
                return matrix, None
            if after[key] != row:  # e.g. a category's last code sequence
                changes.append(_Change(table, columns, row, after[key]))
        new = [row for key, row in after.items() if key not in old]
        if new:
            added[table.name] = (columns, new)
    return matrix, _Recording(state, added, changes, copy.deepcopy(matrix))


def _unchanged(changes: list[_Change]) -> bool:
    """Whether the rows the build changed hold what they held before it."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for change in changes:
            key = change.before[change.columns.index(change.table.key)]
            cursor.execute(
                f"SELECT * FROM {quote(change.table.name)} "  # noqa: S608
                f"WHERE {quote(change.table.key)} = %s",
                [key],
            )
            if tuple(cursor.fetchone() or ()) != change.before:
                return False
    return True


def _insert(recording: _Recording) -> None:
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SELECT set_config('audit.appending', 'on', true)")
        for name, (columns, values) in recording.rows.items():
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(name)} ({', '.join(map(quote, columns))}) "  # noqa: S608
                f"VALUES ({marks})",
                values,
            )
        for change in recording.changes:
            key_position = change.columns.index(change.table.key)
            assignments = ", ".join(f"{quote(column)} = %s" for column in change.columns)
            cursor.execute(
                f"UPDATE {quote(change.table.name)} SET {assignments} "  # noqa: S608
                f"WHERE {quote(change.table.key)} = %s",
                [*change.after, change.after[key_position]],
            )
        if postgres:
            cursor.execute("SELECT set_config('audit.appending', 'off', true)")


def _sequences_past(tables: list[_Table], recording: _Recording) -> None:
    """Move each filled table's key sequence past the keys put back (PostgreSQL).

    A sequence is not rolled back with the module's transaction, so it is normally already
    past them; but something between the modules may have set it lower, and the next row would
    then take a key the matrix holds. Never lowers a sequence.
    """
    if connection.vendor != "postgresql":
        return
    keys = {table.name: table.key for table in tables if table.numeric}
    sequences_past_keys((name, keys[name]) for name in recording.rows if name in keys)


def matrix_rows() -> AccessMatrix:
    """Return the access matrix for this module: its recorded rows put back, or a new build."""
    global _recording, _recordable
    tables = _tables()
    if (
        _recording is not None
        and _state(tables) == _recording.state
        and _unchanged(_recording.changes)
    ):
        _insert(_recording)
        _sequences_past(tables, _recording)
        return copy.deepcopy(_recording.matrix)
    if not _recordable:
        return build_matrix()
    matrix, recording = _record(tables)
    if recording is None:
        _recordable = False
    _recording = recording
    return matrix
