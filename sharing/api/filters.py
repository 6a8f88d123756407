"""Filters of the grant list."""

from __future__ import annotations

from django_filters import rest_framework as filters

from sharing.models import Grant

MAX_ID = 2**63 - 1


class GrantFilter(filters.FilterSet):
    # SECURITY: plain numbers, not model choices: a model choice filter answers 400 for an id
    # that does not exist and 200 for one the caller may not see, which would reveal resources.
    resource = filters.NumberFilter(field_name="resource_id", min_value=1, max_value=MAX_ID)
    department = filters.NumberFilter(
        field_name="department_id",
        min_value=1,
        max_value=MAX_ID,
        help_text="The consumer department's id.",
    )
    status = filters.ChoiceFilter(choices=Grant.Status.choices)

    class Meta:
        model = Grant
        fields = ["resource", "department", "status"]
