"""What every example shares: a client from the environment, and answers checked.

PORTAL_URL is the portal's address (https://portal.example.gov.cn); PORTAL_KEY the token's key.
"""

from __future__ import annotations

import os
import sys
from typing import TypeVar

from portal_client import AuthenticatedClient
from portal_client.models import ErrorResponse

T = TypeVar("T")


def client(key_variable: str = "PORTAL_KEY") -> AuthenticatedClient:
    """Return a client that sends the key in ``key_variable`` as ``Authorization: Bearer``."""
    url, key = os.environ.get("PORTAL_URL"), os.environ.get(key_variable)
    if not url or not key:
        sys.exit(f"Set PORTAL_URL and {key_variable} (a token's key) first.")
    # Unexpected statuses raise; the documented errors come back as `ErrorResponse` (docs/api.md § 5).
    return AuthenticatedClient(base_url=url, token=key, raise_on_unexpected_status=True)


def ok(answer: T | ErrorResponse | None) -> T:
    """Return a successful answer; stop with the portal's message on an error."""
    if isinstance(answer, ErrorResponse):
        sys.exit(f"{answer.error.code}: {answer.error.message} {answer.error.fields.to_dict()}")
    if answer is None:
        sys.exit("The portal gave an answer this client does not know.")
    return answer
