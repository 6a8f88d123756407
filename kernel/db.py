"""Reading the database in a transaction that cannot write.

Exports that only read (the audit log's CSV) run their query in ``read_only_transaction()``:

* On PostgreSQL it is a transaction (a savepoint inside an outer one) marked read-only, and,
  when ``DATABASE_READONLY_ROLE`` names the read-only role ``db_roles`` creates, switched to
  that role with ``SET LOCAL ROLE``: the rows are read with the read-only role's privileges
  (no session keys, no writes), not with the runtime role's. ``db_roles`` makes the runtime
  role a member of the read-only role for this; the read-only role holds no privilege the
  runtime role lacks, so membership gives it nothing new.
* On SQLite it sets ``PRAGMA query_only`` for the block (no transaction: the portal's SQLite
  transactions are IMMEDIATE and would hold the write lock for the whole export).

The block is always rolled back, so the role and the read-only mode end with it even inside a
caller's transaction, and nothing it might have changed survives.

The keyed reads of a request that only looks things up by key (a row by its key, an interface
call) run in ``generic_plans()``: see its docstring.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction


def readonly_role() -> str:
    """Return the PostgreSQL role exports read as (``DATABASE_READONLY_ROLE``), or ''."""
    return getattr(settings, "DATABASE_READONLY_ROLE", "") or ""


@contextmanager
def read_only_transaction(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block so that it cannot write (see the module's docstring); roll it back."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL transaction_read_only = on")
                role = readonly_role()
                if role:
                    cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(role)}")
            try:
                yield
            finally:
                transaction.set_rollback(True, using=using)
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
        return
    yield


@contextmanager
def generic_plans(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block's prepared statements with their generic plans.

    The portal's connections plan every prepared statement for its values
    (``plan_cache_mode=force_custom_plan``, portal/settings.py), because a list's plan made once
    for an average department reads the largest department's whole catalog. A request made of
    lookups by key (the token, the resource, the grant, its items, a row by its key, the audit
    append) has no such skew, and planning was half its database time: about 2 of a key
    lookup's 6.5 ms (docs/performance.md, "Keyed requests keep their plans"). Planned for its
    values, the probe of a row by key even chose the wrong index for a version the table's
    statistics did not know yet. Inside the block the connection uses the generic plan of
    each statement (``force_generic_plan``, from its first execution); after it, ``RESET``
    restores the connection's setting.

    Two round trips; for views whose every query is keyed (``GenericPlansMixin``), for a
    probe by key (``datasets.selectors.rows``) and for a bulk load's key checks
    (``datasets.storage``). Inside an enclosing block it does nothing.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or getattr(connection, _INSIDE, False):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
    setattr(connection, _INSIDE, True)
    try:
        yield
    finally:
        setattr(connection, _INSIDE, False)
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET plan_cache_mode")
        except DatabaseError:
            # A broken connection fails here, which Django discards at the request's end, or
            # a transaction the block's error aborted, whose rollback undoes the SET: either
            # way the block's error is the one to see.
            pass


# Set on a connection while it is inside ``generic_plans()``.
_INSIDE = "portal_generic_plans"
