"""API views of webhooks. Reads go through webhooks.selectors, writes through webhooks.services."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from kernel.api.mixins import VisibleQuerysetMixin
from webhooks import selectors, services
from webhooks.models import Subscription

from .serializers import (
    DeliverySerializer,
    SubscriptionCreateSerializer,
    SubscriptionSerializer,
    SubscriptionWithSecretSerializer,
)


def _schema(summary: str, **kwargs: Any) -> Any:
    return extend_schema(summary=summary, tags=["webhooks"], **kwargs)


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


DELIVERY_ID = OpenApiParameter(
    "delivery", OpenApiTypes.INT, OpenApiParameter.PATH, description="The delivery's id."
)


@extend_schema_view(
    list=_schema("List the department's webhook subscriptions (its administrators)"),
    retrieve=_schema("Show a webhook subscription (without its secret)"),
    destroy=_schema("Delete a webhook subscription and its deliveries"),
)
class SubscriptionViewSet(
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Webhooks: a department's endpoints for the portal's events, signed with a secret."""

    visible_selector = staticmethod(selectors.subscriptions_visible_to)
    serializer_class = SubscriptionSerializer

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return SubscriptionCreateSerializer
        if self.action in ("deliveries",):
            return DeliverySerializer
        return SubscriptionSerializer

    def _with_secret(self, subscription: Subscription, secret: str, code: int) -> Response:
        fresh = self.get_queryset().get(pk=subscription.pk)
        fresh.secret = secret
        return Response(SubscriptionWithSecretSerializer(fresh).data, status=code)

    @_schema(
        "Subscribe an endpoint to events (department administrators); the secret is shown once",
        request=SubscriptionCreateSerializer,
        responses={201: SubscriptionWithSecretSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription, secret = services.subscription_create(
            actor=_actor(request), target_url=data["target_url"], kinds=data["kinds"]
        )
        return self._with_secret(subscription, secret, status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Subscription) -> None:
        services.subscription_delete(actor=_actor(self.request), subscription=instance)

    @_schema(
        "Give the subscription a new signing secret, shown once; the old one stops at once",
        operation_id="webhooks_rotate_secret",
        request=None,
        responses={200: SubscriptionWithSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        subscription, secret = services.subscription_rotate_secret(
            actor=_actor(request), subscription=self.get_object()
        )
        return self._with_secret(subscription, secret, status.HTTP_200_OK)

    @_schema(
        "Enable a subscription the portal disabled after repeated failures",
        operation_id="webhooks_enable",
        request=None,
        responses={200: SubscriptionSerializer},
    )
    @action(detail=True, methods=["post"])
    def enable(self, request: Request, pk: str) -> Response:
        subscription = services.subscription_enable(
            actor=_actor(request), subscription=self.get_object()
        )
        fresh = self.get_queryset().get(pk=subscription.pk)
        return Response(SubscriptionSerializer(fresh).data)

    @_schema(
        "List the subscription's deliveries, newest first, with their last answer",
        operation_id="webhooks_deliveries",
        request=None,
        responses={200: DeliverySerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def deliveries(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        rows = selectors.deliveries_of(user=_actor(request), subscription=subscription)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @_schema(
        "Send a delivery again now (a new attempt, same event id and body)",
        operation_id="webhooks_replay",
        parameters=[DELIVERY_ID],
        request=None,
        responses={202: DeliverySerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery>[0-9]{1,18})/replay",
    )
    def replay(self, request: Request, pk: str, delivery: str) -> Response:
        subscription = self.get_object()
        found = (
            selectors.deliveries_of(user=_actor(request), subscription=subscription)
            .filter(pk=int(delivery))
            .first()
        )
        if found is None:
            raise Http404
        replayed = services.delivery_replay(actor=_actor(request), delivery=found)
        return Response(DeliverySerializer(replayed).data, status=status.HTTP_202_ACCEPTED)
