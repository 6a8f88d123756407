"""Reads behind the catalog pages: browse filters, facet counts, the home overview, detail.

Selectors in the sense of selectors.py: each takes ``user=`` and starts from
``resources_visible_to``, so what a user may not see is absent from every list, count and facet.
Facet and overview counts are ``GROUP BY`` queries over that visible queryset, one per facet,
so their number does not depend on how many resources there are.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, field, fields
from enum import StrEnum
from functools import cached_property
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Level, User
from kernel import stale

from .. import policies, synonyms
from ..excel import ITEM_FIELDS, RESOURCE_FIELDS
from ..models import (
    RESOURCE_CODE_RE,
    Category,
    DataItem,
    FormatClass,
    OpenType,
    Resource,
    ShareType,
    UpdateCycle,
)
from ..search import (
    MAX_TERMS,
    SEARCH_CONFIG,
    Concept,
    expr_matches_text,
    pk_among,
    query_concepts,
    query_terms,
    search_bounded,
    search_filter,
    search_match,
    search_match_any_token,
    tsquery_text,
)
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
    # The name's pinyin (catalog.search.name_sort_key), so 安 comes before 北 on both databases.
    Sort.NAME: ("name_pinyin", "id"),
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


@dataclass(frozen=True)
class Listing:
    """What one browse or search page lists: the ordered resources and how many match.

    Without a query ``count`` comes from the page's cached facet counts (``listing_count``), or
    is None when facets are not cached (the paginator counts the queryset itself). With a query
    it is the number of matches up to ``listed_max()``; past it ``more`` is set, the page says
    "more than N" and lists only the first N.
    """

    resources: QuerySet[Resource]
    count: int | None = None
    more: bool = False


def listed_max() -> int:
    """Return how many matches of a query a page lists and ranks at most."""
    return int(settings.PORTAL_SEARCH_LISTED_MAX)


def resources_listing(*, user: User, filters: CatalogFilters, facet_count: bool = False) -> Listing:
    """Return the browse or search page's resources: ``resources_browse``, bounded for a query.

    A query that matches more than ``listed_max()`` resources is too broad to rank every match
    by relevance (ranking reads each match's search vector: 70,000 of them for 信息 at city
    scale). Its matches are then counted only up to the bound, and ranked by relevance among
    the newest ``listed_max()`` matches (for several words, also the newest matching every
    word, so resources matching more words keep coming first). Other orders walk their index
    over every match. A narrower query (most) is counted and ranked exactly.

    ``facet_count``: a page that shows the facets beside the list (the catalog page) takes the
    count of a long list (``listed_max()`` or more) from them (``listing_count``) instead of
    counting every visible resource again.
    """
    if not filters.q:
        resources = resources_browse(user=user, filters=filters)
        if not facet_count or facet_cache_seconds() <= 0:
            return Listing(resources)
        if filters.provider is not None and not filters.filter_q(without="provider").children:
            # One department's resources (its page, or the catalog filtered by it alone): its
            # count among the unfiltered facets' providers, which the home and catalog pages
            # keep, rather than a facet count of its own (counting the largest department's
            # 25,000 resources took 100 ms at province scale).
            unfiltered = _cached_facet_counts(user, CatalogFilters.from_params({}))
            counts = {pk: n for pk, _name, n in unfiltered.providers}
            counted = counts.get(filters.provider, 0)
        else:
            counted = listing_count(_cached_facet_counts(user, filters), filters)
        if counted < listed_max():
            # A short list is counted live (cheaply): a resource published within the facets'
            # minute is counted at once, and a filter that matched nothing then lists it now.
            return Listing(resources)
        return Listing(resources, counted)
    visible = resources_visible_to(user=user).filter(filters.filter_q())
    found = search_bounded(
        visible, filters.q, bound=listed_max(), relevance=filters.sort == Sort.RELEVANCE
    )
    resources = (
        found.resources.select_related("provider", "category")
        .defer("search_document", "search_vector")
        .order_by(*_ORDERINGS[filters.sort])
    )
    return Listing(resources, found.count, found.more)


# --- search: direct hits, matched items, suggestions, "did you mean" ----------------------------

USCC_RE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$")


@dataclass(frozen=True)
class SearchTarget:
    """Where a query that names one thing exactly leads: a resource or a department."""

    kind: str  # "resource" or "department"
    pk: int


def search_target(*, user: User, query: str) -> SearchTarget | None:
    """Return the resource whose code, or the department whose USCC, the query is exactly.

    Only a visible resource is a target (an invisible one does not exist for the user);
    departments are public within the portal. At most one indexed lookup, and none unless the
    query has the form of a code or a USCC.
    """
    text = unicodedata.normalize("NFKC", query).strip().upper()
    if re.match(RESOURCE_CODE_RE, text):
        pk = resources_visible_to(user=user).filter(code=text).values_list("pk", flat=True).first()
        return SearchTarget("resource", pk) if pk is not None else None
    if USCC_RE.match(text):
        pk = (
            Department.objects.filter(uscc=text, is_active=True)
            .values_list("pk", flat=True)
            .first()
        )
        return SearchTarget("department", pk) if pk is not None else None
    return None


# How many matching data items a result names.
MATCHED_ITEMS_SHOWN = 3


def matched_items(
    *, user: User, resources: Iterable[Resource], concepts: Sequence[Concept]
) -> dict[int, list[str]]:
    """Return, for each listed resource, the names of its data items the query matched.

    One query for the page's resources (at most a page size of them), only items the user may
    see and only those within the resource's level (the ones the search document holds).
    """
    ids = [r.pk for r in resources]
    if not ids or not concepts:
        return {}
    rows = (
        DataItem.objects.filter(resource_id__in=ids, level__lte=F("resource__level"))
        .filter(policies.items_visible_q(user))
        .order_by("resource_id", "position", "id")
        .values_list("resource_id", "name")
    )
    found: dict[int, list[str]] = {}
    for resource_id, name in rows:
        names = found.setdefault(resource_id, [])
        if len(names) < MATCHED_ITEMS_SHOWN and any(
            expr_matches_text(c.expr, name) for c in concepts
        ):
            names.append(name)
    return {pk: names for pk, names in found.items() if names}


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "resource", "provider", "category" or "term"
    label: str
    pk: int | str = ""


SUGGESTIONS_EACH = 5


def search_suggestions(*, user: User, query: str) -> list[Suggestion]:
    """Return type-ahead suggestions for what the user has typed so far.

    Resource names (of visible resources matching every typed word, through the search index),
    providers of at least one visible resource, categories, and synonym terms; a few of each.
    Each list is bounded by its LIMIT and read through an index (or, for departments and
    categories, from tables of a few hundred rows), so the work does not grow with the city.
    """
    text = unicodedata.normalize("NFKC", query).strip()[:50]
    terms = query_terms(text)
    if not terms:
        return []
    visible = resources_visible_to(user=user)
    matched = visible.filter(name__icontains=text)
    if connection.vendor == "postgresql":
        matched = matched.filter(
            search_vector=SearchQuery(tsquery_text(terms), search_type="raw", config=SEARCH_CONFIG)
        )
    # The first matches the index yields, not the newest: sorting every match by date read
    # each one (a one-character prefix matches a tenth of the catalog: 83 ms at city scale,
    # linear in it); unsorted, the scan stops at the fifth (6 ms). Shown by pinyin either way.
    resources = sorted(
        matched.order_by().values_list("pk", "name", "name_pinyin")[:SUGGESTIONS_EACH],
        key=lambda row: (row[2], row[0]),
    )
    providers = (
        Department.objects.filter(is_active=True, name__icontains=text)
        .filter(Exists(visible.filter(provider_id=OuterRef("pk"))))
        .order_by("name")
        .values_list("pk", "name")[:SUGGESTIONS_EACH]
    )
    categories = (
        Category.objects.filter(name__icontains=text)
        .order_by("code")
        .values_list("code", "name")[:SUGGESTIONS_EACH]
    )
    needle = text.lower()
    words = synonyms.dictionary()
    found_terms = sorted(t for t in words.groups if needle in t and t != needle)[:SUGGESTIONS_EACH]
    return [
        *(Suggestion("resource", name, pk) for pk, name, _key in resources),
        *(Suggestion("provider", name, pk) for pk, name in providers),
        *(Suggestion("category", name, code) for code, name in categories),
        *(Suggestion("term", term) for term in found_terms),
    ]


# "Did you mean": the candidates are the synonym terms and the names of at most this many
# visible resources sharing a two-character token with the query, never the whole catalog.
DID_YOU_MEAN_CANDIDATES = 200


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Return the Levenshtein distance of two short strings (limit + 1 when it is larger)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def did_you_mean(*, user: User, query: str) -> str:
    """Return a near miss of a query that found nothing ("" if none is near enough).

    Each word of the query is compared (edit distance, at most one edit in three characters)
    with a bounded set: the synonym terms, and the names of a few visible resources sharing
    one of its two-character tokens; the closest replaces it.
    """
    chunks = unicodedata.normalize("NFKC", query).lower().split()[:MAX_TERMS]
    if not chunks:
        return ""
    words = synonyms.dictionary()
    bigrams = {
        t for chunk in chunks for term in query_terms(chunk) if not term.prefix for t in term.tokens
    }
    names: list[str] = []
    if bigrams:
        found = resources_visible_to(user=user).filter(search_match_any_token(sorted(bigrams)))
        names = list(found.values_list("name", flat=True)[:DID_YOU_MEAN_CANDIDATES])
    candidates = list(dict.fromkeys([*words.groups, *(n.lower() for n in names)]))
    changed = False
    better: list[str] = []
    known = set(candidates)
    for chunk in chunks:
        if chunk in known:
            better.append(chunk)
            continue
        limit = max(1, len(chunk) // 3)
        best, distance = chunk, limit + 1
        for candidate in candidates:
            d = _edit_distance(chunk, candidate, limit)
            if 0 < d <= limit and (d < distance or (d == distance and candidate < best)):
                best, distance = candidate, d
        changed |= best != chunk
        better.append(best)
    return " ".join(better) if changed else ""


def _export_queryset(*, user: User, filters: CatalogFilters, status: str) -> QuerySet[Resource]:
    """Return what ``resources_browse`` lists for the same filters, in the export's order.

    The same set as the browse page (and the API's resource list): only ``status`` narrows it
    further, for the editors' "my resources" export.
    """
    queryset = resources_browse(user=user, filters=filters)
    if status in Resource.Status.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("category__code", "code", "id")


def resources_export_count(*, user: User, filters: CatalogFilters, status: str = "") -> int:
    """Return how many resources ``resources_export_chunks`` gives for the same arguments."""
    return _export_queryset(user=user, filters=filters, status=status).count()


def export_chunk_size() -> int:
    """Return how many resources an export reads at a time (``PORTAL_EXPORT_CHUNK``).

    Their items and related codes are read with an id list of this size: one list for the
    whole city would pass the driver's 65,535 parameters.
    """
    return max(1, int(settings.PORTAL_EXPORT_CHUNK))


def export_xlsx_max() -> int:
    """Return the most resources an xlsx export holds (``PORTAL_EXPORT_XLSX_MAX_RESOURCES``)."""
    return int(settings.PORTAL_EXPORT_XLSX_MAX_RESOURCES)


@dataclass(frozen=True)
class ExportChunk:
    """A slice of an export: resources, their data items, their visible related codes.

    Plain values, no model instances: ``resources`` as ``excel.RESOURCE_FIELDS``, ``items`` (by
    resource id, in the resource's order) as ``excel.ITEM_FIELDS``.
    """

    resources: list[dict[str, Any]]
    items: dict[int, list[dict[str, Any]]]
    related: dict[int, list[str | None]]


def resources_export_chunks(
    *,
    user: User,
    filters: CatalogFilters,
    status: str = "",
    items: bool = True,
    related: bool = True,
) -> Iterator[ExportChunk]:
    """Return what ``resources_browse`` lists for the same filters, a chunk at a time.

    The resources are read by one query walked with a cursor; each chunk's items (unless
    ``items`` is false) and visible related codes (unless ``related`` is) by one query each, so
    the number of queries grows with the chunks, not with the resources. Related resources are
    themselves filtered by visibility, so an export never names one the user may not see. The
    queries are built here, run as the chunks are asked for.
    """
    resources = _export_queryset(user=user, filters=filters, status=status).values(*RESOURCE_FIELDS)
    item_rows = DataItem.objects.order_by("resource_id", "position", "id").values(*ITEM_FIELDS)
    links = Resource.related.through.objects.filter(
        to_resource__in=resources_visible_to(user=user).values("pk")
    ).values_list("from_resource_id", "to_resource__code")
    size = export_chunk_size()

    def chunks() -> Iterator[ExportChunk]:
        rows = resources.iterator(chunk_size=size)
        while chunk := list(islice(rows, size)):
            ids = [row["id"] for row in chunk]
            by_resource: dict[int, list[dict[str, Any]]] = {}
            if items:
                for item in item_rows.filter(resource_id__in=ids):
                    by_resource.setdefault(item["resource_id"], []).append(item)
            codes: dict[int, list[str | None]] = {}
            if related:
                for resource_id, code in links.filter(from_resource_id__in=ids):
                    codes.setdefault(resource_id, []).append(code)
            yield ExportChunk(chunk, by_resource, codes)

    return chunks()


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
    # JSON of plain values: a sort chosen in the query string (a str) and the default (a
    # Sort) name the same counts, and so do the filters the task worker gets back as JSON.
    parts = json.dumps([policies.resources_visible_key(user), astuple(filters)])
    return "catalog:facets:" + hashlib.sha256(parts.encode()).hexdigest()


def facet_fragment_key(user: User, filters: CatalogFilters, params: str) -> str:
    """Return the key of a page's rendered facets: its counts' key and the page's own query.

    The options' links carry the query string (``params``, without the page number), so two
    pages with the same filters in another order, or another page size, render their own.
    """
    return _facet_cache_key(user, filters) + ":" + hashlib.sha256(params.encode()).hexdigest()


@dataclass
class _FacetCounts:
    categories: dict[int, int]
    providers: list[tuple[int, str, int]]
    choices: dict[str, dict[Any, int]]


# The unfiltered facets' columns, counted in one pass (``_facet_counts_at_once``).
_FACET_COLUMNS = (*(name for name, _title, _choices in CHOICE_FACETS), "category_id", "provider_id")


def _facet_counts_at_once(visible: QuerySet[Resource]) -> _FacetCounts:
    """Return the unfiltered facets' counts from one scan of the visible resources.

    With no filter chosen every facet counts the same rows, grouped by its own column: one
    ``GROUP BY GROUPING SETS`` reads them once where seven aggregations read them seven times
    (4.2 s for a visibility class at province scale, half a second per scan). PostgreSQL only;
    ``GROUPING()`` says which column a row counts, so a NULL value stays a value of its own.
    """
    columns = ", ".join(f'"{name}"' for name in _FACET_COLUMNS)
    sets = ", ".join(f'("{name}")' for name in _FACET_COLUMNS)
    inner, params = visible.order_by().values(*_FACET_COLUMNS).query.sql_with_params()
    # The column names are this module's constants; the inner query is the ORM's, with its
    # values bound as parameters.
    sql = (
        f"SELECT {columns}, GROUPING({columns}), COUNT(*) FROM ({inner}) AS visible"  # noqa: S608
        f" GROUP BY GROUPING SETS ({sets})"
    )
    width = len(_FACET_COLUMNS)
    counted: dict[str, dict[Any, int]] = {name: {} for name in _FACET_COLUMNS}
    with connections[visible.db].cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            grouped = row[width]
            # GROUPING() sets a bit for each column *not* grouped; the first column is the
            # highest bit.
            for position, name in enumerate(_FACET_COLUMNS):
                if not grouped & (1 << (width - 1 - position)):
                    counted[name][row[position]] = row[width + 1]
    providers = counted.pop("provider_id")
    names = dict(
        Department.objects.using(visible.db)
        .filter(pk__in=list(providers))
        .values_list("pk", "name")
    )
    listed = sorted(
        ((pk, names.get(pk, ""), n) for pk, n in providers.items()), key=lambda p: (-p[2], p[1])
    )
    return _FacetCounts(counted.pop("category_id"), listed, counted)


def _facet_counts(user: User, filters: CatalogFilters) -> _FacetCounts:
    visible = resources_visible_to(user=user)
    if not filters.active and connections[visible.db].vendor == "postgresql":
        if filters.q:
            return _facet_counts_at_once(_first_matches(visible, filters.q))
        return _added(_shared_facet_counts(user), _own_facet_counts(user, visible.db))
    return _facet_counts_each(visible, filters)


def facet_shared_seconds() -> int:
    return int(getattr(settings, "PORTAL_FACET_SHARED_SECONDS", 300))


def _shared_facet_key(user: User) -> str:
    # SECURITY: the key holds everything resources_shared_q decides by.
    parts = json.dumps(policies.resources_shared_key(user))
    return "catalog:facets:shared:" + hashlib.sha256(parts.encode()).hexdigest()


def _shared_facet_counts(user: User) -> _FacetCounts:
    """Return the unfiltered counts of what every user of this clearance and roles sees.

    The city-wide part of a user's unfiltered facets (``policies.resources_shared_q``): one
    scan of a million resources at province scale (0.8 s of PostgreSQL, read from the index
    ``resource_visibility`` alone), so it is counted once per clearance and roles, not
    once per department, and kept ``PORTAL_FACET_SHARED_SECONDS`` (default 300), recounted
    by the task worker behind the request that finds it old. A department's own entries are
    counted apart (``_own_facet_counts``), so its own changes show within the minute.
    """
    return stale.kept(
        _shared_facet_key(user),
        lambda: _count_shared(user),
        fresh=facet_shared_seconds(),
        stale=facet_stale_seconds(),
        refresh=lambda: _ask_refresh(user, CatalogFilters.from_params({}), "shared"),
    )


def _count_shared(user: User) -> _FacetCounts:
    return _facet_counts_at_once(Resource.objects.filter(policies.resources_shared_q(user)))


def _own_facet_counts(user: User, using: str) -> _FacetCounts:
    """Return the counts of the department's own entries that the shared part leaves out."""
    if user.department_id is None:
        return _FacetCounts({}, [], {name: {} for name, _t, _c in CHOICE_FACETS})
    own = (
        Resource.objects.using(using)
        .filter(provider_id=user.department_id)
        .exclude(policies.resources_shared_q(user))
    )
    return _facet_counts_at_once(own)


def _added(first: _FacetCounts, second: _FacetCounts) -> _FacetCounts:
    """Return the counts of two disjoint sets of resources together."""

    def plus(a: Mapping[Any, int], b: Mapping[Any, int]) -> dict[Any, int]:
        total = dict(a)
        for value, n in b.items():
            total[value] = total.get(value, 0) + n
        return total

    names = {pk: name for pk, name, _n in (*first.providers, *second.providers)}
    providers = plus(
        {pk: n for pk, _name, n in first.providers}, {pk: n for pk, _name, n in second.providers}
    )
    return _FacetCounts(
        plus(first.categories, second.categories),
        sorted(((pk, names[pk], n) for pk, n in providers.items()), key=lambda p: (-p[2], p[1])),
        {name: plus(first.choices[name], second.choices.get(name, {})) for name in first.choices},
    )


def _first_matches(visible: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    """Return the query's matches its facets count: those its list counts (search_bounded).

    All of them for most queries, the first ``listed_max()`` + 1 the index yields for a broad
    one, read once as ids: every facet then counts the same resources, in one pass. (Each
    facet taking its own "first n" from a subquery could count different ones; and counted in
    one pass over a ``pk IN (subquery)``, the planner hashed the whole table against it: 670
    ms for 信息 at province scale.) A query with nothing searchable in it filters nothing.
    """
    concepts = query_concepts(query)
    if not concepts:
        return visible
    matched = search_match(visible, query, concepts=concepts).order_by()
    first = list(matched.values_list("pk", flat=True)[: listed_max() + 1])
    return visible.filter(pk_among(first))


def _facet_counts_each(visible: QuerySet[Resource], filters: CatalogFilters) -> _FacetCounts:
    """Return each facet's counts from an aggregation of its own (it leaves out its filter)."""

    def base(without: str) -> QuerySet[Resource]:
        narrowed = visible.filter(filters.filter_q(without=without)).order_by()
        if not filters.q:
            return narrowed
        # A query's facets count its first matches, as its list does (search_bounded): all of
        # them for most queries, the first listed_max() + 1 for a broad one.
        first = search_match(narrowed, filters.q).values("pk")[: listed_max() + 1]
        return Resource.objects.filter(pk__in=first).order_by()

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


def listing_count(counts: _FacetCounts, filters: CatalogFilters) -> int:
    """Return how many resources a browse page lists, from its facet counts.

    Each facet counts the resources matching every other filter, so the share-type facet (a
    value every resource has) sums to the list's count, or holds it under the chosen value.
    Counting the list again read every visible resource (50 ms for 96,000 at city scale) on each
    page; the facets are counted once a minute per visibility and filters, and a long list's
    count agrees with the facets beside it, both as of the same minute.
    """
    shares = counts.choices["share_type"]
    return shares.get(filters.share_type, 0) if filters.share_type else sum(shares.values())


def facet_stale_seconds() -> int:
    return int(getattr(settings, "PORTAL_FACET_STALE_SECONDS", 300))


def _ask_refresh(user: User, filters: CatalogFilters, part: str) -> None:
    from ..tasks import facet_counts_refresh_task

    values = {f.name: getattr(filters, f.name) for f in fields(filters)}
    facet_counts_refresh_task.enqueue(user.pk, values, part)


def _cached_facet_counts(
    user: User, filters: CatalogFilters, *, found: object = None
) -> _FacetCounts:
    # Served up to PORTAL_FACET_STALE_SECONDS past its minute while the task worker recounts
    # (kernel.stale): the recount took a quarter of a second at province scale, on whichever
    # request came after the minute.
    return stale.kept(
        _facet_cache_key(user, filters),
        lambda: _facet_counts(user, filters),
        fresh=facet_cache_seconds(),
        stale=facet_stale_seconds(),
        refresh=lambda: _ask_refresh(user, filters, "facets"),
        found=found,
    )


def facet_counts_refresh(*, user_id: int, values: Mapping[str, Any], part: str) -> bool:
    """Recount a user's facet (or category) counts for the filters ``values`` and keep them.

    Run by the task worker when a request served counts past their minute (``kernel.stale``).
    The counts are of what the user may see now, kept under the key of what they may see now.
    Return False when the user is gone or inactive (nothing is counted).
    """
    user = User.objects.filter(pk=user_id, is_active=True).select_related("department").first()
    if user is None:
        return False
    filters = CatalogFilters(**{**values, "invalid": tuple(values.get("invalid", ()))})
    key = _facet_cache_key(user, filters)
    fresh, behind = facet_cache_seconds(), facet_stale_seconds()
    if part == "categories":
        counts = _category_counts(resources_visible_to(user=user))
        stale.store(key + ":categories", counts, fresh=fresh, stale=behind)
    elif part == "shared":
        shared = _count_shared(user)
        stale.store(_shared_facet_key(user), shared, fresh=facet_shared_seconds(), stale=behind)
    else:
        stale.store(key, _facet_counts(user, filters), fresh=fresh, stale=behind)
    return True


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
    category_counts: dict[int, int]
    share_types: list[tuple[str, Any, int]]
    departments: list[tuple[int, str, int]]
    department_count: int
    recently_published: list[Resource]
    recently_updated: list[Resource]

    @cached_property
    def categories(self) -> list[CategoryNode]:
        """Return the category forest with counts (read only when the page renders it)."""
        return category_tree_counts(self.category_counts, list(Category.objects.order_by("code")))


def overview_fragment_key(user: User) -> str:
    """Return the key of the home page's rendered counts: those of the catalog's first page."""
    return _facet_cache_key(user, CatalogFilters.from_params({})) + ":home"


def catalog_overview(*, user: User, recent: int = 6, top_departments: int = 8) -> CatalogOverview:
    """Return what the catalog holds for this user: counts and the latest resources.

    The counts are the browse page's unfiltered facet counts, cached the same way (so the
    home page and the catalog's first page share them).
    """
    visible = resources_visible_to(user=user)
    counts = _cached_facet_counts(user, CatalogFilters.from_params({}))
    shares = counts.choices["share_type"]
    share_types = [(value, label, shares.get(value, 0)) for value, label in ShareType.choices]
    latest = visible.select_related("provider", "category").defer(
        "search_document", "search_vector"
    )
    return CatalogOverview(
        total=sum(shares.values()),
        category_counts=counts.categories,
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
    items = list(
        resource.items.filter(policies.items_visible_q(user))
        .select_related("code_list")
        .order_by("position", "id")
    )
    related = list(
        resources_visible_to(user=user)
        .filter(related_from=resource)
        .select_related("provider")
        .defer("search_document", "search_vector")
        .order_by(F("code").asc(nulls_last=True), "id")
    )
    return ResourceDetail(resource, path, items, related)


# --- departments and categories -----------------------------------------------------------------


def departments_fragment_key(user: User) -> str:
    """Return the key of the department list's rendered tiles: those of the unfiltered facets."""
    return _facet_cache_key(user, CatalogFilters.from_params({})) + ":departments"


def departments_with_counts(*, user: User) -> list[tuple[Department, int]]:
    """Return the active departments, each with how many resources it provides that user sees.

    The counts are the catalog's unfiltered provider facet (one aggregation over every visible
    resource), cached per visibility with the other facet counts: the browse page, the home
    page and this list share one entry.
    """
    facets = _cached_facet_counts(user, CatalogFilters.from_params({}))
    counts = {pk: n for pk, _name, n in facets.providers}
    departments = Department.objects.filter(is_active=True).order_by("region_code", "name")
    return [(d, counts.get(d.pk, 0)) for d in departments]


def department_get(*, pk: int) -> Department:
    """Return an active department (departments are public within the portal)."""
    return Department.objects.select_related("parent").get(pk=pk, is_active=True)


def visible_category_counts(*, user: User) -> dict[int, int]:
    """Return the user's visible resources counted by category, as of the facets' minute.

    The browse page's unfiltered category facet is this count: taken from its cache when a
    browse or home page filled it, else counted alone and kept beside it for
    ``PORTAL_FACET_CACHE_SECONDS`` under the same visibility key (and recounted by the task
    worker after that, as the facets are). Counting every visible resource on each view of the
    category tree took 0.6-0.9 s at province scale.
    """
    filters = CatalogFilters.from_params({})
    key = _facet_cache_key(user, filters)
    found = cache.get_many([key, key + ":categories"]) if facet_cache_seconds() > 0 else {}
    if stale.unpack(found.get(key)) is not None:
        return dict(_cached_facet_counts(user, filters, found=found[key]).categories)
    return stale.kept(
        key + ":categories",
        lambda: _category_counts(resources_visible_to(user=user)),
        fresh=facet_cache_seconds(),
        stale=facet_stale_seconds(),
        refresh=lambda: _ask_refresh(user, filters, "categories"),
        found=found.get(key + ":categories"),
    )


def category_tree(*, user: User) -> list[CategoryNode]:
    """Return the whole category tree with counts of the user's visible resources."""
    categories = list(Category.objects.order_by("code"))
    return category_tree_counts(visible_category_counts(user=user), categories)


def category_get(*, code: str) -> Category:
    """Return a category by code, with its ancestors loaded."""
    return Category.objects.select_related("parent__parent__parent").get(code=code)


def category_children_counts(*, user: User, category: Category) -> list[CategoryNode]:
    """Return the category's direct children with counts of visible resources in each subtree."""
    subtree = list(Category.objects.filter(code__startswith=category.code).order_by("code"))
    # The counts of categories outside the subtree find no node and are left out.
    roots = category_tree_counts(visible_category_counts(user=user), subtree)
    own = next((n for n in roots if n.category.pk == category.pk), None)
    return own.children if own else []


def resources_search(*, user: User, query: str) -> QuerySet[Resource]:
    """Return the resources visible to the user that match the query, best first.

    The search page's list (``resources_listing``): past ``listed_max()`` matches, the best
    among the newest of them.
    """
    filters = CatalogFilters.from_params({"q": query}, searching=True)
    return resources_listing(user=user, filters=filters).resources
