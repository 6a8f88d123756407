"""API views of sharing. Reads go through sharing.selectors, writes through sharing.services."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from catalog.models import DataItem
from catalog.selectors import data_items_visible_to, resources_visible_to
from kernel.api.mixins import VisibleQuerysetMixin
from kernel.errors import ReferenceNotFound, RuleViolation
from sharing import selectors, services
from sharing.models import Correction, RequestStatus, ShareRequest

from . import examples
from .filters import CorrectionFilter, GrantFilter, NotificationFilter, ShareRequestFilter
from .serializers import (
    ApproveSerializer,
    CommentSerializer,
    CorrectionAnswerSerializer,
    CorrectionCreateSerializer,
    CorrectionSerializer,
    GrantSerializer,
    MarkedSerializer,
    NotificationSerializer,
    ReasonSerializer,
    RevokeSerializer,
    SettleSerializer,
    ShareRequestCreateSerializer,
    ShareRequestResubmitSerializer,
    ShareRequestSerializer,
)

# A department id as the grant list's filter takes it, in plain ASCII digits; any other spelling
# of the caller's own department is filtered through the whole policy (the same grants).
OWN_ID = re.compile(r"[0-9]{1,18}")


@extend_schema_view(
    list=extend_schema(
        summary="List grants (held by or given by the caller's department)",
        tags=["sharing"],
        examples=[examples.GRANT],
    ),
    retrieve=extend_schema(summary="Show a grant", tags=["sharing"], examples=[examples.GRANT]),
)
class GrantViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Grants: a consumer department's scoped, time-limited right to a resource's data."""

    visible_selector = staticmethod(selectors.grants_visible_to)
    serializer_class = GrantSerializer
    filterset_class = GrantFilter

    def get_serializer_class(self) -> Any:
        return RevokeSerializer if self.action == "revoke" else GrantSerializer

    def get_queryset(self) -> QuerySet[Any]:
        # ?department=<the caller's own department>: the grants it holds, read through that side
        # of the policy (grants_held_q), the same grants as both sides' OR filtered by the
        # department, without the OR the planner misjudges (tests/test_policy_agreement.py).
        # Anything else, another department included, goes through the whole policy.
        if self.action == "list" and self._own_department_asked():
            return self.optimize(selectors.grants_as_consumer(user=self.request.user))  # type: ignore[arg-type]
        return super().get_queryset()

    def _own_department_asked(self) -> bool:
        values = self.request.query_params.getlist("department")
        department_id = getattr(self.request.user, "department_id", None)
        return (
            department_id is not None
            and len(values) == 1
            and OWN_ID.fullmatch(values[0]) is not None
            and int(values[0]) == department_id
        )

    def _items_prefetch(self) -> Prefetch:
        items = (
            data_items_visible_to(user=self.request.user)  # type: ignore[arg-type]
            .select_related("code_list")
            .order_by("position", "id")
        )
        return Prefetch("items", queryset=items, to_attr="visible_items")

    def _clear_prefetch(self) -> Prefetch:
        return Prefetch("clear_items", queryset=DataItem.objects.only("pk"))

    def optimize(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # Names come by join; the page's granted items in one prefetch, not one query per grant.
        # prefetch_related(None) drops the selector's own item prefetch, which the API replaces
        # with one limited to the caller's clearance.
        return (
            queryset.prefetch_related(None)
            .select_related("resource", "department")
            .prefetch_related(self._items_prefetch(), self._clear_prefetch())
        )

    @extend_schema(
        summary="Revoke a grant (provider's approver or coordinator)",
        tags=["sharing"],
        operation_id="grants_revoke",
        examples=[examples.REVOKED_GRANT],
        request=RevokeSerializer,
        responses={200: GrantSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        grant = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        revoked = services.grant_revoke(
            actor=user, grant=grant, reason=serializer.validated_data["reason"]
        )
        prefetch_related_objects([revoked], self._items_prefetch(), self._clear_prefetch())
        return Response(GrantSerializer(revoked, context=self.get_serializer_context()).data)


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _approval_terms(share_request: ShareRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return the service's approval arguments from an approval's (or a settlement's) body."""
    items: dict[int, list[int]] | None = None
    if "items" in data:
        asked = {
            item.pk: line.resource_id
            for line in share_request.lines.all()
            for item in line.items.all()
        }
        if any(item_pk not in asked for item_pk in data["items"]):
            raise RuleViolation(
                {"items": [_("An approval may only grant items that were requested.")]}
            )
        items = {line.resource_id: [] for line in share_request.lines.all()}
        for item_pk in data["items"]:
            items[asked[item_pk]].append(item_pk)
    return {
        "items": items,
        "valid_from": data.get("valid_from"),
        "valid_until": data.get("valid_until"),
        # Left out: the default scope; "" is every row, chosen explicitly.
        "row_scope": data.get("row_scope_region"),
        "clear_items": data.get("clear_items", []),
        "clear_reason": data.get("clear_reason", ""),
    }


def _request_schema(summary: str, **kwargs: Any) -> Any:
    return extend_schema(summary=summary, tags=["share-requests"], **kwargs)


def _item_owners(user: User, item_ids: list[int]) -> dict[int, int]:
    """Return item id → resource id for the items the user may see among the given ids."""
    return dict(
        data_items_visible_to(user=user).filter(pk__in=item_ids).values_list("pk", "resource_id")
    )


def _unknown_items(owners: dict[int, int], item_ids: list[int]) -> None:
    if any(pk not in owners for pk in item_ids):
        raise ReferenceNotFound({"items": [_("Some data items do not exist.")]})


@extend_schema_view(
    list=_request_schema(
        "List share requests (made by or made to the caller's department)",
        examples=[examples.SHOWN],
    ),
    retrieve=_request_schema("Show a share request", examples=[examples.SHOWN]),
)
class ShareRequestViewSet(
    VisibleQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Share requests: one department asks another for some of its resources' data."""

    visible_selector = staticmethod(selectors.requests_visible_to)
    serializer_class = ShareRequestSerializer
    filterset_class = ShareRequestFilter

    def get_serializer_class(self) -> Any:
        return {
            "create": ShareRequestCreateSerializer,
            "submit": ShareRequestResubmitSerializer,
            "approve": ApproveSerializer,
            "reject": ReasonSerializer,
            "escalate": ReasonSerializer,
            "settle": SettleSerializer,
            "request_changes": CommentSerializer,
        }.get(self.action, ShareRequestSerializer)

    def _input(self) -> dict[str, Any]:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def present(self, *requests: ShareRequest, code: int = status.HTTP_200_OK) -> Response:
        """Answer with the requests as the caller now sees them, re-read through the selector."""
        fresh = {r.pk: r for r in self.get_queryset().filter(pk__in=[r.pk for r in requests])}
        context = self.get_serializer_context()
        rows = [ShareRequestSerializer(fresh[r.pk], context=context).data for r in requests]
        return Response(rows if code == status.HTTP_201_CREATED else rows[0], status=code)

    @_request_schema(
        "Request resources (one request per provider)",
        request=ShareRequestCreateSerializer,
        responses={201: ShareRequestSerializer(many=True)},
        examples=[examples.CREATED],
    )
    def create(self, request: Request) -> Response:
        data = self._input()
        actor = _actor(request)
        wanted: list[int] = data.pop("resources")
        resources = {r.pk: r for r in resources_visible_to(user=actor).filter(pk__in=wanted)}
        if len(resources) != len(set(wanted)):
            # Invisible and non-existent are the same answer.
            raise ReferenceNotFound({"resources": [_("Some resources do not exist.")]})
        item_ids: list[int] = data.pop("items", [])
        owners = _item_owners(actor, item_ids)
        _unknown_items(owners, item_ids)
        items: dict[int, list[int]] = {}
        for pk in item_ids:
            items.setdefault(owners[pk], []).append(pk)
        if set(items) - set(resources):
            raise RuleViolation(
                {"items": [_("Some data items do not belong to the requested resources.")]}
            )
        data.setdefault("valid_from", timezone.localdate())
        created = services.share_requests_submit(
            actor=actor, resources=list(resources.values()), items=items or None, **data
        )
        return self.present(*created, code=status.HTTP_201_CREATED)

    @_request_schema(
        "Submit: the requesting department's approver sends a draft on; the requester "
        "resubmits a request whose changes were asked (with the changed terms)",
        operation_id="share_requests_submit",
        examples=[examples.SUBMITTED],
        request=ShareRequestResubmitSerializer,
        responses={200: ShareRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        share_request = self.get_object()
        data = self._input()
        actor = _actor(request)
        if share_request.status != RequestStatus.CHANGES_REQUESTED:
            services.share_request_signoff(actor=actor, request=share_request, approve=True)
            return self.present(share_request)
        lines = share_request.lines.all()
        item_ids: list[int] | None = data.pop("items", None)
        items: dict[int, list[int]] | None = None
        if item_ids is not None:
            owners = _item_owners(actor, item_ids)
            _unknown_items(owners, item_ids)
            items = {line.resource_id: [] for line in lines}
            for item_pk in item_ids:
                items.setdefault(owners[item_pk], []).append(item_pk)
        terms = {
            name: data.get(name, getattr(share_request, name))
            for name in (
                "legal_basis",
                "purpose",
                "purpose_other",
                "scenario",
                "valid_from",
                "valid_until",
            )
        }
        services.share_request_resubmit(actor=actor, request=share_request, items=items, **terms)
        return self.present(share_request)

    @_request_schema(
        "Withdraw an open request (requesting department)",
        operation_id="share_requests_withdraw",
        examples=[examples.WITHDRAWN],
        request=None,
        responses={200: ShareRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        share_request = self.get_object()
        services.share_request_withdraw(actor=_actor(request), request=share_request)
        return self.present(share_request)

    @_request_schema(
        "Approve, creating the grants (provider's approver); may narrow items and period",
        operation_id="share_requests_approve",
        examples=[examples.APPROVED],
        request=ApproveSerializer,
        responses={200: ShareRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        share_request = self.get_object()
        data = self._input()
        services.share_request_decide(
            actor=_actor(request),
            request=share_request,
            decision="approve",
            reason=data.get("reason", ""),
            **_approval_terms(share_request, data),
        )
        return self.present(share_request)

    @_request_schema(
        "Settle an escalated request: approve (creating the grants, with the same choices as "
        "an approval) or refuse for good (platform coordinator)",
        operation_id="share_requests_settle",
        examples=[examples.SETTLED],
        request=SettleSerializer,
        responses={200: ShareRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def settle(self, request: Request, pk: str) -> Response:
        share_request = self.get_object()
        data = self._input()
        approve = data["decision"] == "approve"
        terms: dict[str, Any] = {}
        if approve:
            terms = _approval_terms(share_request, data)
        else:
            extra = sorted(set(data) - {"decision", "reason"})
            if extra:
                message = _("A refusal takes only a reason.")
                raise RuleViolation({field: [message] for field in extra})
        services.share_request_settle(
            actor=_actor(request),
            request=share_request,
            approve=approve,
            reason=data["reason"],
            **terms,
        )
        return self.present(share_request)

    @_request_schema(
        "Reject, with a reason (provider's approver)",
        operation_id="share_requests_reject",
        examples=[examples.REJECTED],
        request=ReasonSerializer,
        responses={200: ShareRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        share_request = self.get_object()
        reason = self._input()["reason"]
        services.share_request_decide(
            actor=_actor(request), request=share_request, decision="reject", reason=reason
        )
        return self.present(share_request)

    @_request_schema(
        "Ask for changes: the provider's approver on a submitted request, or the requesting "
        "department's approver on a draft awaiting sign-off",
        operation_id="share_requests_request_changes",
        examples=[examples.CHANGES_REQUESTED],
        request=CommentSerializer,
        responses={200: ShareRequestSerializer},
    )
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: str) -> Response:
        share_request = self.get_object()
        comment = self._input()["comment"]
        actor = _actor(request)
        if share_request.status == RequestStatus.SIGNOFF:
            services.share_request_signoff(
                actor=actor, request=share_request, approve=False, comment=comment
            )
        else:
            services.share_request_decide(
                actor=actor, request=share_request, decision="changes", reason=comment
            )
        return self.present(share_request)

    @_request_schema(
        "Escalate a rejected request to the coordinator (requesting department)",
        operation_id="share_requests_escalate",
        examples=[examples.ESCALATED],
        request=ReasonSerializer,
        responses={200: ShareRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str) -> Response:
        share_request = self.get_object()
        reason = self._input()["reason"]
        services.share_request_escalate(actor=_actor(request), request=share_request, reason=reason)
        return self.present(share_request)


def _correction_schema(summary: str, **kwargs: Any) -> Any:
    return extend_schema(summary=summary, tags=["corrections"], **kwargs)


@extend_schema_view(
    list=_correction_schema("List corrections (filed by or about the caller's department)"),
    retrieve=_correction_schema("Show a correction"),
)
class CorrectionViewSet(
    VisibleQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """校核纠错: reports that a resource's data is wrong, and the provider's answers."""

    visible_selector = staticmethod(selectors.corrections_visible_to)
    serializer_class = CorrectionSerializer
    filterset_class = CorrectionFilter

    def get_serializer_class(self) -> Any:
        return {
            "create": CorrectionCreateSerializer,
            "answer": CorrectionAnswerSerializer,
        }.get(self.action, CorrectionSerializer)

    def present(self, correction: Correction, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=correction.pk)
        return Response(
            CorrectionSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @_correction_schema(
        "Report wrong data in a resource whose data the caller may read",
        request=CorrectionCreateSerializer,
        responses={201: CorrectionSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = _actor(request)
        resource = resources_visible_to(user=actor).filter(pk=data["resource"]).first()
        if resource is None:
            raise ReferenceNotFound({"resource": [_("This resource does not exist.")]})
        item = None
        if "item" in data:
            item = data_items_visible_to(user=actor).filter(pk=data["item"]).first()
            if item is None:
                raise ReferenceNotFound({"item": [_("Choose a data item of this resource.")]})
        correction = services.correction_file(
            actor=actor,
            resource=resource,
            item=item,
            description=data["description"],
            evidence=data.get("evidence", ""),
        )
        return self.present(correction, status.HTTP_201_CREATED)

    @_correction_schema(
        "Answer a correction (provider's editors): accept and fix, or reject",
        operation_id="corrections_answer",
        request=CorrectionAnswerSerializer,
        responses={200: CorrectionSerializer},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        correction = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answered = services.correction_answer(
            actor=_actor(request),
            correction=correction,
            accepted=serializer.validated_data["decision"] == "accept",
            answer=serializer.validated_data["answer"],
        )
        return self.present(answered)


def _notification_schema(summary: str, **kwargs: Any) -> Any:
    return extend_schema(summary=summary, tags=["notifications"], **kwargs)


@extend_schema_view(
    list=_notification_schema("List the caller's notifications, newest first"),
    retrieve=_notification_schema("Show one of the caller's notifications"),
)
class NotificationViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's own inbox; nobody reads another person's notifications."""

    visible_selector = staticmethod(selectors.notifications_for)
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    @_notification_schema(
        "Mark one notification read",
        operation_id="notifications_mark_read",
        request=None,
        responses={200: NotificationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request: Request, pk: str) -> Response:
        notification = self.get_object()
        services.notifications_mark_read(actor=_actor(request), pks=[notification.pk])
        fresh = self.get_queryset().get(pk=notification.pk)
        return Response(NotificationSerializer(fresh, context=self.get_serializer_context()).data)

    @_notification_schema(
        "Mark all the caller's notifications read",
        operation_id="notifications_mark_all_read",
        request=None,
        responses={200: MarkedSerializer},
    )
    @action(detail=False, methods=["post"], url_path="mark-all-read", filterset_class=None)
    def mark_all_read(self, request: Request) -> Response:
        marked = services.notifications_mark_read(actor=_actor(request))
        return Response({"marked": marked})
