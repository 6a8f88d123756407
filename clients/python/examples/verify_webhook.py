"""Check that a webhook delivery comes from the portal: the signature, then the time.

    python verify_webhook.py            # a small receiver on 127.0.0.1:8765 that checks each POST

Use ``verify`` in your own receiver: give it the subscription's secret (shown once, when it was
created or rotated), the request's headers and its raw body, exactly as received. It returns
the decoded event, or raises ``InvalidDelivery``. Answer 2xx once you have stored the event;
``X-Portal-Delivery`` (the event's id, the same on every retry) tells a repeat apart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

# A delivery older or newer than this (seconds) is refused, so a captured one cannot be replayed
# later by someone else.
TOLERANCE_SECONDS = 300


class InvalidDelivery(Exception):
    """The request is not a genuine, fresh delivery from the portal."""


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> dict[str, Any]:
    """Return the delivery's event if its signature and timestamp are valid."""
    lowered = {k.lower(): v for k, v in headers.items()}
    timestamp = lowered.get("x-portal-timestamp", "")
    signature = lowered.get("x-portal-signature", "")
    if not timestamp.isdigit() or not signature.startswith("sha256="):
        raise InvalidDelivery("missing or malformed signature headers")
    # 1. HMAC-SHA256, keyed with the secret, of "<timestamp>.<raw body>".
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    # 2. Compared in constant time.
    if not hmac.compare_digest(expected, signature.removeprefix("sha256=")):
        raise InvalidDelivery("the signature does not match")
    # 3. Fresh: within the tolerance of the receiver's clock.
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        raise InvalidDelivery("the timestamp is too old or in the future")
    event: dict[str, Any] = json.loads(body)
    # 4. The headers agree with the signed body.
    if event.get("kind") != lowered.get("x-portal-event") or event.get("id") != lowered.get(
        "x-portal-delivery"
    ):
        raise InvalidDelivery("the headers do not match the body")
    return event


def main() -> None:
    secret = os.environ["PORTAL_WEBHOOK_SECRET"]

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                event = verify(secret, dict(self.headers.items()), body)
            except InvalidDelivery as refusal:
                self.send_response(400)
                self.end_headers()
                print("refused:", refusal)
                return
            print(event["kind"], event["id"], json.dumps(event["data"], ensure_ascii=False))
            self.send_response(204)
            self.end_headers()

    HTTPServer(("127.0.0.1", 8765), Receiver).serve_forever()


if __name__ == "__main__":
    main()
