"""Serializers of the conflicts API: each link as the caller's department sees its side."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import ComparisonRun, ItemLink


class ComparisonSerializer(serializers.ModelSerializer):
    conflict_rate = serializers.FloatField(
        allow_null=True,
        read_only=True,
        help_text="Conflicts per hundred keys whose values both sides hold; null if none do.",
    )

    class Meta:
        model = ComparisonRun
        fields = [
            "id",
            "finished_at",
            "matched",
            "agreements",
            "conflicts",
            "gaps",
            "conflict_rate",
        ]
        read_only_fields = fields


class OwnSideSerializer(serializers.Serializer):
    resource = serializers.IntegerField(help_text="The caller's department's resource.")
    resource_name = serializers.CharField()
    key = serializers.CharField(help_text="The key item the rows are matched on.")
    item = serializers.CharField(help_text="The compared item.")


class OtherSideSerializer(serializers.Serializer):
    department = serializers.CharField(help_text="The other department's name.")
    resource_name = serializers.CharField()
    item = serializers.CharField()


class ConflictLinkSerializer(serializers.ModelSerializer):
    """One link the caller's department owns a side of, with its last comparison."""

    side = serializers.SerializerMethodField(help_text="The caller's department's side.")
    authoritative = serializers.SerializerMethodField(
        help_text="Whether the caller's side is the authoritative source."
    )
    own = serializers.SerializerMethodField()
    other = serializers.SerializerMethodField()
    last_comparison = ComparisonSerializer(source="last_run", allow_null=True, read_only=True)

    class Meta:
        model = ItemLink
        fields = ["id", "side", "authoritative", "own", "other", "last_comparison"]
        read_only_fields = fields

    def _side(self, link: ItemLink) -> str:
        user = self.context["request"].user
        return str(link.side_of(user.department_id) or ItemLink.Side.LEFT)

    @extend_schema_field(serializers.ChoiceField(choices=ItemLink.Side.choices))
    def get_side(self, link: ItemLink) -> str:
        return self._side(link)

    def get_authoritative(self, link: ItemLink) -> bool:
        return link.authoritative == self._side(link)

    @extend_schema_field(OwnSideSerializer)
    def get_own(self, link: ItemLink) -> dict[str, Any]:
        side = self._side(link)
        resource = getattr(link, f"{side}_resource")
        return {
            "resource": resource.pk,
            "resource_name": resource.name,
            "key": getattr(link, f"{side}_key").name,
            "item": getattr(link, f"{side}_item").name,
        }

    @extend_schema_field(OtherSideSerializer)
    def get_other(self, link: ItemLink) -> dict[str, Any]:
        side = "right" if self._side(link) == ItemLink.Side.LEFT else "left"
        resource = getattr(link, f"{side}_resource")
        return {
            "department": resource.provider.name,
            "resource_name": resource.name,
            "item": getattr(link, f"{side}_item").name,
        }


class ConflictRowSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The conflict's place in the last comparison.")
    key = serializers.CharField(help_text="The key, masked.")
    own_value = serializers.CharField(
        allow_null=True, help_text="The caller's side's value; null above the caller's clearance."
    )
    other_value = serializers.CharField(
        allow_null=True, help_text="The other side's value; null above the caller's clearance."
    )


class ConflictRowsSerializer(serializers.Serializer):
    link = serializers.IntegerField()
    comparison = serializers.IntegerField(allow_null=True)
    own_values_shown = serializers.BooleanField()
    other_values_shown = serializers.BooleanField()
    results = ConflictRowSerializer(many=True)
