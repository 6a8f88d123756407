"""Serializers of grants. Field names are part of the v1 contract."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.serializers import DataItemSerializer
from kernel.api.serializers import MAX_ID, IdListField, StrictFieldsMixin
from sharing.models import (
    Correction,
    Grant,
    Notification,
    PurposeCategory,
    ShareRequest,
)

from .statuses import PUBLIC_STATUSES, STATUS_NAMES


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
    row_scope_region = serializers.CharField(
        read_only=True,
        help_text=(
            "Only rows whose region code starts with this GB/T 2260 prefix are delivered; "
            "empty: every row. Set at approval."
        ),
    )
    clear_items = serializers.SerializerMethodField(
        help_text=(
            "Ids of the personal data items (among `items`) delivered unmasked; every other "
            "personal item is masked. Set at approval."
        )
    )
    clear_reason = serializers.CharField(
        read_only=True, help_text="Why the approver delivers `clear_items` unmasked."
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
            "row_scope_region",
            "clear_items",
            "clear_reason",
            "purpose",
            "created_at",
            "revoked_at",
            "revoke_reason",
        ]
        read_only_fields = fields

    def get_in_force(self, grant: Grant) -> bool:
        return grant.is_in_force()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_clear_items(self, grant: Grant) -> list[int]:
        # Both prefetched by the view; only items the caller may see are named.
        clear = {item.pk for item in grant.clear_items.all()}
        return [item.pk for item in grant.visible_items if item.pk in clear]  # type: ignore[attr-defined]


class RevokeSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the grant is revoked.")


# --- share requests ---------------------------------------------------------------------------


class ShareRequestSerializer(serializers.ModelSerializer):
    """A share request to one provider; ``resource`` is set when it names a single resource."""

    status = serializers.SerializerMethodField(help_text="One of: " + ", ".join(PUBLIC_STATUSES))
    stage = serializers.CharField(
        source="status",
        read_only=True,
        help_text=(
            "The workflow's own state: `signoff` (draft awaiting the requesting department's "
            "approver), `submitted`, `changes`, `approved`, `rejected`, `negotiation` (escalated "
            "to the coordinator), `refused` (rejected after coordination), `withdrawn`."
        ),
    )
    resource = serializers.SerializerMethodField()
    resources = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    requester_department = serializers.IntegerField(source="requester_department_id")
    provider_department = serializers.IntegerField(source="provider_id")
    deadline = serializers.DateField(
        source="due_date", allow_null=True, help_text="The provider's reply is due on this day."
    )
    deadline_provisional = serializers.BooleanField(
        source="due_date_provisional",
        help_text=(
            "The deadline reaches into a year whose working-day calendar is not official yet; "
            "it is recounted (and both sides notified if it moves) when the year is made official."
        ),
    )

    class Meta:
        model = ShareRequest
        fields = [
            "id",
            "number",
            "status",
            "stage",
            "resource",
            "resources",
            "items",
            "requester_department",
            "provider_department",
            "deadline",
            "deadline_provisional",
            "purpose",
            "purpose_other",
            "legal_basis",
            "scenario",
            "valid_from",
            "valid_until",
            "created_at",
            "submitted_at",
            "decided_at",
            "decision_reason",
            "changes_comment",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=PUBLIC_STATUSES))
    def get_status(self, request: ShareRequest) -> str:
        return STATUS_NAMES[request.status]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_resource(self, request: ShareRequest) -> int | None:
        lines = request.lines.all()  # prefetched by the selector
        return lines[0].resource_id if len(lines) == 1 else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_resources(self, request: ShareRequest) -> list[int]:
        return [line.resource_id for line in request.lines.all()]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_items(self, request: ShareRequest) -> list[int]:
        return [item.pk for line in request.lines.all() for item in line.items.all()]


class _TermsSerializer(StrictFieldsMixin, serializers.Serializer):
    legal_basis = serializers.CharField(max_length=4000, help_text="使用依据: the legal basis.")
    purpose = serializers.ChoiceField(choices=PurposeCategory.choices)
    purpose_other = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Required when purpose=other."
    )
    scenario = serializers.CharField(max_length=4000, help_text="The application scenario.")
    valid_from = serializers.DateField(required=False, help_text="Default: today.")
    valid_until = serializers.DateField()


class ShareRequestCreateSerializer(_TermsSerializer):
    resources = IdListField(
        allow_empty=False,
        max_length=100,
        help_text="Ids of the resources to request; one request is made per provider.",
    )
    items = IdListField(
        required=False,
        max_length=2000,
        help_text="Data item ids; a resource none of whose items is listed gets all it may.",
    )


class ShareRequestResubmitSerializer(StrictFieldsMixin, serializers.Serializer):
    """Changes sent with ``submit/`` on a request whose changes were asked; all optional."""

    legal_basis = serializers.CharField(max_length=4000, required=False)
    purpose = serializers.ChoiceField(choices=PurposeCategory.choices, required=False)
    purpose_other = serializers.CharField(max_length=100, required=False, allow_blank=True)
    scenario = serializers.CharField(max_length=4000, required=False)
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False)
    items = IdListField(required=False)


class ApproveSerializer(StrictFieldsMixin, serializers.Serializer):
    items = IdListField(
        required=False,
        help_text="Grant only these requested items (default: every requested item).",
    )
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False, help_text="May shorten, not extend.")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    row_scope_region = serializers.CharField(
        max_length=6,
        required=False,
        allow_blank=True,
        help_text=(
            "Deliver only rows whose region code starts with this prefix of the requesting "
            "department's region code; empty string: every row. Left out: the default, which "
            "is the requesting district's own region when a district asks a city or province "
            "department above it (数据回流), otherwise every row."
        ),
    )
    clear_items = IdListField(
        required=False,
        help_text="Personal data items among those granted to deliver unmasked.",
    )
    clear_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Required with `clear_items`: how the requester's legal basis allows it.",
    )


# Named for the schema's enum overrides: the correction answer's `decision` keeps "DecisionEnum".
SETTLE_DECISIONS = [("approve", "approve"), ("refuse", "refuse")]
CORRECTION_DECISIONS = ["accept", "reject"]


class SettleSerializer(ApproveSerializer):
    decision = serializers.ChoiceField(
        choices=SETTLE_DECISIONS,
        help_text=(
            "`approve` creates the grants (the other fields as in an approval); `refuse` ends "
            "the request (status `refused`) and allows no other field but `reason`."
        ),
    )
    reason = serializers.CharField(max_length=2000, help_text="The coordinator's reason.")


class ReasonSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CommentSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=2000, help_text="What should change.")


# --- corrections and notifications ------------------------------------------------------------


class CorrectionSerializer(serializers.ModelSerializer):
    deadline_provisional = serializers.BooleanField(
        source="due_date_provisional",
        read_only=True,
        help_text="The answer's due date is provisional (see share requests).",
    )

    class Meta:
        model = Correction
        fields = [
            "id",
            "resource",
            "item",
            "department",
            "description",
            "evidence",
            "status",
            "due_date",
            "deadline_provisional",
            "created_at",
            "answer",
            "answered_at",
        ]
        read_only_fields = fields


class CorrectionCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    resource = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    item = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    description = serializers.CharField(max_length=4000)
    evidence = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class CorrectionAnswerSerializer(StrictFieldsMixin, serializers.Serializer):
    decision = serializers.ChoiceField(choices=CORRECTION_DECISIONS)
    answer = serializers.CharField(max_length=4000, help_text="What was fixed, or why not.")


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True, help_text="In the caller's language.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "created_at", "read_at"]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read.")
