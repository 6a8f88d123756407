"""Issue an API token for an account, for operators: prints the key once.

A token for a holder of a privileged role needs a fresh code from that holder's confirmed
authenticator (``--totp-code``): the holder is then the one who created it, as on the token
page (accounts.policies.token_creation_refusal). Other accounts' tokens are issued by the
system.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User
from accounts.policies import holds_second_factor_role
from accounts.services import totp_confirm
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
        parser.add_argument(
            "--allow",
            default="",
            metavar="CIDR[,CIDR…]",
            help="The client networks the token works from, comma-separated, e.g. "
            "10.0.0.0/8,192.168.1.0/24. Without it the token works from any address.",
        )
        parser.add_argument(
            "--totp-code",
            default="",
            help="For an account with a privileged role (approver, coordinator, administrators): "
            "a current code from the holder's authenticator app.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No account named {options['username']!r}.") from exc
        actor: User | None = None
        second_factor_at = None
        if holds_second_factor_role(user):
            self._check_code(user, options["totp_code"])
            # The holder proved presence with their own authenticator: they create the token.
            actor, second_factor_at = user, timezone.now()
        try:
            token, key = token_create(
                actor=actor,
                user=user,
                name=options["name"] or f"issued by command for {user.username}",
                scopes=options["scopes"].split(","),
                days=options["days"],
                allowed_networks=options["allow"],
                second_factor_at=second_factor_at,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("; ".join(messages)) from exc
        networks = ", ".join(token.allowed_networks) or "any address"
        self.stderr.write(
            f"Token {token.prefix}… for {user.username}, scopes {token.scopes}, "
            f"from {networks}, expires {token.expires_at:%Y-%m-%d %H:%M %Z}. "
            "The key follows; it is not stored."
        )
        self.stdout.write(key)

    @staticmethod
    def _check_code(user: User, code: str) -> None:
        """Refuse unless ``code`` is a current code of the user's confirmed authenticator app.

        Only the authenticator counts, not a recovery code: the code must come from the
        holder's phone now. The check is audited (``otp.verify``, purpose ``api_token``).
        """
        if not code.strip():
            raise CommandError(
                f"{user.username} holds a role that needs a second factor: pass --totp-code "
                "with a current code from their authenticator app. Nothing was created."
            )
        try:
            totp_confirm(user=user, token=code, purpose="api_token")
        except ValidationError as exc:
            raise CommandError(
                "; ".join(exc.messages) + " Nothing was created (check the phone's clock)."
            ) from exc
