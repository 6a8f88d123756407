"""The portal's PostgreSQL roles: an owner, a runtime role, a read-only role.

* The **owner** runs the migrations, so it owns every table and the ``audit_append()``
  function (audit/0002), and runs ``audit_purge``.
* The **runtime** role is the one the web processes and the task worker connect as
  (``DATABASE_URL``). It reads and writes the portal's tables, except the audit trail: there
  it may SELECT and EXECUTE ``audit_append()``, nothing more, so it cannot insert a forged
  event, change, delete or truncate one, or write a purge checkpoint.
* The **read-only** role (optional) reads every table but the sessions: the auditors' exports
  (the portal switches to it for them when ``DATABASE_READONLY_ROLE`` names it) and reporting
  tools.

``db_roles_apply`` creates or updates both roles and their grants; running it again changes
nothing. Default privileges give the tables a later migration creates the same grants, and the
audit tables are named explicitly, so re-running it after every ``migrate`` (as
docs/operations.md says) also keeps any new audit table closed to the runtime role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from psycopg import sql

from .models import AuditCheckpoint, AuditEvent

# audit_append()'s argument types (audit/migrations/0002_database_append.py).
APPEND_SIGNATURE = (
    "timestamptz, bigint, text, bigint, text, text, text, text, integer, text, inet, jsonb"
)
AUDIT_TABLES = (AuditEvent._meta.db_table, AuditCheckpoint._meta.db_table)
# What the read-only role may not read: session keys would let it sign in as anyone.
READONLY_HIDDEN_TABLES = ("django_session",)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RolesRefused(Exception):
    """The roles cannot be set up as asked (not PostgreSQL, a bad name, a dangerous role)."""


@dataclass
class RolesReport:
    owner: str
    schema: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _q(name: str) -> str:
    return sql.Identifier(name).as_string(connection.connection)


def _literal(value: str) -> str:
    return sql.Literal(value).as_string(connection.connection)


def _role_flags(cursor, name: str) -> tuple[bool, bool] | None:
    """Return (superuser, bypasses row security) of an existing role, None if there is none."""
    cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [name])
    row = cursor.fetchone()
    return None if row is None else (row[0], row[1])


def _ensure_role(cursor, name: str, password: str | None, owner: str, report: RolesReport) -> None:
    flags = _role_flags(cursor, name)
    if flags is None:
        cursor.execute(f"CREATE ROLE {_q(name)} LOGIN")
        report.created.append(name)
    else:
        if flags[0]:
            # A superuser ignores privileges and can switch the audit triggers off.
            raise RolesRefused(f"role {name} is a superuser: it cannot be held to any grant")
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [name, owner])
        if cursor.fetchone()[0]:
            raise RolesRefused(
                f"role {name} is a member of the owner {owner}: it would hold the owner's "
                "rights over the audit trail"
            )
        cursor.execute(f"ALTER ROLE {_q(name)} LOGIN")
        report.updated.append(name)
    if password:
        cursor.execute(f"ALTER ROLE {_q(name)} PASSWORD {_literal(password)}")


def db_roles_apply(
    *,
    runtime: str,
    readonly: str | None = None,
    owner: str | None = None,
    runtime_password: str | None = None,
    readonly_password: str | None = None,
) -> RolesReport:
    """Create or update the runtime and read-only roles and grant them what they may do.

    Runs as the owner (or a superuser naming ``owner``), in one transaction: either every
    grant is in place or none changed.
    """
    if connection.vendor != "postgresql":
        raise RolesRefused("database roles exist on PostgreSQL only")
    connection.ensure_connection()  # identifiers are quoted by the live connection
    names = [runtime] + ([readonly] if readonly else [])
    for name in names + ([owner] if owner else []):
        if not ROLE_NAME.match(name):
            raise RolesRefused(f"{name!r} is not a plain role name (a-z, 0-9, _)")
    if readonly == runtime:
        raise RolesRefused("the runtime and the read-only role must differ")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema(), current_database()")
        current_user, schema, database = cursor.fetchone()
        owner = owner or current_user
        if owner in names:
            raise RolesRefused(f"{owner} owns the tables: it cannot be the runtime role too")
        report = RolesReport(owner=owner, schema=schema)
        _ensure_role(cursor, runtime, runtime_password, owner, report)
        if readonly:
            _ensure_role(cursor, readonly, readonly_password, owner, report)
            cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [readonly, runtime])
            if cursor.fetchone()[0]:
                raise RolesRefused(
                    f"role {readonly} is a member of the runtime role {runtime}: it would "
                    "hold the runtime role's rights to write"
                )
        s, rt = _q(schema), _q(runtime)
        statements = [
            # Nobody but the owner creates objects in the schema (PostgreSQL < 15 let anyone).
            f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
            f"GRANT CONNECT ON DATABASE {_q(database)} TO {rt}",
            f"GRANT USAGE ON SCHEMA {s} TO {rt}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {rt}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {rt}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {_q(owner)} IN SCHEMA {s} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {rt}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {_q(owner)} IN SCHEMA {s} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {rt}",
        ]
        for table in AUDIT_TABLES:
            statements += [
                f"REVOKE ALL ON {s}.{_q(table)} FROM PUBLIC, {rt}",
                f"GRANT SELECT ON {s}.{_q(table)} TO {rt}",
            ]
        statements += [
            f"REVOKE ALL ON FUNCTION {s}.audit_append({APPEND_SIGNATURE}) FROM PUBLIC",
            f"GRANT EXECUTE ON FUNCTION {s}.audit_append({APPEND_SIGNATURE}) TO {rt}",
        ]
        if readonly:
            ro = _q(readonly)
            statements += [
                f"GRANT CONNECT ON DATABASE {_q(database)} TO {ro}",
                f"GRANT USAGE ON SCHEMA {s} TO {ro}",
                f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {ro}",
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {_q(owner)} IN SCHEMA {s} "
                f"GRANT SELECT ON TABLES TO {ro}",
                # Its sessions cannot write, whatever it is granted later by mistake.
                f"ALTER ROLE {ro} SET default_transaction_read_only = on",
                # The portal's exports switch to it (SET LOCAL ROLE, kernel/db.py). It holds
                # nothing the runtime role lacks, so the membership gives the runtime role
                # no privilege; the other way round is never granted.
                f"GRANT {ro} TO {rt}",
            ]
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename = ANY(%s)",
                [schema, list(READONLY_HIDDEN_TABLES)],
            )
            for (table,) in cursor.fetchall():
                statements.append(f"REVOKE ALL ON {s}.{_q(table)} FROM {ro}")
        for statement in statements:
            cursor.execute(statement)
    return report
