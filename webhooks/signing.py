"""The signing secrets of subscriptions: made here, kept encrypted, and the signature they make.

A secret is 32 random bytes shown to the department administrator once, as text
(``whsec_`` and URL-safe base64), at creation and at rotation. The database keeps it encrypted
with Fernet (AES-128-CBC and HMAC-SHA256, from ``cryptography``) under a key derived from
``PORTAL_WEBHOOK_KEY``, or from ``SECRET_KEY`` when that is empty: a copy of the database alone
does not reveal a secret, and the worker can still sign with it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "whsec_"


def _fernet() -> Fernet:
    material = (settings.PORTAL_WEBHOOK_KEY or settings.SECRET_KEY).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal webhook secrets"
    ).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def secret_new() -> str:
    """Return a new signing secret, as the administrator sees it once."""
    return PREFIX + secrets.token_urlsafe(32)


def secret_seal(secret: str) -> str:
    """Return the secret encrypted for the database."""
    return _fernet().encrypt(secret.encode()).decode()


def secret_open(sealed: str) -> str:
    """Return the secret from its encrypted form."""
    return _fernet().decrypt(sealed.encode()).decode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return the ``X-Portal-Signature`` value: HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()
