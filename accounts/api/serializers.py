"""Serializers of departments and of the caller."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import ApiToken, Department, Level, Role, User


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "short_name",
            "name_en",
            "uscc",
            "region_code",
            "parent",
            "admin_level",
            "vertically_managed",
        ]
        read_only_fields = fields


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "uscc"]
        read_only_fields = fields


class TokenInfoSerializer(serializers.ModelSerializer):
    scopes = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["prefix", "name", "scopes", "expires_at"]
        read_only_fields = fields

    def get_scopes(self, token: ApiToken) -> list[str]:
        return sorted(token.scope_set)


class MeSerializer(serializers.ModelSerializer):
    department = DepartmentRefSerializer(allow_null=True)
    roles = serializers.SerializerMethodField()
    clearance = serializers.ChoiceField(choices=Level.choices)
    token = serializers.SerializerMethodField(
        help_text="The token this request was made with; null for a session."
    )

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "department", "roles", "clearance", "token"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, user: User) -> list[str]:
        return sorted(user.roles)

    @extend_schema_field(TokenInfoSerializer(allow_null=True))
    def get_token(self, user: User) -> dict | None:
        token = self.context.get("token")
        return TokenInfoSerializer(token).data if isinstance(token, ApiToken) else None
