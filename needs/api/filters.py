"""Filters of the needs list."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from needs import selectors
from needs.models import Need, NeedStatus


class NeedFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=NeedStatus.choices)
    side = filters.ChoiceFilter(
        choices=[("mine", "mine"), ("waiting", "waiting")],
        method="filter_side",
        help_text="`mine`: needs of the caller's department; `waiting`: needs waiting for the "
        "caller to route (coordinator) or to answer (the provider's approvers).",
    )

    class Meta:
        model = Need
        fields = ["status", "side"]

    def filter_side(self, queryset: QuerySet[Need], name: str, value: str) -> QuerySet[Need]:
        return queryset & selectors.needs_visible_to(user=self.request.user, state=value)
