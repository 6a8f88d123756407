"""Filters of the resource list: the portal's facets, free-text search and ordering."""

from __future__ import annotations

from django.db.models import QuerySet, Subquery
from django_filters import rest_framework as filters

from accounts.models import Level
from catalog.models import Category, InformationSystem, Resource, ShareType
from catalog.search import search_match
from kernel.api.filters import IdFilter


def resources_search(queryset: QuerySet[Resource], text: str) -> QuerySet[Resource]:
    """Return the resources matching free text as the catalog's search page matches it.

    The same matching as the web search (``catalog.search.search_match``): each word as typed,
    as a synonym, or for a compound its words in any order, in the name, code, summary,
    provider or a data item's name, through the search index. Unranked: the list keeps its own
    order, and its cursor pages never count the matches.
    """
    text = text.strip()
    if not text:
        return queryset
    return search_match(queryset, text)


class ResourceFilter(filters.FilterSet):
    search = filters.CharFilter(
        method="filter_search",
        max_length=100,
        help_text=(
            "Words to find, as the catalog's search finds them: in the name, code, summary, "
            "provider or data item names, each word also as its synonyms."
        ),
    )
    share_type = filters.ChoiceFilter(choices=ShareType.choices)
    level = filters.TypedChoiceFilter(choices=Level.choices, coerce=int)
    status = filters.ChoiceFilter(choices=Resource.Status.choices)
    provider = IdFilter(field_name="provider_id", help_text="Department id.")
    category = IdFilter(
        method="filter_category",
        help_text="Category id; resources in the category and every category below it.",
    )

    class Meta:
        model = Resource
        fields = ["search", "share_type", "level", "status", "provider", "category"]

    def filter_search(self, queryset: QuerySet[Resource], name: str, value: str):
        return resources_search(queryset, value)

    def filter_category(self, queryset: QuerySet[Resource], name: str, value: int):
        # One query: the subtree is the chosen category's code as a prefix.
        code = Category.objects.filter(pk=int(value)).values("code")[:1]
        return queryset.filter(category__code__startswith=Subquery(code))


class CategoryFilter(filters.FilterSet):
    # Plain numbers (kernel.api.filters.IdFilter): a parent that does not exist is an empty page.
    parent = IdFilter(field_name="parent_id", help_text="The parent category's id.")
    depth = filters.TypedChoiceFilter(choices=Category.Depth.choices, coerce=int)

    class Meta:
        model = Category
        fields = ["parent", "depth"]


class SystemFilter(filters.FilterSet):
    department = IdFilter(field_name="department_id", help_text="The owning department's id.")

    class Meta:
        model = InformationSystem
        fields = ["department"]
