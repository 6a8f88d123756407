"""Issue an API token for an account, for operators: prints the key once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services.tokens import token_create


class Command(BaseCommand):
    help = "Issue an API token for USERNAME and print its key (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--scopes", default="read", help="Comma-separated: read, or read,write."
        )
        parser.add_argument("--days", type=int, default=None, help="Validity in days.")
        parser.add_argument("--name", default="", help="Which system uses the token.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No account named {options['username']!r}.") from exc
        try:
            token, key = token_create(
                actor=None,
                user=user,
                name=options["name"] or f"issued by command for {user.username}",
                scopes=options["scopes"].split(","),
                days=options["days"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(
            f"Token {token.prefix}… for {user.username}, scopes {token.scopes}, "
            f"expires {token.expires_at:%Y-%m-%d %H:%M %Z}. The key follows; it is not stored."
        )
        self.stdout.write(key)
