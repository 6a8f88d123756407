"""Serializers of data needs. Field names are part of the v1 contract."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kernel.api.serializers import MAX_ID, StrictFieldsMixin
from needs.models import Need, NeedStatus
from sharing.models import PurposeCategory


class NeedSerializer(serializers.ModelSerializer):
    """A data need as every department sees it; ``resource`` only if the caller may see it."""

    number = serializers.CharField(read_only=True)
    requester_department_name = serializers.CharField(
        source="requester_department.name", read_only=True
    )
    provider_name = serializers.CharField(
        source="provider.name", read_only=True, default=None, allow_null=True
    )
    deadline_provisional = serializers.BooleanField(
        source="due_date_provisional",
        read_only=True,
        help_text="The answer's due date reaches into a year whose calendar is not official.",
    )
    resource = serializers.SerializerMethodField(
        help_text="The resource that answers the need; null until linked, and null for a "
        "caller who may not see that resource in the catalog."
    )
    share_request = serializers.SerializerMethodField(
        help_text="The share request made from the need (requesting department and provider "
        "only; null for others)."
    )

    class Meta:
        model = Need
        fields = [
            "id",
            "number",
            "title",
            "description",
            "data_items",
            "legal_basis",
            "purpose",
            "purpose_other",
            "business",
            "requester_department",
            "requester_department_name",
            "suggested_provider",
            "provider",
            "provider_name",
            "status",
            "created_at",
            "routed_at",
            "due_date",
            "deadline_provisional",
            "answered_at",
            "answer",
            "resource",
            "new_resource",
            "share_request",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_resource(self, need: Need) -> int | None:
        return need.resource_id if getattr(need, "resource_visible", False) else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_share_request(self, need: Need) -> int | None:
        user = self.context["request"].user
        parties = (need.requester_department_id, need.provider_id)
        return need.share_request_id if user.department_id in parties else None


class NeedCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=100, help_text="What data is needed.")
    description = serializers.CharField(max_length=4000)
    data_items = serializers.ListField(
        child=serializers.CharField(max_length=50),
        allow_empty=False,
        max_length=100,
        help_text="The data items wanted, as the requesting department names them.",
    )
    legal_basis = serializers.CharField(max_length=4000)
    purpose = serializers.ChoiceField(choices=PurposeCategory.choices)
    purpose_other = serializers.CharField(max_length=100, required=False, allow_blank=True)
    business = serializers.CharField(max_length=4000, help_text="The business the data serves.")
    suggested_provider = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="The id of the department believed to hold the data.",
    )


class NeedRouteSerializer(StrictFieldsMixin, serializers.Serializer):
    provider = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the provider department."
    )


class NeedLinkSerializer(StrictFieldsMixin, serializers.Serializer):
    resource = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="A published resource of the provider's."
    )
    answer = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class NeedRegisterSerializer(StrictFieldsMixin, serializers.Serializer):
    answer = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        help_text="What will be registered, and when.",
    )


class NeedRefuseSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=4000, help_text="The legal basis for the refusal.")


class NeedRequestResultSerializer(serializers.Serializer):
    share_request = serializers.IntegerField(help_text="The id of the share request made.")


STATUSES = [s.value for s in NeedStatus]
