"""Who must sign in with a second factor, and their devices (django-otp)."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def requires_two_factor(user: User) -> bool:
    """Return whether the user's roles require TOTP before any page (PORTAL_TWO_FACTOR_ROLES)."""
    if not getattr(settings, "PORTAL_TWO_FACTOR_REQUIRED", True):
        return False
    return user.has_role(*settings.PORTAL_TWO_FACTOR_ROLES)


def has_confirmed_device(user: User) -> bool:
    """Return whether the user has finished enrolling an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    """Return how many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
