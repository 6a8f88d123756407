"""Serializers of grants. Field names are part of the v1 contract."""

from __future__ import annotations

from rest_framework import serializers

from catalog.api.serializers import DataItemSerializer
from sharing.models import Grant


class GrantSerializer(serializers.ModelSerializer):
    """A grant; ``items`` holds only the granted items within the caller's clearance."""

    resource_name = serializers.CharField(source="resource.name", read_only=True)
    resource_code = serializers.CharField(source="resource.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    # Filled by the view's Prefetch(to_attr="visible_items").
    items = DataItemSerializer(source="visible_items", many=True, read_only=True)
    in_force = serializers.SerializerMethodField(
        help_text="Active and inside its period now; an active grant past its end is not."
    )

    class Meta:
        model = Grant
        fields = [
            "id",
            "resource",
            "resource_name",
            "resource_code",
            "department",
            "department_name",
            "items",
            "valid_from",
            "valid_until",
            "status",
            "in_force",
            "purpose",
            "created_at",
            "revoked_at",
            "revoke_reason",
        ]
        read_only_fields = fields

    def get_in_force(self, grant: Grant) -> bool:
        return grant.is_in_force()


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the grant is revoked.")
