"""The API's JSON parser: a body nested too deeply is a client error, not a server failure."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, answering 400 where the decoder would exhaust Python's recursion limit.

    ``[[[…]]]`` a thousand levels deep is two kilobytes; the standard decoder raises
    ``RecursionError`` on it, which would otherwise surface as a 500.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None
