"""API views of a resource's data: query rows, download them, push rows, verify a record.

The resource comes from the visibility selector (404 if the caller may not see it); the data from
the dataset selectors and services, which apply the grant's items, clearance, masking and row
scope and audit every read. A caller who sees the resource but may not read its data gets 403:
the resource exists for them (it is in their catalog), so "not found" would be a lie, and the
reason (no grant in force) is what they need to act on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from accounts.models import User
from catalog import selectors
from catalog.models import Resource
from datasets import exports as data_exports
from datasets import policies as data_policies
from datasets import selectors as data_selectors
from datasets import services as data_services
from datasets.validation import DatasetInvalid
from kernel.api import errors
from kernel.api.mixins import GenericPlansMixin, VisibleQuerysetMixin

from . import examples
from .serializers import (
    DataErrorSerializer,
    KeyFilterSerializer,
    PushResultSerializer,
    PushSerializer,
    QualitySerializer,
    RowPageSerializer,
    RowsQuerySerializer,
    VerifyResultSerializer,
    VerifySerializer,
)

NO_QUALITY = _(
    "You may not see this resource's data quality: only readers of its data within its level do."
)
NOT_PROFILED = _("The resource's current data has no quality profile yet.")
NO_GRANT = _(
    "You may not read this resource's data: your department holds no grant in force on it. "
    "Request access in the portal."
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
T = TypeVar("T")


class _FileRenderer(BaseRenderer):
    """Selects a download by ``?format=`` or ``Accept``; the view writes the file itself."""

    charset = None

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        raise AssertionError("downloads are written by the view, errors rendered as JSON")


class CsvRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(_FileRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"


def _schema(summary: str, **kwargs: Any) -> Any:
    return extend_schema(summary=summary, tags=["data"], **kwargs)


class ResourceDataViewSet(GenericPlansMixin, VisibleQuerysetMixin, viewsets.GenericViewSet):
    """The data of the resources the caller may see, within what the caller may read."""

    visible_selector = staticmethod(selectors.resources_visible_to)
    serializer_class = RowPageSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def keyed_request(self, request: HttpRequest, action: str | None) -> bool:
        # A lookup by key (``?key=``), not a page of a filtered scan or a download.
        return action == "rows" and "key" in request.GET and "format" not in request.GET

    def get_renderers(self) -> list[BaseRenderer]:
        renderers = [JSONRenderer(), BrowsableAPIRenderer()]
        # No action: a method the URL does not take, which must be a 405 whatever ``?format=``
        # says (without the file renderers, ``format=csv`` would be a 404 first).
        if self.action in ("rows", None):
            renderers += [CsvRenderer(), XlsxRenderer()]
        return renderers

    def get_serializer_class(self) -> Any:
        # What the browsable API offers as the form of each action.
        return {"rows_push": PushSerializer, "verify": VerifySerializer}.get(
            self.action, RowPageSerializer
        )

    def handle_exception(self, exc: Exception) -> Response:
        # Errors are JSON in the one error shape, even when a CSV or XLSX file was asked for.
        if getattr(self.request, "accepted_renderer", None) is not None and isinstance(
            self.request.accepted_renderer, _FileRenderer
        ):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def get_object(self) -> Resource:
        """Return the resource of the URL if the caller may see it, else 404."""
        try:
            resource = selectors.resource_get_visible_bare(
                user=self.actor, pk=int(self.kwargs["pk"])
            )
        except Resource.DoesNotExist:
            raise Http404 from None
        self.check_object_permissions(self.request, resource)
        return resource

    @property
    def actor(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def _read(self, read: Callable[[], T]) -> T:
        """Run a dataset read of a visible resource; a visible but unreadable one is 403."""
        try:
            return read()
        except Http404:
            # SECURITY: get_object() already answered 404 for anything the caller may not see,
            # so this only says "no grant" about a resource that exists for them.
            raise PermissionDenied(NO_GRANT) from None

    @_schema(
        "Read a resource's rows, or download them as CSV or XLSX",
        description=(
            "Only the items the caller may read (granted, within clearance), personal data "
            "masked unless the grant delivers it in clear, only rows within the grant's row "
            "scope. Pages follow `next_cursor` (keyset). `?format=csv` or `?format=xlsx` "
            "(or `Accept: text/csv`) downloads every matching row as a file instead. "
            "403 when the caller sees the resource but holds no grant on its data. "
            "Every read is audited."
        ),
        operation_id="resources_rows_list",
        parameters=[RowsQuerySerializer],
        examples=[examples.ROWS],
        responses={
            (200, "application/json"): RowPageSerializer,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_TYPE): OpenApiTypes.BINARY,
            400: errors.BAD_REQUEST,
            **errors.OBJECT_READ_ERRORS,
        },
    )
    @action(detail=True, methods=["get"], url_path="rows")
    def rows(self, request: Request, pk: str) -> Any:
        renderer = request.accepted_renderer
        if isinstance(renderer, _FileRenderer):
            return self._download(request, str(renderer.format))
        resource = self.get_object()
        query = RowsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self._read(
            lambda: data_selectors.dataset_rows_for(
                user=self.actor,
                resource=resource,
                filters=query.filters(),
                after=query.validated_data.get("after"),
                limit=query.validated_data["limit"],
            )
        )
        next_url = (
            replace_query_param(request.build_absolute_uri(), "after", page.next_cursor)
            if page.next_cursor
            else None
        )
        return Response(
            {
                "version": page.version,
                "columns": page.columns,
                "results": page.as_dicts(),
                "next_cursor": page.next_cursor,
                "next": next_url,
            }
        )

    def _download(self, request: Request, format: str) -> FileResponse:
        resource = self.get_object()
        query = KeyFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # FileResponse closes the file once it has been sent, so no context manager here.
        out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        try:
            self._read(
                lambda: data_exports.dataset_export(
                    user=self.actor,
                    resource=resource,
                    out=out,
                    format=format,
                    filters=query.filters(),
                )
            )
        except BaseException:
            out.close()
            raise
        out.seek(0)
        name = (resource.code or str(resource.pk)).replace("/", "-")
        return FileResponse(out, as_attachment=True, filename=f"{name}.{format}")

    @_schema(
        "Push rows into a resource's data (replace, append or upsert)",
        description=(
            "For the provider's editors (a write token). Every row is checked against the data "
            "items; if any is wrong nothing is stored and the answer lists row, column and "
            "reason. The same `batch_id` twice stores once and replays the first answer."
        ),
        operation_id="resources_rows_push",
        request=PushSerializer,
        responses={
            200: OpenApiResponse(PushResultSerializer, examples=[examples.PUSHED]),
            **errors.OBJECT_WRITE_ERRORS,
            422: OpenApiResponse(
                DataErrorSerializer,
                description="Rows the data items refuse: nothing was stored.",
            ),
        },
    )
    @rows.mapping.post
    def rows_push(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        body = PushSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = data_services.dataset_push(
                actor=self.actor,
                resource=resource,
                rows=body.validated_data["rows"],
                mode=body.validated_data["mode"],
                batch_id=body.validated_data["batch_id"],
            )
        except DatasetInvalid as exc:
            return Response(_invalid_rows_body(exc), status=422)
        return Response(result)

    @_schema(
        "Verify a record (数据核验) without reading it",
        description=(
            "Answers whether a record with the given key values exists within what the caller "
            "may read, and for each item in `values` whether it equals the stored value. No "
            "data is returned. Audited like a read."
        ),
        operation_id="resources_verify",
        request=VerifySerializer,
        responses={
            200: OpenApiResponse(VerifyResultSerializer, examples=[examples.VERIFIED]),
            **errors.OBJECT_WRITE_ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        body = VerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = self._read(
            lambda: data_selectors.dataset_verify(
                user=self.actor,
                resource=resource,
                keys=body.validated_data["keys"],
                values=body.validated_data.get("values") or {},
            )
        )
        return Response(answer)

    @_schema(
        "Read the quality profile of a resource's current data",
        description=(
            "The provider's users within the resource's level get every item's figures "
            "(`view: details`); other readers of the data within its level get the summary "
            "(score, completeness, freshness). 403 when the caller sees the resource but not its "
            "data quality; 404 when the current data is not profiled yet."
        ),
        operation_id="resources_quality_retrieve",
        responses={200: QualitySerializer, **errors.OBJECT_READ_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def quality(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        # One decision for the permission and the selector (each would otherwise take it).
        decision = data_policies.data_read(self.actor, resource)
        if not data_policies.quality_view(self.actor, resource, decision):
            raise PermissionDenied(NO_QUALITY)
        shown = data_selectors.resource_quality_for(
            user=self.actor, resource=resource, decision=decision
        )
        if shown is None:
            raise NotFound(NOT_PROFILED)
        q = shown.quality
        details = shown.view == "details"
        body = {
            "view": shown.view,
            "version": shown.version,
            "score": shown.score,
            "completeness": shown.completeness,
            "fresh": shown.fresh,
            "data_updated_at": shown.freshness.updated_at,
            "profiled_at": q.profiled_at,
            "row_count": q.row_count if details else None,
            "validity": q.validity if details else None,
            "uniqueness": q.uniqueness if details else None,
            "duplicate_keys": q.duplicate_keys if details else None,
            "missing_keys": q.missing_keys if details else None,
            "on_cycle": q.on_cycle if details else None,
            "items": [{k: v for k, v in i.items() if not k.endswith("_pct")} for i in shown.items],
        }
        return Response(QualitySerializer(body).data)


def _invalid_rows_body(exc: DatasetInvalid) -> dict[str, Any]:
    """Return the error body of a refused batch: every problem with row, column and reason."""
    report = exc.report
    fields: dict[str, list[str]] = {}
    for error in report.errors:
        if error["row"]:
            path = f"rows.{error['row'] - 1}" + (f".{error['column']}" if error["column"] else "")
            fields.setdefault(path, []).append(error["message"])
    body = errors.error_body("unprocessable", exc.messages[0], fields)
    body["error"]["rows"] = [
        {"row": e["row"], "column": e["column"], "reason": e["message"]} for e in report.errors
    ]
    body["error"]["total"] = report.total
    return body
