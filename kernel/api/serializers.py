"""Serializer parts every write of the API shares: nothing sent is silently dropped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# The largest id the API takes, in a body, a filter or a URL (VisibleQuerysetMixin: 18 digits),
# stated in the schema (a bigint's own bound would be left out of it: kernel/api/schema.py).
MAX_ID = 10**18 - 1


# Refuse a body naming a field the serializer does not take, with 400 naming the field.
#
# Without it DRF drops unknown (and read-only) fields, so a misspelt ``sumary`` would answer 200
# having changed nothing. Every serializer of a write body uses this mixin
# (tests/api/test_contract.py checks it over the schema). A comment, not a docstring:
# drf-spectacular describes a serializer by the first docstring in its classes, so this one
# would become the description of every write body without its own (and of the generated
# client's request types).
class StrictFieldsMixin(serializers.Serializer):
    unknown_field_message = _("This field is not accepted here.")

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [self.unknown_field_message] for name in unknown}
                )
        return super().to_internal_value(data)


class IdListField(serializers.ListField):
    """A list of object ids; the same id twice is a 400 naming the field, not a silent merge."""

    default_error_messages = {"duplicate": _("Each id may appear only once; repeated: %(ids)s.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("child", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[int]:
        values = super().to_internal_value(data)
        seen: set[int] = set()
        repeated: list[int] = []
        for value in values:
            if value in seen and value not in repeated:
                repeated.append(value)
            seen.add(value)
        if repeated:
            self.fail("duplicate", ids=", ".join(str(v) for v in repeated))
        return values
