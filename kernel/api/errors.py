"""The one error shape of the API and the handler that maps every exception onto it.

Every 4xx/5xx answer is ``{"error": {"code": ..., "message": ..., "fields": {...}}}``: ``code`` is
a stable machine word, ``message`` a sentence in the caller's language, ``fields`` maps a field
(``items.0.name`` for nested ones) to its messages.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("portal.api")

NON_FIELD_KEYS = ("__all__", "non_field_errors")


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `not_found`.")
    message = serializers.CharField(help_text="A sentence for people, in the caller's language.")
    # The metaclass moves declared fields into _declared_fields, so this does not shadow
    # Serializer.fields at run time; only the type checker sees the name clash.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name (dotted for nested fields) → its error messages.",
    )


# Named `ErrorResponse`, not `Error`: a generated client names its local for the object after
# the type, which would clash with the `error` property (openapi-python-client's `error = ...`).
@extend_schema_serializer(component_name="ErrorResponse")
class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    error = ErrorDetailSerializer()


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Return DRF's nested error detail as a flat mapping of dotted field paths to messages."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, path))
    elif isinstance(detail, list) and any(isinstance(v, (Mapping, list)) for v in detail):
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    elif isinstance(detail, list):
        flat.setdefault(prefix, []).extend(force_str(v) for v in detail)
    else:
        flat.setdefault(prefix, []).append(force_str(detail))
    return {k: v for k, v in flat.items() if v}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    """Return an error response body."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _validation_payload(detail: Any) -> dict:
    fields = _flatten(detail) if isinstance(detail, (Mapping, list)) else {"": [force_str(detail)]}
    general: list[str] = fields.pop("", [])
    for key in NON_FIELD_KEYS:
        general.extend(fields.pop(key, []))
    for key in list(fields):
        if key.startswith(NON_FIELD_KEYS):  # e.g. non_field_errors.0
            general.extend(fields.pop(key))
    message = " ".join(general) if general else _("The request is not valid; see the fields.")
    return error_body("invalid", message, fields)


def _from_django(exc: Exception) -> Exception:
    """Return the DRF exception that stands for a Django one."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()  # never echo the lookup: the object does not exist
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return exceptions.ValidationError(detail)
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map Django and DRF exceptions onto the one error shape; log and hide anything else."""
    exc = _from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.error("Unhandled API error", exc_info=exc)
        return Response(
            error_body("server_error", _("The server failed to answer; the error is logged.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_payload(exc.detail)
    else:
        assert isinstance(exc, exceptions.APIException)
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(str(code), force_str(exc.detail))
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found_handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer an unknown URL: in the API's error shape under /api/, else the portal's page."""
    if _is_api(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception or Http404())


def server_error_handler(request: HttpRequest) -> HttpResponse:
    """Answer a failure outside the API views: JSON under /api/, else the portal's page.

    The page has the portal's layout, in the reader's language; if it cannot be rendered (the
    failure may be the database the layout reads the user from), a self-contained bilingual
    page answers instead.
    """
    if _is_api(request):
        body = error_body("server_error", _("The server failed to answer; the error is logged."))
        return JsonResponse(body, status=500)
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The error page could not be rendered; answering with the plain one")
        return defaults.server_error(request, template_name="500_plain.html")


def _described(text: str, code: str, message: str, fields: dict | None = None) -> OpenApiResponse:
    example = OpenApiExample(code, value=error_body(code, message, fields))
    return OpenApiResponse(response=ErrorSerializer, description=text, examples=[example])


BAD_REQUEST = _described(
    "Invalid input; `fields` says what is wrong: a field the operation does not take, an id "
    "repeated in a list, an unknown `ordering`, a `page_size` outside 1–200, a request the "
    "object's state does not allow, or a JSON body beyond the size, text, array or depth "
    "limits (codes `body_too_large`, `string_too_long`, `array_too_long`, `parse_error`).",
    "invalid",
    "The request is not valid; see the fields.",
    {"page_size": ["Give a whole number from 1 to 200."]},
)
UNSUPPORTED_MEDIA_TYPE = _described(
    "The body is not `application/json` (form-encoded and multipart bodies are refused).",
    "unsupported_media_type",
    'Unsupported media type "application/x-www-form-urlencoded" in request.',
)
UNAUTHORIZED = _described(
    "No credentials, or an unknown, expired or revoked token.",
    "not_authenticated",
    "Authentication credentials were not provided.",
)
FORBIDDEN = _described(
    "Authenticated, but the role or the token's scope does not allow this.",
    "permission_denied",
    "You do not have permission to perform this action.",
)
NOT_FOUND = _described(
    "No such object, or the caller may not see it (the two are the same); also an invalid "
    "cursor or an unknown `format`.",
    "not_found",
    "Not found.",
)
NOT_ACCEPTABLE = _described(
    "The `Accept` header names no media type the operation can answer with.",
    "not_acceptable",
    "Could not satisfy the request Accept header.",
)
THROTTLED = _described(
    "Too many requests; wait `Retry-After` seconds.",
    "throttled",
    "Request was throttled. Expected available in 12 seconds.",
)

READ_ERRORS = {401: UNAUTHORIZED, 403: FORBIDDEN, 406: NOT_ACCEPTABLE, 429: THROTTLED}
OBJECT_READ_ERRORS = {**READ_ERRORS, 404: NOT_FOUND}
WRITE_ERRORS = {400: BAD_REQUEST, 415: UNSUPPORTED_MEDIA_TYPE, **READ_ERRORS}
OBJECT_WRITE_ERRORS = {**WRITE_ERRORS, 404: NOT_FOUND}
