"""Filters of the grant list."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from kernel.api.filters import BooleanFilter, IdFilter
from sharing import selectors
from sharing.models import Correction, Grant, Notification, ShareRequest

from .statuses import PUBLIC_STATUSES, internal_statuses


class GrantFilter(filters.FilterSet):
    # SECURITY: plain numbers, not model choices: a model choice filter answers 400 for an id
    # that does not exist and 200 for one the caller may not see, which would reveal resources.
    resource = IdFilter(field_name="resource_id")
    department = IdFilter(
        field_name="department_id",
        help_text="The consumer department's id.",
    )
    status = filters.ChoiceFilter(choices=Grant.Status.choices)

    class Meta:
        model = Grant
        fields = ["resource", "department", "status"]


class ShareRequestFilter(filters.FilterSet):
    side = filters.ChoiceFilter(
        choices=[("made", "made"), ("received", "received")],
        method="filter_side",
        help_text="`made`: requests of the caller's department; `received`: requests to it.",
    )
    status = filters.ChoiceFilter(
        choices=[(name, name) for name in PUBLIC_STATUSES], method="filter_status"
    )
    resource = IdFilter(field_name="lines__resource_id")

    class Meta:
        model = ShareRequest
        fields = ["side", "status", "resource"]

    def filter_side(self, queryset: QuerySet[ShareRequest], name: str, value: str):
        selector = (
            selectors.requests_of_my_department
            if value == "made"
            else selectors.requests_to_my_department
        )
        return queryset & selector(user=self.request.user)

    def filter_status(self, queryset: QuerySet[ShareRequest], name: str, value: str):
        return queryset.filter(status__in=internal_statuses(value))


class CorrectionFilter(filters.FilterSet):
    resource = IdFilter(field_name="resource_id")
    status = filters.ChoiceFilter(choices=Correction.Status.choices)

    class Meta:
        model = Correction
        fields = ["resource", "status"]


class NotificationFilter(filters.FilterSet):
    unread = BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["unread"]
