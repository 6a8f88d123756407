"""Serializers of interfaces and calls. Field names are part of the v1 contract."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exchange import policies
from exchange.models import Interface, InterfaceParameter
from kernel.api.serializers import MAX_ID, StrictFieldsMixin


class InterfaceParameterSerializer(serializers.ModelSerializer):
    data_item_name = serializers.CharField(source="data_item.name", read_only=True)

    class Meta:
        model = InterfaceParameter
        fields = ["data_item", "data_item_name", "direction", "upstream_name"]


class InterfaceSerializer(serializers.ModelSerializer):
    """An interface as the caller sees it; its upstream address and header only for its
    editors and reviewers, its secret for nobody (``has_secret`` says whether one is set)."""

    resource_code = serializers.CharField(source="resource.code", read_only=True, allow_null=True)
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    provider = serializers.IntegerField(source="resource.provider_id", read_only=True)
    has_secret = serializers.BooleanField(read_only=True)
    base_url = serializers.SerializerMethodField(
        help_text="The upstream address; null except for the resource's editors and reviewers."
    )
    call_url = serializers.SerializerMethodField(
        help_text="The stable path of the call (by resource code and interface name); null "
        "until the resource has a code."
    )
    parameters = InterfaceParameterSerializer(many=True, read_only=True)

    class Meta:
        model = Interface
        fields = [
            "id",
            "resource",
            "resource_code",
            "resource_name",
            "provider",
            "name",
            "description",
            "method",
            "timeout_ms",
            "auth_kind",
            "has_secret",
            "base_url",
            "status",
            "review_comment",
            "published_at",
            "call_url",
            "parameters",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_base_url(self, interface: Interface) -> str | None:
        user = self.context["request"].user
        if policies.can_see_interface_upstream(user, interface):
            return interface.base_url
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_call_url(self, interface: Interface) -> str | None:
        code = interface.resource.code
        if not code:
            return None
        return reverse(
            "api:interface-call-by-path", kwargs={"code": code, "interface_name": interface.name}
        )


class ParameterInputSerializer(StrictFieldsMixin, serializers.Serializer):
    data_item = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    direction = serializers.ChoiceField(choices=InterfaceParameter.Direction.choices)
    upstream_name = serializers.CharField(max_length=64)


class InterfaceCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    resource = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    name = serializers.CharField(max_length=40)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    base_url = serializers.CharField(max_length=500)
    method = serializers.ChoiceField(choices=Interface.Method.choices)
    timeout_ms = serializers.IntegerField(min_value=100, max_value=30000, required=False)
    auth_kind = serializers.ChoiceField(choices=Interface.AuthKind.choices, required=False)
    auth_header = serializers.CharField(max_length=64, required=False, allow_blank=True)
    secret = serializers.CharField(
        max_length=512,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Sent to the upstream as the bearer token or header value; stored encrypted, "
        "never shown again.",
    )
    parameters = ParameterInputSerializer(many=True, allow_empty=False, max_length=200)  # type: ignore[call-arg]


class InterfaceDecideSerializer(StrictFieldsMixin, serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("publish", "publish"), ("return", "return")])
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CallResultSerializer(serializers.Serializer):
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(),
        help_text="The output fields returned: the granted, readable data items, by name.",
    )
    masked = serializers.ListField(
        child=serializers.CharField(), help_text="The returned fields whose values are masked."
    )
    results = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField(allow_null=True)),
        help_text="The upstream's records within the grant's row scope, with only `fields`.",
    )
    latency_ms = serializers.FloatField(help_text="The upstream's time, retries included.")


CALL_BODY: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "string", "maxLength": 1000}, {"type": "number"}, {"type": "boolean"}],
        "nullable": True,
    },
    "description": "Input parameters by data item name or upstream name, each a single value.",
}
