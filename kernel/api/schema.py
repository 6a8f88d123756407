"""OpenAPI generation: token security scheme and the error responses every operation documents.

The schema is the contract (docs/openapi.yaml is its committed copy): every operation declares
every error it can answer, in the one error shape, so a new endpoint cannot forget them.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from . import errors
from .mixins import VisibleQuerysetMixin
from .serializers import StrictFieldsMixin

RETRY_AFTER = {
    "schema": {"type": "integer"},
    "description": "Seconds to wait before the next request.",
}
WRITE_METHODS = ("POST", "PUT", "PATCH")
JSON = "application/json"
# The ids a detail URL takes (VisibleQuerysetMixin.lookup_value_regex: up to 18 digits).
ID_PATTERN = f"^{VisibleQuerysetMixin.lookup_value_regex}$"
ID_SCHEMA = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
# A text without NUL characters (DRF refuses them); and one with a character that is not
# whitespace besides (Python's ``str.strip`` whitespace, what DRF trims: ``\s`` and the
# separators U+001C–U+001F and U+0085, which ECMAScript's ``\s`` leaves out).
TEXT_PATTERN = r"^[^\x00]*$"
NON_BLANK_TEXT_PATTERN = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85][^\x00]*$"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <key>` (or `Authorization: Token <key>`).",
        }


class StrictBodyExtension(OpenApiSerializerExtension):
    """Say in the contract what StrictFieldsMixin does: a write body takes no other field.

    Without ``additionalProperties: false`` a body with an extra field is valid by the schema
    yet refused (400) by the API, so the schema would promise what the API does not accept.
    """

    target_class = StrictFieldsMixin
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


class PortalAutoSchema(AutoSchema):
    """Add the error responses that an operation can give, in the one error shape.

    Every operation can answer 401, 403, 404 (an unknown id, an invalid cursor, or an unknown
    `format`), 406 and 429; writes also 400 (a body the schema refuses), 409 (a state conflict),
    415 and 422 (a rule the schema cannot state); reads 400 when they take query parameters.
    A view declares more (its own 400 or 422 body) with ``extend_schema(responses=...)``.
    """

    def _error_codes(self, operation: dict[str, Any]) -> dict[int, Any]:
        codes: dict[int, Any] = {
            401: errors.UNAUTHORIZED,
            403: errors.FORBIDDEN,
            404: errors.NOT_FOUND,
            406: errors.NOT_ACCEPTABLE,
            429: errors.THROTTLED,
        }
        takes_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
        if self.method in WRITE_METHODS or takes_query:
            codes[400] = errors.BAD_REQUEST
        if self.method in WRITE_METHODS:  # the parsers take JSON only
            codes[415] = errors.UNSUPPORTED_MEDIA_TYPE
            # A body the schema allows is refused only as one of these (kernel/errors.py).
            codes[409] = errors.CONFLICT
            codes[422] = errors.UNPROCESSABLE
        return codes

    def _get_paginator(self) -> Any:
        # Only reads page; a write answering a list (one share request per provider) answers
        # a plain JSON array.
        return super()._get_paginator() if self.method == "GET" else None

    def _resolve_path_parameters(self, variables: Any) -> list[dict[str, Any]]:
        # drf-spectacular reads an id from the lookup regex as a string with a pattern; it is an
        # integer (a generated client then takes an int, as every id in the bodies is).
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"].get("pattern") == ID_PATTERN:
                parameter["schema"] = dict(ID_SCHEMA)
        return parameters

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        # drf-spectacular leaves out a list's allow_empty=False: a body with an empty list would
        # be valid by the schema yet refused by the API.
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        lists = (serializers.ListField, serializers.ListSerializer)
        if isinstance(field, lists) and not field.allow_empty and schema.get("type") == "array":
            schema["minItems"] = max(schema.get("minItems", 0), 1)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "enum" not in schema
        ):
            # What DRF's CharField refuses and `minLength` does not say: a NUL character
            # anywhere, and, unless blank is allowed, a text of whitespace only (it is trimmed
            # to blank). Without the pattern a body valid by the schema would be a 400.
            blank = field.allow_blank or not field.trim_whitespace
            schema["pattern"] = TEXT_PATTERN if blank else NON_BLANK_TEXT_PATTERN
        return schema

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        # drf-spectacular offers a blank text as a second choice beside a pattern; the pattern
        # of a text that may be blank takes "" already, and `oneOf` would then refuse it.
        choices = schema.get("oneOf")
        if (
            isinstance(choices, list)
            and len(choices) == 2
            and choices[0].get("pattern") == TEXT_PATTERN
            and choices[1] == {"type": "string", "maxLength": 0}
        ):
            schema.update(schema.pop("oneOf")[0])

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        # Only reads filter: a write answering a list (share requests) takes no query filters.
        if self.method != "GET":
            return []
        parameters = super()._get_filter_parameters()
        for parameter in parameters:
            # django-filter puts the model field's translated label in the schema's `title`;
            # the parameter's name already names it, and client generators name the parameter's
            # enum type after the title (``ResourcesList状态``): leave it out.
            parameter.get("schema", {}).pop("title", None)
        return parameters

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, response in sorted(self._error_codes(operation).items()):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    response, str(code), media_types=[JSON]
                )
        for code, response in responses.items():
            if code >= "400" and JSON in response.get("content", {}):
                # Errors are JSON whatever was asked for (a CSV download's errors too).
                response["content"] = {JSON: response["content"][JSON]}
        responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
        operation["responses"] = dict(sorted(responses.items()))
        return operation


# The bounds Django gives integer fields from the database's column types: SQLite's are 64-bit
# for every integer, PostgreSQL's follow smallint/integer/bigint. Declared bounds (a page size's
# 200) are kept; these are left out, so the schema is the same on either database.
DATABASE_INTEGER_BOUNDS = frozenset(
    {32767, -32768, 2147483647, -2147483648, 9223372036854775807, -9223372036854775808}
)


def drop_database_integer_bounds(result: Any, generator: Any, request: Any, public: Any) -> Any:
    """drf-spectacular post-processing hook: remove the column types' integer bounds."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("maximum", "minimum"):
                if key in node and node[key] in DATABASE_INTEGER_BOUNDS:
                    del node[key]
            # drf-spectacular says int64 because of a 64-bit bound: gone with the bound.
            if node.get("format") == "int64" and "maximum" not in node:
                del node["format"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
