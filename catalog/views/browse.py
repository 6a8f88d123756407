"""The catalog pages: browse and search, resource detail, departments and categories.

Thin: parse the request, call a selector from ``catalog.selectors.browse``, render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from accounts.models import Department, User

from .. import policies, selectors
from ..models import Category, Resource
from ..panels import resource_panels
from ..search import highlight_words, query_concepts
from ..selectors import browse


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: its user is a signed-in portal user."""

    user: User


def _page_size(request: HttpRequest) -> int:
    raw = request.GET.get("per_page", "")
    return (
        int(raw)
        if raw.isascii() and raw.isdigit() and int(raw) in browse.PAGE_SIZES
        else browse.DEFAULT_PAGE_SIZE
    )


class _CountedPaginator(Paginator):
    """A paginator told how many objects there are (counted by a bounded search or the facets)."""

    def __init__(self, object_list: QuerySet[Resource], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count

    def page(self, number: int | str) -> Page:
        # A count read from the cached facets may be a minute behind the list: the last page
        # takes up to a page more than its share rather than stop at the count, so what was
        # published meanwhile (a page's worth in that minute) pushes no row out of reach, also
        # when the last page was full.
        if not self._known_count:
            return super().page(number)  # nothing to list: no query
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        size = self.per_page * (2 if number == self.num_pages else 1)
        return Page(self.object_list[bottom : bottom + size], number, self)


def _paginate(request: HttpRequest, listing: browse.Listing) -> dict[str, Any]:
    per_page = _page_size(request)
    if listing.count is None:
        paginator = Paginator(listing.resources, per_page)
    else:
        paginator = _CountedPaginator(listing.resources, per_page, count=listing.count)
    page: Page = paginator.get_page(request.GET.get("page"))
    return {
        "page_obj": page,
        "resources": page.object_list,
        "more_than": paginator.count if listing.more else None,
        "elided_page_range": paginator.get_elided_page_range(page.number, on_each_side=2),
        "page_sizes": browse.PAGE_SIZES,
    }


def _chosen(options: list[browse.FacetOption]) -> list[browse.FacetOption]:
    found = []
    for option in options:
        if option.selected:
            found.append(option)
        found.extend(_chosen(option.children))
    return found


def _link_facets(request: HttpRequest, facets: list[browse.Facet]) -> None:
    """Give every facet option the URL that chooses it, or un-chooses it when it is chosen."""

    def link(facet: browse.Facet, option: browse.FacetOption) -> None:
        params = request.GET.copy()
        params.pop("page", None)
        if option.selected:
            params.pop(facet.key, None)
        else:
            params[facet.key] = option.value
        option.url = f"?{params.urlencode()}" if params else "?"
        for child in option.children:
            link(facet, child)

    for facet in facets:
        for option in facet.options:
            link(facet, option)


def _catalog_page(request: AuthenticatedHttpRequest, *, searching: bool) -> HttpResponse:
    filters = browse.CatalogFilters.from_params(request.GET, searching=searching)
    if searching and filters.q and not request.GET.get("page"):
        # An exact resource code or USCC names one thing: go there.
        target = browse.search_target(user=request.user, query=filters.q)
        if target is not None:
            name = (
                "catalog:resource_detail"
                if target.kind == "resource"
                else "catalog:department_detail"
            )
            return redirect(name, pk=target.pk)

    def linked_facets() -> list[browse.Facet]:
        found = browse.catalog_facets(user=request.user, filters=filters)
        _link_facets(request, found)
        return found

    # The facet block is a fragment cached as long as its counts, per visibility, filters and
    # query string: building and rendering 452 categories' options was most of the page's
    # Python. The facets (and the 452 categories they need) are built only when the fragment
    # is missing or a filter is chosen.
    facets = SimpleLazyObject(linked_facets)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filters": filters,
        "searching": searching or bool(filters.q),
        "facets": facets,
        "facet_seconds": browse.facet_cache_seconds(),
        "facet_key": browse.facet_fragment_key(request.user, filters, params.urlencode()),
        "chosen": SimpleLazyObject(
            lambda: [(facet, option) for facet in facets for option in _chosen(facet.options)]
        )
        if filters.active
        else [],
        "sort_options": [
            (value, label)
            for value, label in browse.SORT_LABELS.items()
            if value != browse.Sort.RELEVANCE or filters.q
        ],
        **_paginate(
            request, browse.resources_listing(user=request.user, filters=filters, facet_count=True)
        ),
    }
    if filters.q:
        concepts = query_concepts(filters.q)
        page = context["page_obj"]
        matched = browse.matched_items(user=request.user, resources=page, concepts=concepts)
        for resource in page:
            resource.matched_items = matched.get(resource.pk, [])
        context["highlight"] = highlight_words(concepts)
        if page.paginator.count == 0:
            context["did_you_mean"] = browse.did_you_mean(user=request.user, query=filters.q)
    return render(request, "catalog/resource_list.html", context)


@login_required
@require_GET
def resource_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Browse the catalog with facets, sorting and pagination."""
    return _catalog_page(request, searching=False)


@login_required
@require_GET
def resource_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search the catalog: the browse page, ranked by relevance."""
    return _catalog_page(request, searching=True)


@login_required
@require_GET
def search_suggest(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Type-ahead for the search box: a few names, providers, categories and terms, as JSON."""
    suggestions = browse.search_suggestions(user=request.user, query=request.GET.get("q", ""))
    search_url = reverse("catalog:search")

    def url(suggestion: browse.Suggestion) -> str:
        if suggestion.kind == "resource":
            return reverse("catalog:resource_detail", args=[suggestion.pk])
        if suggestion.kind == "provider":
            return reverse("catalog:department_detail", args=[suggestion.pk])
        if suggestion.kind == "category":
            return reverse("catalog:category_detail", args=[suggestion.pk])
        return f"{search_url}?{urlencode({'q': suggestion.label})}"

    kinds = {
        "resource": _("Resource"),
        "provider": _("Provider"),
        "category": _("Category"),
        "term": pgettext("search suggestion", "Search for"),
    }
    return JsonResponse(
        {
            "suggestions": [
                {"kind": s.kind, "kind_label": str(kinds[s.kind]), "label": s.label, "url": url(s)}
                for s in suggestions
            ]
        }
    )


@login_required
@require_GET
def resource_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show every metadata element of one resource and what the viewer can do about its data."""
    try:
        detail = browse.resource_detail(user=request.user, pk=pk)
    except Resource.DoesNotExist:
        raise Http404(_("No such resource.")) from None
    context = {
        "detail": detail,
        "resource": detail.resource,
        "versions": selectors.resource_versions(user=request.user, resource=detail.resource),
        "may_override_scope": policies.can_override_catalog_scope(request.user),
        # What apps above the catalog show on the page: the data and how to obtain it.
        "panels": resource_panels(request, detail.resource),
    }
    return render(request, "catalog/resource_detail.html", context)


@login_required
@require_GET
def department_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the departments and how many resources each provides that the viewer may see."""
    # A rendered fragment per visibility, as long as the facet counts it shows: five hundred
    # tiles were most of the page's time. The departments are read only when it is missing.
    context = {
        "departments": SimpleLazyObject(lambda: browse.departments_with_counts(user=request.user)),
        "departments_key": browse.departments_fragment_key(request.user),
        "facet_seconds": browse.facet_cache_seconds(),
    }
    return render(request, "catalog/department_list.html", context)


@login_required
@require_GET
def department_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show a department and the resources it provides that the viewer may see."""
    try:
        department = browse.department_get(pk=pk)
    except Department.DoesNotExist:
        raise Http404(_("No such department.")) from None
    filters = browse.CatalogFilters.from_params({**request.GET.dict(), "provider": str(pk)})
    context = {
        "department": department,
        "filters": filters,
        "sort_options": [
            (v, label) for v, label in browse.SORT_LABELS.items() if v != browse.Sort.RELEVANCE
        ],
        **_paginate(
            request,
            browse.resources_listing(user=request.user, filters=filters, facet_count=True),
        ),
    }
    return render(request, "catalog/department_detail.html", context)


@login_required
@require_GET
def category_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the category tree with the number of visible resources in each branch."""
    return render(
        request, "catalog/category_list.html", {"tree": browse.category_tree(user=request.user)}
    )


@login_required
@require_GET
def category_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Show a category, its sub-categories and the visible resources of its branch."""
    try:
        category = browse.category_get(code=code)
    except Category.DoesNotExist:
        raise Http404(_("No such category.")) from None
    path: list[Category] = []
    node: Category | None = category
    while node is not None:
        path.insert(0, node)
        node = node.parent if node.parent_id else None
    filters = browse.CatalogFilters.from_params({**request.GET.dict(), "category": code})
    context = {
        "category": category,
        "category_path": path,
        "children": browse.category_children_counts(user=request.user, category=category),
        "filters": filters,
        "sort_options": [
            (v, label) for v, label in browse.SORT_LABELS.items() if v != browse.Sort.RELEVANCE
        ],
        **_paginate(request, browse.resources_listing(user=request.user, filters=filters)),
    }
    return render(request, "catalog/category_detail.html", context)
