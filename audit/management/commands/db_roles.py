"""Create or update the portal's PostgreSQL runtime and read-only roles and their grants.

Run as the owner of the tables (the role migrations run as), after every ``migrate``::

    PORTAL_DB_AS_OWNER=1 manage.py db_roles --runtime portal_app --readonly portal_audit \\
        --runtime-password-env PORTAL_APP_DB_PASSWORD

Idempotent: running it again changes nothing. See audit/roles.py and docs/operations.md.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.roles import RolesRefused, db_roles_apply


class Command(BaseCommand):
    help = (
        "Create or update the runtime role (no writes to the audit trail but through "
        "audit_append()) and the optional read-only role, with their grants (PostgreSQL)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--runtime", required=True, help="the role the portal connects as")
        parser.add_argument("--readonly", help="a read-only role for the auditors' exports")
        parser.add_argument(
            "--owner",
            help="the role that owns the tables (default: the role this command connects as; "
            "name it when a superuser runs the command)",
        )
        parser.add_argument(
            "--runtime-password-env",
            metavar="VAR",
            help="set the runtime role's password from this environment variable",
        )
        parser.add_argument(
            "--readonly-password-env",
            metavar="VAR",
            help="set the read-only role's password from this environment variable",
        )

    @staticmethod
    def _password(variable: str | None) -> str | None:
        if not variable:
            return None
        value = os.environ.get(variable, "")
        if not value:
            raise CommandError(f"{variable} is not set or empty")
        return value

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = db_roles_apply(
                runtime=options["runtime"],
                readonly=options.get("readonly"),
                owner=options.get("owner"),
                runtime_password=self._password(options.get("runtime_password_env")),
                readonly_password=self._password(options.get("readonly_password_env")),
            )
        except RolesRefused as exc:
            raise CommandError(f"Roles refused: {exc}") from exc
        for name in report.created:
            self.stdout.write(f"Created role {name}.")
        for name in report.updated:
            self.stdout.write(f"Updated role {name}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Grants in place in schema {report.schema} (tables owned by {report.owner}); "
                "the runtime role reads the audit trail and appends only through audit_append()."
            )
        )
