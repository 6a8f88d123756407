"""The API's JSON parser: a hostile body is a client error (400), never a server failure.

Limits, each a setting (docs/operations.md): the body's size (checked against
``Content-Length`` and while reading, before any decoding), the length of every string and
object key, the length of every array, and the nesting depth (the decoder's recursion limit).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


@dataclass(frozen=True)
class BodyLimits:
    body_bytes: int
    string_length: int
    array_length: int


def body_limits() -> BodyLimits:
    """Return the limits in force (read each time, so tests and operators can change them)."""
    return BodyLimits(
        body_bytes=int(getattr(settings, "PORTAL_API_MAX_BODY_BYTES", 16 * 1024 * 1024)),
        string_length=int(getattr(settings, "PORTAL_API_MAX_STRING_LENGTH", 20_000)),
        array_length=int(getattr(settings, "PORTAL_API_MAX_ARRAY_LENGTH", 10_000)),
    )


def _too_large(limit: int) -> ParseError:
    return ParseError(
        _("The request body is larger than %(limit)d bytes.") % {"limit": limit},
        code="body_too_large",
    )


def _check_values(data: Any, limits: BodyLimits) -> None:
    """Refuse a decoded body holding a string or an array longer than the limits."""
    pending = [data]
    while pending:  # a loop, not recursion: the depth is the decoder's concern
        value = pending.pop()
        if isinstance(value, str):
            strings: list[str] = [value]
        elif isinstance(value, list):
            if len(value) > limits.array_length:
                raise ParseError(
                    _("The JSON body holds an array of more than %(limit)d elements.")
                    % {"limit": limits.array_length},
                    code="array_too_long",
                )
            pending.extend(value)
            continue
        elif isinstance(value, dict):
            strings = list(value)  # keys are strings too
            pending.extend(value.values())
        else:
            continue
        if any(len(text) > limits.string_length for text in strings):
            raise ParseError(
                _("The JSON body holds a text of more than %(limit)d characters.")
                % {"limit": limits.string_length},
                code="string_too_long",
            )


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with limits on size, string length, array length and depth.

    ``[[[…]]]`` a thousand levels deep is two kilobytes; the standard decoder raises
    ``RecursionError`` on it, which would otherwise surface as a 500. A body above the size
    limit is refused from its ``Content-Length`` or after reading one byte past the limit,
    before anything is decoded.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limits = body_limits()
        request = (parser_context or {}).get("request")
        declared = str(request.META.get("CONTENT_LENGTH") or "") if request is not None else ""
        if declared.isdigit() and int(declared) > limits.body_bytes:
            raise _too_large(limits.body_bytes)
        raw = stream.read(limits.body_bytes + 1)
        if len(raw) > limits.body_bytes:
            raise _too_large(limits.body_bytes)
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None
        _check_values(data, limits)
        return data
