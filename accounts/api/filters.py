"""Filters of the department list."""

from __future__ import annotations

from django_filters import rest_framework as filters

from accounts.models import Department
from kernel.api.filters import IdFilter


class DepartmentFilter(filters.FilterSet):
    region_code = filters.CharFilter(help_text="GB/T 2260 administrative region code.")
    admin_level = filters.ChoiceFilter(choices=Department.AdminLevel.choices)
    # A plain number (kernel.api.filters.IdFilter): a parent that does not exist is an empty page.
    parent = IdFilter(field_name="parent_id", help_text="The parent department's id.")

    class Meta:
        model = Department
        fields = ["region_code", "admin_level", "parent"]
