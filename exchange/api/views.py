"""API views of interfaces and the broker. Reads go through exchange.selectors, writes and
calls through exchange.services.

A call answers exactly as a read of the resource's rows does when the caller may not read the
data (403 with the same message), is over its rate (429 ``throttled`` with ``Retry-After``) or
names no visible interface (404). The broker's own refusals: 503 ``circuit_open`` while the
interface's circuit is open, 502 ``upstream_error`` and 504 ``upstream_timeout``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from catalog import selectors as catalog_selectors
from catalog.models import Resource
from datasets.api.views import NO_GRANT
from exchange import selectors
from exchange.models import Interface
from exchange.services import calls
from exchange.services import interfaces as services
from kernel.api import errors
from kernel.api.mixins import GenericPlansMixin, VisibleQuerysetMixin
from kernel.errors import ReferenceNotFound

from .serializers import (
    CALL_BODY,
    CallResultSerializer,
    InterfaceCreateSerializer,
    InterfaceDecideSerializer,
    InterfaceSerializer,
)


class CircuitOpenError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "circuit_open"
    default_detail = "The interface failed repeatedly; calls are paused."


class UpstreamError(exceptions.APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "upstream_error"
    default_detail = "The interface did not answer usefully."


class UpstreamTimeout(exceptions.APIException):
    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    default_code = "upstream_timeout"
    default_detail = "The interface did not answer in time."


def _described(text: str, code: str, message: str) -> OpenApiResponse:
    example = OpenApiExample(code, value=errors.error_body(code, message))
    return OpenApiResponse(response=errors.ErrorSerializer, description=text, examples=[example])


CALL_ERRORS = {
    400: errors.BAD_REQUEST,
    **errors.OBJECT_WRITE_ERRORS,
    502: _described(
        "`upstream_error`: the upstream failed: a connection error, a non-2xx status, an "
        "answer that is not JSON records or is too large, or a target no longer allowed.",
        "upstream_error",
        "The interface did not answer usefully (upstream_status).",
    ),
    503: _described(
        "`circuit_open`: the interface failed repeatedly; retry after `Retry-After` seconds.",
        "circuit_open",
        "The interface failed repeatedly; calls are paused for 60 seconds.",
    ),
    504: _described(
        "`upstream_timeout`: no answer within the interface's timeout (a GET: twice).",
        "upstream_timeout",
        "The interface did not answer in time.",
    ),
}


def _schema(summary: str, **kwargs: Any) -> Any:
    return extend_schema(summary=summary, tags=["interfaces"], **kwargs)


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _params(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise exceptions.ValidationError(_("Send the input parameters as one JSON object."))
    bad = {
        str(key): [_("Give a single value.")]
        for key, value in data.items()
        if value is not None and not isinstance(value, (str, int, float, bool))
    }
    if bad:
        raise exceptions.ValidationError(bad)
    return dict(data)


def _call(request: Request, interface: Interface, *, test: bool = False) -> Response:
    """Run a call (or a provider's test call) and answer with its result or its refusal."""
    params = _params(request)
    try:
        if test:
            result = calls.interface_test_call(
                actor=_actor(request), interface=interface, params=params
            )
        else:
            result = calls.interface_call(actor=_actor(request), interface=interface, params=params)
    except Http404:
        # SECURITY: the interface is visible (else 404 earlier), so this says only what the
        # rows API says about the resource: no grant in force, or nothing within clearance.
        raise PermissionDenied(NO_GRANT) from None
    except calls.CallThrottled as refused:
        raise exceptions.Throttled(wait=refused.retry_after) from None
    except calls.CircuitOpen as refused:
        error = CircuitOpenError(
            _("The interface failed repeatedly; calls are paused for %(seconds)d seconds.")
            % {"seconds": int(refused.retry_after)}
        )
        error.wait = refused.retry_after  # type: ignore[attr-defined]
        raise error from None
    except calls.UpstreamFailed as failed:
        if failed.outcome.kind == "timeout":
            raise UpstreamTimeout(_("The interface did not answer in time.")) from None
        raise UpstreamError(
            _("The interface did not answer usefully (%(kind)s).") % {"kind": failed.outcome.kind}
        ) from None
    return Response(
        {
            "fields": result.fields,
            "masked": result.masked,
            "results": result.results,
            "latency_ms": result.latency_ms,
        }
    )


@extend_schema_view(
    list=_schema("List the interfaces the caller sees (published ones, and its own drafts)"),
    retrieve=_schema("Show an interface"),
)
class InterfaceViewSet(
    GenericPlansMixin,
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """服务接口: live interfaces of resources, called through the portal's broker."""

    generic_plan_actions = frozenset({"call"})

    visible_selector = staticmethod(selectors.interfaces_visible_to)
    serializer_class = InterfaceSerializer
    filter_backends: list[Any] = []

    def optimize(self, queryset: Any) -> Any:
        return selectors.with_parameters(queryset)

    def reads_only(self, request: Request) -> bool:
        """A call and a test call only read: a read-scope token may make them."""
        return self.action in ("call", "test_call")

    def get_serializer_class(self) -> Any:
        return {
            "create": InterfaceCreateSerializer,
            "decide": InterfaceDecideSerializer,
        }.get(self.action, InterfaceSerializer)

    def _input(self) -> dict[str, Any]:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def present(self, interface: Interface, code: int = status.HTTP_200_OK) -> Response:
        # The actor may no longer see what they acted on (a coordinator returning a draft).
        fresh = self.get_queryset().filter(pk=interface.pk).first() or (
            selectors.interface_acted_on(pk=interface.pk)
        )
        return Response(
            InterfaceSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @_schema(
        "Register a draft interface of a resource (the resource's catalog editors)",
        request=InterfaceCreateSerializer,
        responses={201: InterfaceSerializer, **errors.WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = self._input()
        try:
            resource = catalog_selectors.resource_get_visible_bare(
                user=_actor(request), pk=data["resource"]
            )
        except Resource.DoesNotExist:
            raise ReferenceNotFound({"resource": [_("No such resource.")]}) from None
        interface = services.interface_register(
            actor=_actor(request),
            resource=resource,
            name=data["name"],
            description=data.get("description", ""),
            base_url=data["base_url"],
            method=data["method"],
            timeout_ms=data.get("timeout_ms", 3000),
            auth_kind=data.get("auth_kind", Interface.AuthKind.NONE),
            auth_header=data.get("auth_header", ""),
            secret=data.get("secret", ""),
            parameters=[services.ParameterSpec(**p) for p in data["parameters"]],
        )
        return self.present(interface, status.HTTP_201_CREATED)

    @_schema(
        "Submit a draft interface for review (the resource's catalog editors)",
        operation_id="interfaces_submit",
        request=None,
        responses={200: InterfaceSerializer, **errors.OBJECT_WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        interface = services.interface_submit(actor=_actor(request), interface=self.get_object())
        return self.present(interface)

    @_schema(
        "Publish or return a submitted interface (the coordinator)",
        operation_id="interfaces_decide",
        request=InterfaceDecideSerializer,
        responses={200: InterfaceSerializer, **errors.OBJECT_WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        interface = self.get_object()
        data = self._input()
        if data["decision"] == "publish":
            interface = services.interface_publish(actor=_actor(request), interface=interface)
        else:
            interface = services.interface_return(
                actor=_actor(request), interface=interface, comment=data.get("comment", "")
            )
        return self.present(interface)

    @_schema(
        "Retire a published interface (the resource's catalog editors)",
        operation_id="interfaces_retire",
        request=None,
        responses={200: InterfaceSerializer, **errors.OBJECT_WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        interface = services.interface_retire(actor=_actor(request), interface=self.get_object())
        return self.present(interface)

    @_schema(
        "Test-call an interface as its provider (the resource's catalog editors)",
        description="Whatever the interface's status (but retired): the editor's own data "
        "within their clearance, in clear. Audited; not counted in the availability figures.",
        operation_id="interfaces_test_call",
        request={"application/json": CALL_BODY},
        responses={200: CallResultSerializer, **CALL_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="test-call")
    def test_call(self, request: Request, pk: str) -> Response:
        return _call(request, self.get_object(), test=True)

    @_schema(
        "Call a published interface through the broker",
        description="The same decision as a read of the resource's rows: 403 when the caller "
        "sees the interface but may not read the resource's data. Only the granted output "
        "items within the caller's clearance are returned, personal items masked unless the "
        "grant delivers them in clear, records outside the grant's row scope dropped. "
        "429 over the department's rate. Every call is audited (a digest of the parameters, "
        "never the data).",
        operation_id="interfaces_call",
        request={"application/json": CALL_BODY},
        responses={200: CallResultSerializer, **CALL_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def call(self, request: Request, pk: str) -> Response:
        # The same visibility as get_object(), by the predicate on one keyed row (hot path).
        interface = selectors.interface_get_for_call(user=_actor(request), pk=int(pk))
        return _call(request, interface)


class InterfaceCallByPathView(GenericPlansMixin, APIView):
    """The stable path of a call: the resource's code and the interface's name."""

    generic_plan_actions = frozenset({"*"})

    def reads_only(self, request: Request) -> bool:
        """A call only reads: a read-scope token may make it."""
        return True

    @_schema(
        "Call a published interface by resource code and interface name",
        description="The same call as `POST /api/v1/interfaces/{id}/call/`, by a path that "
        "does not change when an interface is registered again.",
        operation_id="resources_interfaces_call",
        request={"application/json": CALL_BODY},
        responses={200: CallResultSerializer, **CALL_ERRORS},
    )
    def post(self, request: Request, code: str, interface_name: str) -> Response:
        interface = selectors.interface_get_by_path(
            user=_actor(request), code=code, name=interface_name
        )
        return _call(request, interface)
