"""Write many rows fast: COPY on PostgreSQL, ``bulk_create`` elsewhere (SQLite).

Rows are plain tuples in the order of the given attribute names, with explicit primary keys,
so the generator never builds a million model instances on PostgreSQL and both backends
receive identical data. After writing, ``sequences_reset`` moves the id sequences past the
explicit keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

SQLITE_BATCH_SIZE = 2_000


@contextmanager
def _explicit_times(model: type[models.Model]) -> Iterator[None]:
    """Keep the generated values of ``auto_now``/``auto_now_add`` fields, as COPY does.

    ``bulk_create`` stamps such fields with the current time, which would give SQLite other
    data than PostgreSQL (every grant and request created "now").
    """
    stamped: list[tuple[Any, bool, bool]] = [
        (f, f.auto_now, f.auto_now_add)
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    ]
    for f, _now, _add in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in stamped:
            f.auto_now, f.auto_now_add = now, add


class BulkWriter:
    """Insert tuples into a model's table with the fastest method the backend offers."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.written: list[type[models.Model]] = []

    def next_id(self, model: type[models.Model]) -> int:
        """Return the first free primary key of the model's table."""
        top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
        return (top or 0) + 1

    def json(self, value: Any) -> Any:
        """Wrap a JSON value for the backend (psycopg needs an explicit jsonb adapter in COPY)."""
        if self.postgres:
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return value

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]
    ) -> int:
        """Insert the rows (tuples ordered like ``fields``); return how many were written.

        Concrete fields missing from ``fields`` get their model default, so a later column with
        a default does not break the generator.
        """
        concrete = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(fields) - set(concrete)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        missing = [f for name, f in concrete.items() if name not in fields and not f.primary_key]
        defaults = tuple(self._default(f) for f in missing)
        all_fields = [*fields, *(f.attname for f in missing)]
        if model not in self.written:
            self.written.append(model)
        if self.postgres:
            return self._copy(model, [concrete[n].column for n in all_fields], rows, defaults)
        return self._bulk_create(model, all_fields, rows, defaults)

    def _default(self, field: models.Field) -> Any:
        value = field.get_default()
        if isinstance(value, dict | list) and self.postgres:
            return self.json(value)
        return value

    def _copy(
        self, model: type[models.Model], columns: list[str], rows: Iterable[tuple], extra: tuple
    ) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row + extra if extra else row)
                count += 1
        return count

    def _bulk_create(
        self, model: type[models.Model], fields: list[str], rows: Iterable[tuple], extra: tuple
    ) -> int:
        count = 0
        batch: list[models.Model] = []
        with _explicit_times(model):
            for row in rows:
                batch.append(model(**dict(zip(fields, row + extra, strict=True))))
                if len(batch) >= SQLITE_BATCH_SIZE:
                    model._default_manager.bulk_create(batch, batch_size=SQLITE_BATCH_SIZE)
                    count += len(batch)
                    batch = []
            if batch:
                model._default_manager.bulk_create(batch, batch_size=SQLITE_BATCH_SIZE)
                count += len(batch)
        return count

    def sequences_reset(self) -> None:
        """Move every written table's id sequence past the explicit keys (PostgreSQL)."""
        if self.postgres:
            sequences_past_keys(
                (model._meta.db_table, model._meta.pk.column) for model in self.written
            )

    def analyze(self) -> None:
        """Refresh the planner statistics of the written tables."""
        with connection.cursor() as cursor:
            if self.postgres:
                for model in self.written:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            else:
                cursor.execute("ANALYZE")


def sequences_past_keys(tables: Iterable[tuple[str, str]]) -> None:
    """Raise each (table, key column)'s sequence to the table's largest key (PostgreSQL).

    Only forward: a sequence is not rolled back with a transaction, so lowering it to the
    largest key present would hand out keys that rows written outside it hold.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, key in tables:
            cursor.execute(
                "SELECT setval(seq, top) FROM ("
                " SELECT pg_get_serial_sequence(%s, %s) AS seq,"
                f" (SELECT MAX({quote(key)}) FROM {quote(table)}) AS top) AS t"
                " WHERE seq IS NOT NULL AND top IS NOT NULL"
                " AND top > COALESCE(pg_sequence_last_value(seq::regclass), 0)",
                [table, key],
            )
