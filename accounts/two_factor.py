"""Second-factor devices (django-otp).

Who must sign in with a second factor is a policy: ``accounts.policies.requires_two_factor``,
importable from here too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .policies import requires_two_factor

__all__ = [
    "has_confirmed_device",
    "mark_second_factor_verified",
    "recovery_codes_left",
    "requires_two_factor",
    "second_factor_verified_at",
]

# When the session last passed the second factor (seconds since the epoch): creating an API
# token for a privileged account needs it recent (accounts.policies.token_creation_refusal).
VERIFIED_AT_KEY = "portal_otp_verified_at"


def mark_second_factor_verified(request: HttpRequest) -> None:
    """Record in the session that its user passed the second factor just now."""
    request.session[VERIFIED_AT_KEY] = int(timezone.now().timestamp())


def second_factor_verified_at(request: HttpRequest) -> datetime | None:
    """Return when the session last passed the second factor, or None if it never did."""
    value = request.session.get(VERIFIED_AT_KEY)
    if not isinstance(value, int):
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def has_confirmed_device(user: User) -> bool:
    """Return whether the user has finished enrolling an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    """Return how many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
