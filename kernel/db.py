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
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction


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
