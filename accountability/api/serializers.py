"""Serializers of the conflicts API: each link as the caller's department sees its side."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import ComparisonRun, ItemLink
from ..selectors.links import LinkSides, link_sides


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
    resource_name = serializers.CharField(
        allow_null=True,
        help_text="The other department's entry; null when the caller may not see that entry "
        "(a `cleared` entry above the caller's clearance, or a `provider` entry).",
    )
    item = serializers.CharField(allow_null=True, help_text="Null with `resource_name`.")


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

    def _sides(self, link: ItemLink) -> LinkSides:
        return link_sides(self.context["request"].user, link)

    @extend_schema_field(serializers.ChoiceField(choices=ItemLink.Side.choices))
    def get_side(self, link: ItemLink) -> str:
        return self._sides(link).side

    def get_authoritative(self, link: ItemLink) -> bool:
        return link.authoritative == self._sides(link).side

    @extend_schema_field(OwnSideSerializer)
    def get_own(self, link: ItemLink) -> dict[str, Any]:
        sides = self._sides(link)
        return {
            "resource": sides.own_resource.pk,
            "resource_name": sides.own_resource.name,
            "key": sides.own_key.name,
            "item": sides.own_item.name,
        }

    @extend_schema_field(OtherSideSerializer)
    def get_other(self, link: ItemLink) -> dict[str, Any]:
        sides = self._sides(link)
        return {
            "department": sides.other_department,
            "resource_name": sides.other_resource_name,
            "item": sides.other_item_name,
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
