"""Filters of the conflicts list."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from kernel.api.filters import BooleanFilter, IdFilter

from ..models import ItemLink


class ConflictFilter(filters.FilterSet):
    # SECURITY: a plain number (see kernel.api.filters.IdFilter): an unknown resource and one
    # on no link of the caller's department both give an empty page.
    resource = IdFilter(method="filter_resource", help_text="A resource on either side.")
    conflicts = BooleanFilter(
        method="filter_conflicts",
        help_text="`true`: links whose last comparison found conflicts; `false`: the others.",
    )

    class Meta:
        model = ItemLink
        fields = ["resource", "conflicts"]

    def filter_resource(self, queryset: QuerySet[ItemLink], name: str, value: int):
        return queryset.filter(Q(left_resource_id=value) | Q(right_resource_id=value))

    def filter_conflicts(self, queryset: QuerySet[ItemLink], name: str, value: bool):
        found = Q(last_run__conflicts__gt=0)
        return queryset.filter(found) if value else queryset.exclude(found)
