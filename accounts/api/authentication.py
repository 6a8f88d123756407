"""How a caller proves who it is: an API token, or the portal's session (browsable API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import ApiToken, User
from accounts.services.tokens import token_authenticate
from audit.middleware import client_address

# Both spellings are accepted: "Token" (DRF's tradition) and "Bearer" (RFC 6750).
KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate ``Authorization: Token <key>`` or ``Authorization: Bearer <key>``."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None  # not ours: let the session try
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the key as “Authorization: Token <key>”, without spaces in the key.")
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The API token is not valid.")) from exc
        # The address the audit trail and the sign-in lockout use (trusting X-Forwarded-For only
        # behind a configured proxy): a token limited to networks works only from inside them.
        token = token_authenticate(key=key, client_address=client_address(request._request))
        if token is None:
            # One message for unknown, expired, revoked, disabled and outside the token's
            # networks: the caller learns nothing.
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # A WWW-Authenticate header makes DRF answer 401 (not 403) to anonymous callers.
        return 'Token realm="api"'
