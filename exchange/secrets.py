"""The secrets the portal sends to upstream interfaces, encrypted at rest with Fernet.

The key is derived (HKDF-SHA256) from ``PORTAL_EXCHANGE_SECRET_KEY``, or from ``SECRET_KEY``
when that is not set (docs/operations.md, "Interface secrets"). A stored secret is decrypted
only to build the upstream request; no page, API answer or audit event carries it.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

INFO = b"portal exchange interface secrets v1"


@lru_cache(maxsize=4)
def _fernet(material: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _current() -> Fernet:
    material = getattr(settings, "PORTAL_EXCHANGE_SECRET_KEY", "") or settings.SECRET_KEY
    return _fernet(str(material))


def encrypt(secret: str) -> str:
    """Return the stored form of a secret ('' for none)."""
    return _current().encrypt(secret.encode()).decode() if secret else ""


def decrypt(stored: str) -> str:
    """Return the secret of a stored form; '' for none or one the key no longer opens."""
    if not stored:
        return ""
    try:
        return _current().decrypt(stored.encode()).decode()
    except InvalidToken:
        return ""
