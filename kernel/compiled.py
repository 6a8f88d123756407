"""Querysets compiled to SQL once per process and run again with new values.

Building and compiling a queryset costs the ORM about a millisecond of Python per query; a
request that makes ten small queries spends more time there than in the database. For the few
queries on the hottest paths (a key lookup through the API), the queryset is written once, with
``Param`` placeholders where the values of each call go, compiled once per database alias, and
executed with the values bound. The SQL is the ORM's own: the policy code that builds
the queryset stays the one place that says what is allowed.

    GRANT = CompiledQuery(lambda: Grant.objects.filter(resource_id=Param("resource")))
    grants = GRANT(resource=resource.pk)          # a list of Grant instances

Only values passed as ``Param`` change between calls; anything else in the queryset (constants,
the branch a policy function took) is fixed when it is compiled. A placeholder's field converts
its value as the column expects (a datetime for SQLite, for example).

``CompiledUpdate`` does the same for an UPDATE of the rows a filter selects (one table, no
joins), for a write made on every call of a hot path (the broker's daily figures):

    BUMP = CompiledUpdate(lambda: (Stat.objects.filter(pk=Param("pk")), {"n": F("n") + 1}))
    changed = BUMP(pk=stat.pk)                    # the number of rows updated

A compiled query runs on the alias it is given, ``default`` (the primary) unless told otherwise:
the database router is not asked. The security decisions compiled here (the token lookup, the
data-read grant) rely on that to never read a lagging replica (kernel/db_router.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Expression, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql import UpdateQuery

M = TypeVar("M", bound=models.Model)


class _Slot:
    """Where a placeholder's value goes in the compiled parameters."""

    __slots__ = ("field", "name")

    def __init__(self, name: str, field: models.Field) -> None:
        self.name = name
        self.field = field


class Param(Expression):
    """A value supplied when the compiled query runs (an integer unless a field is given)."""

    def __init__(self, name: str, output_field: models.Field | None = None) -> None:
        super().__init__(output_field=output_field or models.BigIntegerField())
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [_Slot(self.name, self.output_field)]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    names: frozenset[str]
    model: type[models.Model]
    init_list: list[str]
    fields_slice: slice
    related_populators: list[Any]
    annotation_col_map: dict[str, int]
    converters: list[tuple[int, tuple[list[Any], Any]]]


class CompiledQuery(Generic[M]):
    """A queryset built and compiled on first use, then executed with bound values.

    It returns model instances as iterating the queryset would (fields, ``select_related``
    objects, annotations, each value through the fields' converters), by the same steps as
    Django's ``ModelIterable``, from the SQL and column map kept from the first compilation.
    """

    def __init__(self, build: Callable[[], QuerySet[M]]) -> None:
        self._build = build
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        compiled = self._compiled.get(alias)
        if compiled is not None:
            return compiled
        with self._lock:
            queryset = self._build()
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            select, klass_info = compiler.select, compiler.klass_info
            assert klass_info is not None, "CompiledQuery needs a queryset of model instances"
            fields = klass_info["select_fields"]
            columns = [column for column, _sql, _alias in select[: compiler.col_count]]
            compiled = _Compiled(
                sql=sql,
                params=tuple(params),
                names=frozenset(p.name for p in params if isinstance(p, _Slot)),
                model=klass_info["model"],
                init_list=[
                    column.target.attname for column, _s, _a in select[fields[0] : fields[-1] + 1]
                ],
                fields_slice=slice(fields[0], fields[-1] + 1),
                related_populators=get_related_populators(klass_info, select, alias),
                annotation_col_map=dict(compiler.annotation_col_map or {}),
                converters=list(compiler.get_converters(columns).items()),
            )
            self._compiled[alias] = compiled
        return compiled

    def sql(self, using: str = DEFAULT_DB_ALIAS) -> str:
        """Return the compiled SQL (for tests and EXPLAIN)."""
        return self._compile(using).sql

    def __call__(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[M]:
        compiled = self._compile(using)
        if set(values) != compiled.names:
            raise TypeError(f"Expected values for {sorted(compiled.names)}, got {sorted(values)}.")
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, _bound(compiled.params, values, connection))
            rows = cursor.fetchall()
        objects = []
        for fetched in rows:
            row = list(fetched)
            for position, (converters, expression) in compiled.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            obj = compiled.model.from_db(using, compiled.init_list, row[compiled.fields_slice])
            for populator in compiled.related_populators:
                populator.populate(row, obj)
            for name, position in compiled.annotation_col_map.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects  # type: ignore[return-value]


def _bound(params: tuple[Any, ...], values: dict[str, Any], connection: Any) -> list[Any]:
    return [
        p.field.get_db_prep_value(values[p.name], connection, prepared=False)
        if isinstance(p, _Slot)
        else p
        for p in params
    ]


class CompiledUpdate(Generic[M]):
    """An UPDATE built and compiled on first use, then executed with bound values.

    ``build`` returns the queryset selecting the rows (filters on the model's own columns) and
    the values to set, as ``QuerySet.update`` takes them (``F()`` and ``Param`` expressions
    included). Calling it returns the number of rows updated. Signals are not sent, as
    ``QuerySet.update`` sends none.
    """

    def __init__(self, build: Callable[[], tuple[QuerySet[M], dict[str, Any]]]) -> None:
        self._build = build
        self._compiled: dict[str, tuple[str, tuple[Any, ...], frozenset[str]]] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> tuple[str, tuple[Any, ...], frozenset[str]]:
        compiled = self._compiled.get(alias)
        if compiled is not None:
            return compiled
        with self._lock:
            queryset, values = self._build()
            query = cast(UpdateQuery, queryset.query.chain(UpdateQuery))
            query.add_update_values(values)
            compiler = query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            assert compiler.query.count_active_tables() == 1, "CompiledUpdate takes one table"
            compiled = (
                sql,
                tuple(params),
                frozenset(p.name for p in params if isinstance(p, _Slot)),
            )
            self._compiled[alias] = compiled
        return compiled

    def sql(self, using: str = DEFAULT_DB_ALIAS) -> str:
        """Return the compiled SQL (for tests and EXPLAIN)."""
        return self._compile(using)[0]

    def __call__(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> int:
        sql, params, names = self._compile(using)
        if set(values) != names:
            raise TypeError(f"Expected values for {sorted(names)}, got {sorted(values)}.")
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, _bound(params, values, connection))
            return int(cursor.rowcount)
