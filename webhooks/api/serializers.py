"""Serializers of webhook subscriptions and deliveries. Field names are part of the v1 contract.

The signing secret appears in exactly two answers, the creation's and the rotation's
(``SubscriptionWithSecretSerializer``); never in a read.
"""

from __future__ import annotations

from rest_framework import serializers

from kernel.api.serializers import StrictFieldsMixin
from webhooks.models import Delivery, EventKind, Subscription


class SubscriptionSerializer(serializers.ModelSerializer):
    """A subscription as its department's administrators see it (without its secret)."""

    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices),
        help_text="The events the endpoint receives.",
    )
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Subscription
        fields = [
            "id",
            "department",
            "target_url",
            "kinds",
            "active",
            "disabled_reason",
            "consecutive_failures",
            "created_by",
            "created_at",
            "secret_rotated_at",
        ]
        read_only_fields = fields


class SubscriptionWithSecretSerializer(SubscriptionSerializer):
    """The answer of a creation or a rotation: the only time the secret is shown."""

    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret (HMAC-SHA256 key). Shown this once: store it now.",
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class SubscriptionCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    target_url = serializers.CharField(
        max_length=500,
        help_text="Where deliveries are POSTed; must resolve into a network the coordinator "
        "allows.",
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices),
        allow_empty=False,
        max_length=len(EventKind.choices),
        help_text="The events to receive.",
    )


class DeliverySerializer(serializers.ModelSerializer):
    """One event's delivery to the subscription, with where its attempts stand."""

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_id",
            "kind",
            "state",
            "attempts",
            "created_at",
            "next_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_error",
            "payload",
        ]
        read_only_fields = fields
