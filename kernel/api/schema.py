"""OpenAPI generation: token security scheme and the error responses every operation documents."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from . import errors

RETRY_AFTER = {
    "schema": {"type": "integer"},
    "description": "Seconds to wait before the next request.",
}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <key>` (or `Authorization: Token <key>`).",
        }


class PortalAutoSchema(AutoSchema):
    """Add the error responses that an operation can give, in the one error shape."""

    def _error_codes(self) -> dict[int, Any]:
        codes: dict[int, Any] = {401: errors.UNAUTHORIZED, 403: errors.FORBIDDEN}
        paginated = self._is_list_view() and self._get_paginator() is not None
        if self.method in ("POST", "PUT", "PATCH") or paginated or self._has_filters():
            codes[400] = errors.BAD_REQUEST
        if self.method in ("POST", "PUT", "PATCH"):  # the parsers take JSON only
            codes[415] = errors.UNSUPPORTED_MEDIA_TYPE
        if "{" in self.path or paginated:  # an unknown id or an invalid cursor
            codes[404] = errors.NOT_FOUND
        codes[429] = errors.THROTTLED
        return codes

    def _has_filters(self) -> bool:
        view = self.view
        has = getattr(view, "filterset_class", None) or getattr(view, "filterset_fields", None)
        return bool(has) and self.method == "GET" and self._is_list_view()

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, response in sorted(self._error_codes().items()):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    response, str(code), direction=direction
                )
        if "429" in responses:
            responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
        return responses
