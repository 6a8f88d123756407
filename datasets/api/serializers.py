"""Serializers of the data endpoints: row queries, pushed batches and verification (数据核验).

Rows are objects keyed by data item name (the names are the resource's own, usually Chinese), so
their schema is an open object; the services check every name and value against the data items.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from datasets.services import PUSH_MODES
from kernel.api.serializers import StrictFieldsMixin

# Characters no database text column accepts (PostgreSQL refuses NUL outright); refused up front
# so a bad filter or value is a 400 with a message, not a database error.
_FORBIDDEN = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}


def _no_control_characters(value: str) -> None:
    if any(c in _FORBIDDEN for c in value):
        raise serializers.ValidationError(_("Control characters are not allowed."))


# What KeyFilterField accepts, for the schema: no control character, an item name that is not
# blank before the first colon, then the value (possibly empty).
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f"
KEY_FILTER_PATTERN = rf"^[^:{_CONTROL}]*[^:\s{_CONTROL}][^:{_CONTROL}]*:[^{_CONTROL}]*$"
# A text with no control character, and one that is not blank besides (what CharField trims).
TEXT_PATTERN = rf"^[^{_CONTROL}]*$"
NON_BLANK_TEXT_PATTERN = rf"^[^{_CONTROL}]*[^\s{_CONTROL}\x85][^{_CONTROL}]*$"


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": 500, "pattern": KEY_FILTER_PATTERN}
)
class KeyFilterField(serializers.CharField):
    """One ``<item name>:<value>`` exact-match filter."""

    def to_internal_value(self, data: Any) -> tuple[str, str]:  # type: ignore[override]
        text = super().to_internal_value(data)
        _no_control_characters(text)
        name, colon, value = text.partition(":")
        if not colon or not name.strip():
            raise serializers.ValidationError(
                _("Write a filter as “item name:value”, e.g. key=公民身份号码:340102…")
            )
        return name.strip(), value


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": NON_BLANK_TEXT_PATTERN,
    }
)
class CursorField(serializers.CharField):
    """A page's cursor: not blank, no control characters (what the schema's pattern says)."""


def _key_field() -> serializers.ListField:
    return serializers.ListField(
        child=KeyFilterField(max_length=500),
        required=False,
        max_length=20,
        help_text=(
            "Exact match on a key item: `key=<item name>:<value>`, repeated for a compound key "
            "(`?key=公民身份号码:340102199001010012`). Only key items you may read can be filtered."
        ),
    )


class KeyFilterSerializer(serializers.Serializer):
    key = _key_field()

    def filters(self) -> dict[str, str]:
        return dict(self.validated_data.get("key", []))


class RowsQuerySerializer(KeyFilterSerializer):
    after = CursorField(
        required=False,
        max_length=200,
        validators=[_no_control_characters],
        help_text="The `next_cursor` of the previous page; omit for the first page.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        default=100,
        help_text="Rows per page (default 100); larger values are capped at the portal's maximum.",
    )


class RowPageSerializer(serializers.Serializer):
    """One page of rows: only the items the caller may read, personal data masked."""

    version = serializers.IntegerField(
        allow_null=True, help_text="The dataset version read; null when no data is stored yet."
    )
    columns = serializers.ListField(
        child=serializers.CharField(), help_text="The item names delivered, in order."
    )
    results = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_null=True)),
        help_text="Rows as objects of item name → value (text, null when empty).",
    )
    next_cursor = serializers.CharField(
        allow_null=True, help_text="Pass as `after` for the next page; null on the last page."
    )
    next = serializers.CharField(allow_null=True, help_text="The URL of the next page, or null.")


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": 100, "pattern": NON_BLANK_TEXT_PATTERN}
)
class _BatchIdField(serializers.CharField):
    """A push's batch id: not blank, no control characters (what the schema's pattern says)."""


# The schema of _StrictObjectField: values without control characters (refused below). OpenAPI
# 3.0 has no `propertyNames`: a name is checked against the data items instead, where a name with
# control characters is an unknown item (422), as any other name no item has.
@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "type": "string",
            "nullable": True,
            "maxLength": 10_000,
            "pattern": TEXT_PATTERN,
        },
    }
)
class _StrictObjectField(serializers.DictField):
    """A JSON object of item name → value; a non-object is a 400, not a crash."""

    child = serializers.CharField(allow_null=True, allow_blank=True, max_length=10_000)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Give an object of item names and values."))
        values = super().to_internal_value(data)
        for value in values.values():
            if value is not None:
                _no_control_characters(value)
        return values


class PushSerializer(StrictFieldsMixin, serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=list(PUSH_MODES),
        help_text=(
            "`replace`: the batch becomes the whole data (a new version); `append`: add rows, "
            "refusing keys already stored; `upsert`: replace rows with the same key, add the rest."
        ),
    )
    batch_id = _BatchIdField(
        max_length=100,
        validators=[_no_control_characters],
        help_text="Your id of this batch; sending the same id again stores nothing and replays "
        "the first answer.",
    )
    rows = serializers.ListField(
        child=_StrictObjectField(),
        min_length=1,
        help_text="Rows as objects of item name → value; every data item must be present.",
    )


class PushResultSerializer(serializers.Serializer):
    batch_id = serializers.CharField()
    mode = serializers.CharField()
    version = serializers.IntegerField(help_text="The active dataset version after the batch.")
    rows = serializers.IntegerField(help_text="Rows in the batch.")
    inserted = serializers.IntegerField()
    updated = serializers.IntegerField(help_text="Rows replaced by key (upsert).")
    row_count = serializers.IntegerField(help_text="Rows in the active version now.")
    replayed = serializers.BooleanField(help_text="True if this batch id was stored before.")


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Position in `rows`, counting from 1; null for the batch."
    )
    column = serializers.CharField(help_text="The item name, or empty for the whole row.")
    reason = serializers.CharField()


class DataErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="`rows.<index from 0>.<item name>` → reasons, for field-aware clients.",
    )
    rows = RowErrorSerializer(many=True, required=False)
    total = serializers.IntegerField(required=False, help_text="All problems, including omitted.")


class DataErrorSerializer(serializers.Serializer):
    """A refused batch: nothing was stored; each problem names row, column and reason."""

    error = DataErrorDetailSerializer()


class VerifySerializer(StrictFieldsMixin, serializers.Serializer):
    keys = _StrictObjectField(help_text="Every key item → its value.")
    values = _StrictObjectField(
        required=False,
        help_text="Optional item → value pairs to compare with the stored record.",
    )


class VerifyResultSerializer(serializers.Serializer):
    exists = serializers.BooleanField(help_text="Whether a record with these keys exists.")
    matches = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="For each item in `values`: whether the stored value equals it.",
    )


class QualityItemSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The data item.")
    filled = serializers.IntegerField(help_text="Rows with a non-empty value.")
    completeness = serializers.FloatField(help_text="Share of rows with a value, 0–1.")
    distinct = serializers.IntegerField(help_text="Distinct non-empty values.")
    checked = serializers.BooleanField(
        help_text="Whether the item has a validity rule (check digits, date range)."
    )
    valid = serializers.IntegerField(allow_null=True, help_text="Values passing the rule.")
    validity = serializers.FloatField(allow_null=True, help_text="Share of values passing, 0–1.")
    min = serializers.JSONField(allow_null=True, help_text="Smallest number or earliest date.")
    max = serializers.JSONField(allow_null=True, help_text="Largest number or latest date.")
    top = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text="The most frequent values with their counts; never for personal items.",
    )


class QualitySerializer(serializers.Serializer):
    view = serializers.ChoiceField(
        choices=["details", "summary"],
        help_text="`details` for the provider's users, `summary` for other readers of the data.",
    )
    version = serializers.IntegerField(help_text="The active data version profiled.")
    score = serializers.IntegerField(help_text="Quality score 0–100 (docs/data-quality.md).")
    completeness = serializers.FloatField(help_text="Mean completeness of the items, percent.")
    fresh = serializers.BooleanField(
        allow_null=True, help_text="On its update cycle now; null for irregular resources."
    )
    data_updated_at = serializers.DateTimeField(allow_null=True)
    profiled_at = serializers.DateTimeField()
    # Details only (null in a summary).
    row_count = serializers.IntegerField(allow_null=True)
    validity = serializers.FloatField(allow_null=True, help_text="0–1, details only.")
    uniqueness = serializers.FloatField(allow_null=True, help_text="0–1, details only.")
    duplicate_keys = serializers.IntegerField(allow_null=True)
    missing_keys = serializers.IntegerField(allow_null=True)
    on_cycle = serializers.BooleanField(
        allow_null=True, help_text="This version came within the cycle after the last one."
    )
    items = QualityItemSerializer(many=True, help_text="Per item; empty in a summary.")
