"""The one error shape of the API and the handler that maps every exception onto it.

Every 4xx/5xx answer is ``{"error": {"code": ..., "message": ..., "fields": {...}}}``: ``code`` is
a stable machine word, ``message`` a sentence in the caller's language, ``fields`` maps a field
(``items.0.name`` for nested ones) to its messages.

A refused write is ``400 invalid`` only when the body does not match the schema; a service's
refusal of a well-formed body says its kind (kernel/errors.py): ``404 not_found`` for an object
it names that does not exist, ``409 conflict`` for a state, ``422 unprocessable`` for a rule.
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

from kernel.errors import ReferenceNotFound, RuleViolation, StateConflict

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


class MissingReference(exceptions.ValidationError):
    """An object named in the body does not exist or is not visible: 404, naming the field."""

    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"


class Conflict(exceptions.ValidationError):
    """The object's state does not allow the action, or the write collides with existing data."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class Unprocessable(exceptions.ValidationError):
    """A well-formed body breaking a rule the schema cannot state."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


# The service's kind of refusal → the API's; the first that matches (a plain ValidationError
# last, a 400).
_REFUSALS: tuple[tuple[type[DjangoValidationError], type[exceptions.ValidationError]], ...] = (
    (ReferenceNotFound, MissingReference),
    (StateConflict, Conflict),
    (RuleViolation, Unprocessable),
    (DjangoValidationError, exceptions.ValidationError),
)
REFUSAL_KINDS = (MissingReference, Conflict, Unprocessable)


def _general_message(code: str) -> str:
    """Return the message of a refusal whose reasons are all in its fields."""
    if code == "not_found":
        return _("Not found.")
    if code == "conflict":
        return _("The object's current state or existing data does not allow this; see the fields.")
    if code == "unprocessable":
        return _("The request breaks a rule; see the fields.")
    return _("The request is not valid; see the fields.")


def _validation_payload(detail: Any, code: str = "invalid") -> dict:
    fields = _flatten(detail) if isinstance(detail, (Mapping, list)) else {"": [force_str(detail)]}
    general: list[str] = fields.pop("", [])
    for key in NON_FIELD_KEYS:
        general.extend(fields.pop(key, []))
    for key in list(fields):
        if key.startswith(NON_FIELD_KEYS):  # e.g. non_field_errors.0
            general.extend(fields.pop(key))
    message = " ".join(general) if general else _general_message(code)
    return error_body(code, message, fields)


def _from_django(exc: Exception) -> Exception:
    """Return the DRF exception that stands for a Django one."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()  # never echo the lookup: the object does not exist
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        kind = next(api for django, api in _REFUSALS if isinstance(exc, django))
        return kind(detail)
    return exc


def _leaf_codes(codes: Any) -> list[str]:
    if isinstance(codes, Mapping):
        return [code for value in codes.values() for code in _leaf_codes(value)]
    if isinstance(codes, list):
        return [code for value in codes for code in _leaf_codes(value)]
    return [str(codes)]


def _missing_references(exc: Exception) -> Exception:
    """Return a serializer's refusal whose only reasons are ids naming no object as a 404.

    A related field answers ``does_not_exist`` for an id in the schema's bounds that names
    nothing the caller may see; any other reason alongside keeps the whole answer a 400.
    """
    if type(exc) is exceptions.ValidationError:
        codes = _leaf_codes(exc.get_codes())
        if codes and all(code == "does_not_exist" for code in codes):
            return MissingReference(exc.detail)
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map Django and DRF exceptions onto the one error shape; log and hide anything else."""
    exc = _missing_references(_from_django(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.error("Unhandled API error", exc_info=exc)
        return Response(
            error_body("server_error", _("The server failed to answer; the error is logged.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        code = exc.default_code if isinstance(exc, REFUSAL_KINDS) else "invalid"
        response.data = _validation_payload(exc.detail, str(code))
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
    "repeated in a list, an unknown `ordering`, a `page_size` outside 1–200, or a JSON body "
    "beyond the size, text, array or depth limits (codes `body_too_large`, `string_too_long`, "
    "`array_too_long`, `parse_error`). A body the schema allows is never a 400: see 404, 409 "
    "and 422.",
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
    "cursor or an unknown `format`. On a write, also an object named by id in the body "
    "(`fields` names the field).",
    "not_found",
    "Not found.",
)
CONFLICT = _described(
    "The object's current state does not allow the action (approving a withdrawn request, "
    "publishing a published resource, revoking a revoked grant), or the write collides with "
    "existing data (a name already taken, an open request for the same resource); `fields` "
    "names the field to blame, if one is.",
    "conflict",
    "Only an active grant can be revoked.",
)
UNPROCESSABLE = _described(
    "The body is well-formed and names existing objects, but breaks a rule the schema cannot "
    "state: across fields (`purpose_other` when `purpose` is `other`, a date order) or against "
    "the data (an item above the grant, a reason a choice requires); `fields` says which.",
    "unprocessable",
    "The request breaks a rule; see the fields.",
    {"purpose_other": ["Describe the other purpose."]},
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
WRITE_ERRORS = {
    400: BAD_REQUEST,
    404: NOT_FOUND,
    409: CONFLICT,
    415: UNSUPPORTED_MEDIA_TYPE,
    422: UNPROCESSABLE,
    **READ_ERRORS,
}
OBJECT_WRITE_ERRORS = {**WRITE_ERRORS, 404: NOT_FOUND}
