"""Sign a test client in as a user who has passed two-factor sign-in."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User

# A fixed secret for tests (20 bytes, hexadecimal).
TEST_TOTP_SECRET = "3132333435363738393031323334353637383930"


def verified_login(client: Client, user: User) -> TOTPDevice:
    """Sign the client in and mark the session verified with a confirmed TOTP device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = services.totp_device_create(actor=None, user=user, secret_hex=TEST_TOTP_SECRET)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
