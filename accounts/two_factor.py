"""Second-factor devices (django-otp).

Who must sign in with a second factor is a policy: ``accounts.policies.requires_two_factor``,
importable from here too.
"""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .policies import requires_two_factor

__all__ = ["has_confirmed_device", "recovery_codes_left", "requires_two_factor"]


def has_confirmed_device(user: User) -> bool:
    """Return whether the user has finished enrolling an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    """Return how many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
