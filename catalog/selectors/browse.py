"""Reads behind the catalog pages: browse filters, facet counts, the home overview, detail.

Selectors in the sense of selectors.py: each takes ``user=`` and starts from
``resources_visible_to``, so what a user may not see is absent from every list, count and facet.
Facet and overview counts are ``GROUP BY`` queries over that visible queryset, one per facet,
so their number does not depend on how many resources there are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Level, User

from .. import policies
from ..models import Category, DataItem, FormatClass, OpenType, Resource, ShareType, UpdateCycle
from ..search import search_filter, search_match
from . import resources_visible_to

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20


class Sort(StrEnum):
    RELEVANCE = "relevance"
    PUBLISHED = "published"
    NAME = "name"
    CODE = "code"


SORT_LABELS: dict[str, Promise] = {
    Sort.RELEVANCE: _("Relevance"),
    Sort.PUBLISHED: _("Newest first"),
    Sort.NAME: _("Name"),
    Sort.CODE: _("Resource code"),
}

_ORDERINGS: dict[str, tuple[Any, ...]] = {
    Sort.RELEVANCE: ("-search_rank", F("published_at").desc(nulls_last=True), "-id"),
    Sort.PUBLISHED: (F("published_at").desc(nulls_last=True), "-id"),
    Sort.NAME: ("name", "id"),
    Sort.CODE: (F("code").asc(nulls_last=True), "id"),
}

# The facets of a field with fixed choices: (parameter and field name, title, choices).
CHOICE_FACETS: tuple[tuple[str, Promise, Iterable[tuple[Any, Any]]], ...] = (
    ("share_type", _("Share type"), ShareType.choices),
    ("level", _("Level"), Level.choices),
    ("format_class", _("Format"), FormatClass.choices),
    ("update_cycle", _("Update cycle"), UpdateCycle.choices),
    ("open_type", _("Open to the public"), OpenType.choices),
)


@dataclass(frozen=True)
class CatalogFilters:
    """What a browse or search page was asked for, validated."""

    q: str = ""
    category: str = ""  # a category code: the resources of its whole subtree
    provider: int | None = None
    share_type: str = ""
    level: int | None = None
    format_class: str = ""
    update_cycle: str = ""
    open_type: str = ""
    sort: str = ""
    invalid: tuple[str, ...] = ()  # parameters whose values were ignored

    @classmethod
    def from_params(cls, params: Mapping[str, str], *, searching: bool = False) -> CatalogFilters:
        """Return the filters of a query string; unknown values are ignored and reported."""
        invalid: list[str] = []
        values: dict[str, Any] = {"q": params.get("q", "").strip()[:200]}

        category = params.get("category", "").strip()
        if category:
            if category.isdigit() and len(category) in (1, 3, 6, 9):
                values["category"] = category
            else:
                invalid.append("category")
        for name in ("provider", "level"):
            raw = params.get(name, "").strip()
            if raw:
                if raw.isdigit() and (name != "level" or int(raw) in Level.values):
                    values[name] = int(raw)
                else:
                    invalid.append(name)
        for name, _title, choices in CHOICE_FACETS:
            if name == "level":
                continue
            raw = params.get(name, "").strip()
            if raw:
                if raw in {value for value, _label in choices}:
                    values[name] = raw
                else:
                    invalid.append(name)
        sort = params.get("sort", "").strip()
        default = Sort.RELEVANCE if searching or values["q"] else Sort.PUBLISHED
        if sort and sort not in set(Sort):
            invalid.append("sort")
            sort = ""
        values["sort"] = sort or default
        return cls(**values, invalid=tuple(invalid))

    def filter_q(self, *, without: str = "") -> Q:
        """Return the filter of every chosen facet value except the facet ``without``."""
        q = Q()
        if self.category and without != "category":
            q &= Q(category__code__startswith=self.category)
        if self.provider is not None and without != "provider":
            q &= Q(provider_id=self.provider)
        for name, _title, _choices in CHOICE_FACETS:
            value = getattr(self, name)
            if value not in ("", None) and without != name:
                q &= Q(**{name: value})
        return q

    @property
    def active(self) -> bool:
        """Return whether any facet value is chosen."""
        return bool(self.filter_q().children)


def _with_query(queryset: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    return search_match(queryset, query) if query else queryset


def resources_browse(*, user: User, filters: CatalogFilters) -> QuerySet[Resource]:
    """Return the visible resources matching the filters, in the chosen order."""
    queryset = resources_visible_to(user=user).filter(filters.filter_q())
    sort = filters.sort
    if filters.q:
        queryset = search_filter(queryset, filters.q)
    elif sort == Sort.RELEVANCE:
        sort = Sort.PUBLISHED  # nothing to rank by
    # select_related: each row shows its provider and category (N+1 otherwise).
    return (
        queryset.select_related("provider", "category")
        .defer("search_document", "search_vector")
        .order_by(*_ORDERINGS[sort])
    )


def resources_export(
    *, user: User, filters: CatalogFilters, status: str = ""
) -> QuerySet[Resource]:
    """Return what ``resources_browse`` lists for the same filters, ready to write out.

    The same set as the browse page (and the API's resource list): only ``status`` narrows it
    further, for the editors' "my resources" export. Loads category, provider and source
    system with the rows and prefetches the items and the related resources; related resources
    are themselves filtered by visibility, so an export never names one the user may not see.
    """
    queryset = resources_browse(user=user, filters=filters)
    if status in Resource.Status.values:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related("category", "provider", "source_system")
        .prefetch_related(
            Prefetch("items", queryset=DataItem.objects.order_by("position", "id")),
            Prefetch("related", queryset=resources_visible_to(user=user).only("id", "code")),
        )
        .order_by("category__code", "code", "id")
    )


# --- facets -----------------------------------------------------------------------------------


@dataclass
class FacetOption:
    value: str
    label: str | Promise
    count: int
    selected: bool = False
    depth: int = 0
    children: list[FacetOption] = field(default_factory=list)
    url: str = ""  # set by the view: the link that chooses (or un-chooses) this value


@dataclass
class Facet:
    key: str
    title: str | Promise
    options: list[FacetOption]
    hidden: int = 0  # options left out of a long list (the page links to the full list)


# A city has hundreds of departments: the provider facet lists the ones with the most visible
# resources (and the chosen one); the department list has them all.
PROVIDER_FACET_SIZE = 30


def _category_counts(queryset: QuerySet[Resource]) -> dict[int, int]:
    rows = queryset.order_by().values("category_id").annotate(n=Count("pk"))
    return {row["category_id"]: row["n"] for row in rows}


@dataclass
class CategoryNode:
    category: Category
    count: int
    children: list[CategoryNode] = field(default_factory=list)


def category_tree_counts(
    counts_by_category: Mapping[int, int], categories: Iterable[Category]
) -> list[CategoryNode]:
    """Return the category forest with each node's count rolled up from its subtree.

    The loop runs over categories (a few hundred at most), never over resources.
    """
    nodes = {c.pk: CategoryNode(c, 0) for c in categories}
    roots: list[CategoryNode] = []
    for node in nodes.values():  # categories come ordered by code: parents first
        parent = nodes.get(node.category.parent_id) if node.category.parent_id else None
        (parent.children if parent else roots).append(node)
    for pk, count in counts_by_category.items():
        current = nodes.get(pk)
        while current is not None:
            current.count += count
            parent_id = current.category.parent_id
            current = nodes.get(parent_id) if parent_id else None
    return roots


def _category_facet(counts: Mapping[int, int], selected: str, categories: list[Category]) -> Facet:
    roots = category_tree_counts(counts, categories)

    def option(node: CategoryNode, depth: int) -> FacetOption | None:
        code = node.category.code
        on_path = bool(selected) and (selected.startswith(code) or code.startswith(selected))
        if node.count == 0 and not on_path:
            return None
        opt = FacetOption(
            code, node.category.name, node.count, selected=code == selected, depth=depth
        )
        # Show a class's 项 always, deeper levels along the chosen path only.
        if depth == 0 or (selected and selected.startswith(code)):
            opt.children = [c for c in (option(child, depth + 1) for child in node.children) if c]
        return opt

    options = [o for o in (option(root, 0) for root in roots) if o]
    return Facet("category", _("Category"), options)


def facet_cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_FACET_CACHE_SECONDS", 60))


def _facet_cache_key(user: User, filters: CatalogFilters) -> str:
    # SECURITY: the key holds everything resources_visible_q decides by
    # (policies.resources_visible_key), so users who may see different resources never share
    # counts; and every filter, so each page's counts are its own.
    parts = (*policies.resources_visible_key(user), astuple(filters))
    return "catalog:facets:" + hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass
class _FacetCounts:
    categories: dict[int, int]
    providers: list[tuple[int, str, int]]
    choices: dict[str, dict[Any, int]]


def _facet_counts(user: User, filters: CatalogFilters) -> _FacetCounts:
    visible = _with_query(resources_visible_to(user=user), filters.q)

    def base(without: str) -> QuerySet[Resource]:
        return visible.filter(filters.filter_q(without=without)).order_by()

    providers = (
        base("provider")
        .values_list("provider_id", "provider__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "provider__name")
    )
    choices = {
        name: {row[name]: row["n"] for row in base(name).values(name).annotate(n=Count("pk"))}
        for name, _title, _choices in CHOICE_FACETS
    }
    return _FacetCounts(_category_counts(base("category")), list(providers), choices)


def _cached_facet_counts(user: User, filters: CatalogFilters) -> _FacetCounts:
    seconds = facet_cache_seconds()
    key = _facet_cache_key(user, filters)
    counts = cache.get(key) if seconds > 0 else None
    if counts is None:
        counts = _facet_counts(user, filters)
        if seconds > 0:
            cache.set(key, counts, seconds)
    return counts


def catalog_facets(
    *, user: User, filters: CatalogFilters, categories: list[Category] | None = None
) -> list[Facet]:
    """Return the facets of a browse page with counts of visible resources.

    Each facet counts the resources matching every other chosen filter (not its own), so the
    other values of a chosen facet keep showing how many resources choosing them would give.
    The counts are seven aggregations over every visible resource, so they are cached for
    ``PORTAL_FACET_CACHE_SECONDS`` (default 60) per visibility and filters: a new resource
    shows in the counts within a minute, in the list at once.
    """
    counts = _cached_facet_counts(user, filters)
    if categories is None:
        categories = list(Category.objects.order_by("code"))
    facets = [_category_facet(counts.categories, filters.category, categories)]
    providers = [
        FacetOption(str(pk), name, n, selected=pk == filters.provider)
        for pk, name, n in counts.providers
    ]
    shown = providers[:PROVIDER_FACET_SIZE]
    shown += [option for option in providers[PROVIDER_FACET_SIZE:] if option.selected]
    facets.append(Facet("provider", _("Provider"), shown, hidden=len(providers) - len(shown)))
    for name, title, choices in CHOICE_FACETS:
        found = counts.choices[name]
        chosen = getattr(filters, name)
        facets.append(
            Facet(
                name,
                title,
                [
                    FacetOption(str(value), label, found.get(value, 0), selected=value == chosen)
                    for value, label in choices
                    if found.get(value) or value == chosen
                ],
            )
        )
    return facets


# --- home ---------------------------------------------------------------------------------------


@dataclass
class CatalogOverview:
    total: int
    categories: list[CategoryNode]
    share_types: list[tuple[str, Any, int]]
    departments: list[tuple[int, str, int]]
    department_count: int
    recently_published: list[Resource]
    recently_updated: list[Resource]


def catalog_overview(*, user: User, recent: int = 6, top_departments: int = 8) -> CatalogOverview:
    """Return what the catalog holds for this user: counts and the latest resources.

    The counts are the browse page's unfiltered facet counts, cached the same way (so the
    home page and the catalog's first page share them).
    """
    visible = resources_visible_to(user=user)
    counts = _cached_facet_counts(user, CatalogFilters.from_params({}))
    tree = category_tree_counts(counts.categories, list(Category.objects.order_by("code")))
    shares = counts.choices["share_type"]
    share_types = [(value, label, shares.get(value, 0)) for value, label in ShareType.choices]
    latest = visible.select_related("provider", "category").defer(
        "search_document", "search_vector"
    )
    return CatalogOverview(
        total=sum(shares.values()),
        categories=tree,
        share_types=share_types,
        departments=counts.providers[:top_departments],
        department_count=len(counts.providers),
        # Both orders have their index (catalog migrations 0006 and 0007).
        recently_published=list(
            latest.filter(status=Resource.Status.PUBLISHED).order_by(*_ORDERINGS[Sort.PUBLISHED])[
                :recent
            ]
        ),
        recently_updated=list(latest.order_by("-updated_at", "-id")[:recent]),
    )


# --- detail -------------------------------------------------------------------------------------


@dataclass
class ResourceDetail:
    resource: Resource
    category_path: list[Category]
    items: list[DataItem]
    related: list[Resource]


def resource_detail(*, user: User, pk: int) -> ResourceDetail:
    """Return one visible resource with what its page shows, or raise ``Resource.DoesNotExist``."""
    resource = (
        resources_visible_to(user=user)
        .select_related(
            "provider", "source_system", "category__parent__parent__parent", "created_by"
        )
        .defer("search_document", "search_vector")
        .get(pk=pk)
    )
    path: list[Category] = []
    node: Category | None = resource.category
    while node is not None:
        path.insert(0, node)
        node = node.parent if node.parent_id else None
    # Every item's definition (name, type, level) is the entry's metadata, above the viewer's
    # clearance too; its values are data, read only within clearance (sharing.policies.reading).
    items = list(resource.items.filter(policies.items_visible_q(user)).order_by("position", "id"))
    related = list(
        resources_visible_to(user=user)
        .filter(related_from=resource)
        .select_related("provider")
        .defer("search_document", "search_vector")
        .order_by(F("code").asc(nulls_last=True), "id")
    )
    return ResourceDetail(resource, path, items, related)


# --- departments and categories -----------------------------------------------------------------


def departments_with_counts(*, user: User) -> list[tuple[Department, int]]:
    """Return the active departments, each with how many resources it provides that user sees."""
    counts = {
        row["provider_id"]: row["n"]
        for row in resources_visible_to(user=user)
        .order_by()
        .values("provider_id")
        .annotate(n=Count("pk"))
    }
    departments = Department.objects.filter(is_active=True).order_by("region_code", "name")
    return [(d, counts.get(d.pk, 0)) for d in departments]


def department_get(*, pk: int) -> Department:
    """Return an active department (departments are public within the portal)."""
    return Department.objects.select_related("parent").get(pk=pk, is_active=True)


def category_tree(*, user: User) -> list[CategoryNode]:
    """Return the whole category tree with counts of the user's visible resources."""
    categories = list(Category.objects.order_by("code"))
    return category_tree_counts(_category_counts(resources_visible_to(user=user)), categories)


def category_get(*, code: str) -> Category:
    """Return a category by code, with its ancestors loaded."""
    return Category.objects.select_related("parent__parent__parent").get(code=code)


def category_children_counts(*, user: User, category: Category) -> list[CategoryNode]:
    """Return the category's direct children with counts of visible resources in each subtree."""
    subtree = list(Category.objects.filter(code__startswith=category.code).order_by("code"))
    visible = resources_visible_to(user=user).filter(category__code__startswith=category.code)
    roots = category_tree_counts(_category_counts(visible), subtree)
    own = next((n for n in roots if n.category.pk == category.pk), None)
    return own.children if own else []


def resources_search(*, user: User, query: str) -> QuerySet[Resource]:
    """Return the resources visible to the user that match the query, best first."""
    return search_filter(resources_visible_to(user=user), query).order_by(
        "-search_rank", F("published_at").desc(nulls_last=True), "-id"
    )
