"""The benchmark's scenarios: what a page does, and the same answer from one hand-written query.

Each ``Scenario`` has
- ``portal(subject)``: the work the page or endpoint does (selectors, ordering, slicing), returning
  a comparable result;
- ``floor``: one SQL statement computing the same result, the lower bound PostgreSQL can reach
  (``bench/run`` checks both answers are equal, so the floor cannot cheat);
- ``unfiltered``: optionally, the same portal query without the access-policy filter, to price
  the permission check;
- ``note``: what is provisional (a placeholder until the real page exists).

A page added later is one more ``http_get`` scenario in ``bench/pages.py`` (with ``covers=``
naming it; tests/test_bench_coverage.py fails until one does), or an entry here when a one-query
floor exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Count, F
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from accounts.services.tokens import token_create
from catalog import selectors
from catalog.models import Resource
from catalog.search import (
    concepts_tsquery,
    expr_tsquery,
    name_terms,
    query_concepts,
    search_bounded,
)
from catalog.selectors.browse import CatalogFilters, listed_max, resources_browse, resources_listing
from datasets import selectors as data_selectors
from datasets.models import DatasetVersion
from datasets.selectors import dataset_rows_for
from sharing import selectors as sharing_selectors
from sharing.models import Grant, ShareRequest
from tests.auth import verified_login

PAGE_SIZE = 20
# The catalog's default order (catalog.selectors.browse, Sort.PUBLISHED): newest first, drafts last.
ORDERING = (F("published_at").desc(nulls_last=True), "-id")
SQL_ORDERING = "r.published_at DESC NULLS LAST, r.id DESC"


@dataclass
class Subject:
    """A user the scenarios run as, with what the SQL floors need to know about them."""

    label: str
    user: User
    grants: int  # active grants of the user's department
    detail_pk: int = 0  # a resource the user can read (a granted one where there is one)
    # The approver whose inbox this subject's row measures: of a provider with few, median, many
    # or the most requests awaiting a decision (the subject's own inbox is empty: staff decide
    # nothing).
    approver: User | None = None
    waiting: int = 0  # requests awaiting that approver's department
    # What the subject is there for: "staff" (the clearance/grant picks, the coordinator
    # included) or the role whose pages it reaches (bench.pages: "approver", "editor",
    # "dept_admin", "auditor", "system_admin", "security_admin").
    kind: str = "staff"

    @property
    def params(self) -> dict[str, Any]:
        user = self.user
        return {
            "clearance": user.clearance,
            "dept": user.department_id or 0,
            "group": user.department.group_id if user.department else 0,
            "coord": user.has_role(Role.COORDINATOR),
            "perm": read_permission_id(),
            "pk": self.detail_pk,
            "limit": PAGE_SIZE,
        }


@dataclass
class Scenario:
    name: str
    portal: Callable[[Subject], Any]
    floor: Callable[[Subject], Any] | None = None
    unfiltered: Callable[[Subject], Any] | None = None
    note: str = ""
    applies: Callable[[Subject], bool] = field(default=lambda subject: True)
    # How many rows the answer holds: a list's total by default (its first element).
    rows: Callable[[Any], int | None] = field(
        default=lambda result: result[0] if isinstance(result, tuple) else None
    )
    # The URL names (``namespace:name``) and OpenAPI operation ids the scenario requests;
    # tests/test_bench_coverage.py fails on a GET page or operation that none covers.
    covers: tuple[str, ...] = ()
    # Whether the floor's answer is the portal's (``bench/run`` stops when it is not).
    agrees: Callable[[Any, Any], bool] = field(default=lambda portal, floor: portal == floor)


@functools.cache
def _permission_id(codename: str) -> int:
    return Permission.objects.get(codename=codename, content_type__app_label="catalog").pk


def read_permission_id() -> int:
    return _permission_id("read_resource_data")


def decide_permission_id() -> int:
    return _permission_id("decide_resource")


def sql(statement: str, params: dict[str, Any]) -> list[tuple]:
    """Run one statement and return its rows."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


# The policy's visibility rule written by hand (catalog.policies.resources_visible_q): the
# status rule and the catalog scope rule (the provider's own; every department's user for
# `departments`; within clearance for `cleared`; the coordinator within clearance for `provider`).
VISIBLE = (
    "(r.status = 'published' OR r.provider_id = %(dept)s"
    " OR (%(coord)s AND r.status IN ('submitted', 'retired')))"
    " AND (r.provider_id = %(dept)s"
    " OR (r.catalog_scope = 'departments' AND %(dept)s <> 0)"
    " OR (r.catalog_scope = 'cleared' AND r.level <= %(clearance)s)"
    " OR (r.catalog_scope = 'provider' AND %(coord)s AND r.level <= %(clearance)s))"
)


def _page(queryset, page: int) -> tuple[int, list[int]]:
    """Do what a paginated list page does: count, then fetch one page with its relations."""
    total = queryset.count()
    start = (page - 1) * PAGE_SIZE
    rows = list(queryset.select_related("provider", "category")[start : start + PAGE_SIZE])
    return total, [r.pk for r in rows]


def _floor_page(where: str, subject: Subject, page: int, extra: dict | None = None):
    # The count is an uncorrelated scalar subquery (evaluated once), so the page itself can
    # still walk an index in order; count(*) OVER () would force a full sort of every match.
    # The lateral join keeps one row (with the count) when the page is past the end.
    params = {**subject.params, "offset": (page - 1) * PAGE_SIZE, **(extra or {})}
    rows = sql(
        f"SELECT p.id, p.provider, p.category, (SELECT count(*) FROM catalog_resource r WHERE {where})"
        " FROM (SELECT 1) AS one LEFT JOIN LATERAL ("
        "  SELECT r.id, r.published_at, d.name AS provider, c.code AS category"
        "  FROM catalog_resource r"
        "  JOIN accounts_department d ON d.id = r.provider_id"
        "  JOIN catalog_category c ON c.id = r.category_id"
        f"  WHERE {where} ORDER BY {SQL_ORDERING} LIMIT %(limit)s OFFSET %(offset)s"
        ") AS p ON true ORDER BY p.published_at DESC, p.id DESC",
        params,
    )
    return rows[0][3], [row[0] for row in rows if row[0] is not None]


# --- browse -----------------------------------------------------------------------------------


def browse(page: int) -> Callable[[Subject], Any]:
    """The browse page's list: ``catalog.selectors.browse.resources_browse`` with no filter, newest first."""

    def run(subject: Subject):
        return _page(
            resources_browse(user=subject.user, filters=CatalogFilters.from_params({})), page
        )

    return run


def browse_unfiltered(page: int) -> Callable[[Subject], Any]:
    def run(subject: Subject):
        queryset = Resource.objects.filter(status="published").defer(
            "search_document", "search_vector"
        )
        return _page(queryset.order_by(*ORDERING), page)

    return run


def browse_floor(page: int) -> Callable[[Subject], Any]:
    return lambda subject: _floor_page(VISIBLE, subject, page)


# --- search -----------------------------------------------------------------------------------


def search(term: str) -> Callable[[Subject], Any]:
    """The search page's list: ``resources_listing`` for the query, its count and first page."""

    def run(subject: Subject):
        filters = CatalogFilters.from_params({"q": term}, searching=True)
        listing = resources_listing(user=subject.user, filters=filters)
        rows = list(listing.resources.select_related("provider", "category")[:PAGE_SIZE])
        return listing.count, [r.pk for r in rows]

    return run


def search_unfiltered(term: str) -> Callable[[Subject], Any]:
    def run(subject: Subject):
        found = search_bounded(
            Resource.objects.filter(status="published"), term, bound=listed_max()
        )
        queryset = found.resources.order_by("-search_rank", "-published_at", "-id")
        rows = list(queryset.select_related("provider", "category")[:PAGE_SIZE])
        return found.count, [r.pk for r in rows]

    return run


# The search written by hand: the stored tsvector against the tsquery of any of the query's
# words (each with its synonyms), ranked as catalog.search ranks: 2 for each matching word (a
# constant for a one-word query), 1 when the name holds the first word or a synonym of it, 10
# for an exact code, and ts_rank normalised below 1. Bounded as the search page is
# (catalog.search.search_bounded): the first `bound` + 1 matches the scan yields are the count
# and the candidates; for several words, past the bound, so are the first `bound` matching
# every word; only the candidates are ranked.
SEARCH_FLOOR = """
WITH first AS MATERIALIZED (
  SELECT r.id FROM catalog_resource r WHERE {visible} AND r.search_vector @@ {tsq}
  LIMIT %(bound)s + 1
),
found AS MATERIALIZED (SELECT count(*) AS n FROM first),
candidates AS (
  (SELECT id FROM first LIMIT %(bound)s)
  {every}
)
SELECT p.id, LEAST((SELECT n FROM found), %(bound)s)
FROM (SELECT 1) AS one LEFT JOIN LATERAL (
  SELECT r.id, r.published_at, d.name AS provider, c.code AS category,
    {concepts}
      + CASE WHEN {names} THEN 1.0 ELSE 0.0 END
      + CASE WHEN r.code = %(query)s THEN 10.0 ELSE 0.0 END
      + COALESCE(ts_rank(r.search_vector, {tsq}, 32), 0) AS rank
  FROM catalog_resource r
  JOIN accounts_department d ON d.id = r.provider_id
  JOIN catalog_category c ON c.id = r.category_id
  WHERE r.id IN (SELECT id FROM candidates)
  ORDER BY rank DESC, r.published_at DESC NULLS LAST, r.id DESC LIMIT %(limit)s
) AS p ON true ORDER BY p.rank DESC, p.published_at DESC NULLS LAST, p.id DESC
"""

# The query's tsquery, written where it is used (not in a CTE) so the planner sees its value.
SEARCH_TSQUERY = "to_tsquery('simple'::regconfig, %(tsquery)s)"

SEARCH_FLOOR_EVERY = """
  UNION
  (SELECT r.id FROM catalog_resource r
   WHERE (SELECT n FROM found) > %(bound)s AND {visible} AND {all_words} LIMIT %(bound)s)
"""


def search_floor(term: str) -> Callable[[Subject], Any]:
    @functools.cache
    def statement() -> tuple[str, dict[str, Any]]:
        # Built at the first run, not at import: the query reads the synonym dictionary.
        concepts = query_concepts(term)
        extra: dict[str, Any] = {"tsquery": concepts_tsquery(concepts), "query": term.strip()}
        every = ""
        if len(concepts) == 1:
            concept_sql = "2.0"
        else:
            parts, musts = [], []
            for i, concept in enumerate(concepts):
                extra[f"c{i}"] = expr_tsquery(concept.expr)
                match = f"r.search_vector @@ to_tsquery('simple'::regconfig, %(c{i})s)"
                parts.append(f"CASE WHEN {match} THEN 2.0 ELSE 0.0 END")
                musts.append(match)
            concept_sql = "(" + " + ".join(parts) + ")"
            every = SEARCH_FLOOR_EVERY.format(visible=VISIBLE, all_words=" AND ".join(musts))
        likes = []
        for i, text in enumerate(name_terms(concepts)):
            extra[f"like{i}"] = f"%{text}%"
            likes.append(f"UPPER(r.name::text) LIKE UPPER(%(like{i})s)")
        sql_text = SEARCH_FLOOR.format(
            visible=VISIBLE,
            concepts=concept_sql,
            names=" OR ".join(likes) or "false",
            every=every,
            tsq=SEARCH_TSQUERY,
        )
        return sql_text, extra

    def run(subject: Subject):
        sql_text, extra = statement()
        rows = sql(sql_text, {**subject.params, **extra, "bound": listed_max()})
        return rows[0][1], [row[0] for row in rows if row[0] is not None]

    return run


# --- resource detail --------------------------------------------------------------------------


def detail(subject: Subject):
    resource = selectors.resource_get_visible(user=subject.user, pk=subject.detail_pk)
    items = data_selectors.resource_items_readable(user=subject.user, resource=resource)
    return resource.pk, [item.pk for item in items]


DETAIL_FLOOR = f"""
SELECT r.id, d.name, c.name, i.id
FROM catalog_resource r
JOIN accounts_department d ON d.id = r.provider_id
JOIN catalog_category c ON c.id = r.category_id
LEFT JOIN catalog_dataitem i ON i.resource_id = r.id AND i.level <= %(clearance)s
  AND r.status = 'published'
  AND (r.share_type = 'unconditional' OR r.provider_id = %(dept)s OR EXISTS (
    SELECT 1 FROM sharing_grant g
    JOIN sharing_grant_items gi ON gi.grant_id = g.id AND gi.dataitem_id = i.id
    JOIN catalog_resourcegroupobjectpermission p ON p.content_object_id = g.resource_id
      AND p.group_id = %(group)s AND p.permission_id = %(perm)s
    WHERE g.resource_id = r.id AND g.department_id = %(dept)s AND g.status = 'active'
      AND g.valid_from <= now() AND g.valid_until > now()))
WHERE r.id = %(pk)s AND {VISIBLE}
ORDER BY i.position, i.id
"""


def detail_floor(subject: Subject):
    rows = sql(DETAIL_FLOOR, subject.params)
    return rows[0][0], [row[3] for row in rows if row[3] is not None]


# --- grants list ------------------------------------------------------------------------------


def grants_list(subject: Subject):
    """The grants page (the department's grants): ``sharing.selectors.grants_as_consumer``."""
    queryset = sharing_selectors.grants_as_consumer(user=subject.user)
    total = queryset.count()
    return total, [g.pk for g in queryset[:PAGE_SIZE]]


def grants_floor(subject: Subject):
    # The grant's resource's catalog scope admits the user (resources_in_scope_q).
    where = (
        "g.department_id = %(dept)s AND (r.provider_id = %(dept)s"
        " OR r.catalog_scope = 'departments'"
        " OR (r.catalog_scope = 'cleared' AND r.level <= %(clearance)s)"
        " OR (r.catalog_scope = 'provider' AND %(coord)s AND r.level <= %(clearance)s))"
    )
    rows = sql(
        "SELECT p.id, p.resource, p.provider, (SELECT count(*) FROM sharing_grant g"
        f" JOIN catalog_resource r ON r.id = g.resource_id WHERE {where})"
        " FROM (SELECT 1) AS one LEFT JOIN LATERAL ("
        "  SELECT g.id, g.created_at, r.name AS resource, d.name AS provider"
        "  FROM sharing_grant g"
        "  JOIN catalog_resource r ON r.id = g.resource_id"
        "  JOIN accounts_department d ON d.id = r.provider_id"
        f"  WHERE {where} ORDER BY g.created_at DESC, g.id DESC LIMIT %(limit)s"
        ") AS p ON true ORDER BY p.created_at DESC, p.id DESC",
        subject.params,
    )
    return rows[0][3], [row[0] for row in rows if row[0] is not None]


# --- approver inbox ---------------------------------------------------------------------------


def inbox(subject: Subject):
    """The inbox page: the requests awaiting the approver's decision or sign-off, first page."""
    assert subject.approver is not None
    queryset = sharing_selectors.requests_inbox(user=subject.approver)
    total = queryset.count()
    return total, [r.pk for r in queryset[:PAGE_SIZE]]


def inbox_floor(subject: Subject):
    """The same inbox as a DBA would write it: each way of deciding is its own indexed probe.

    Requests to the approver's department (the (provider, status, due date) index), requests
    naming a resource delegated to the approver, and the department's own requests awaiting
    sign-off; each checked line by line against clearance and stewardship.
    """
    approver = subject.approver
    assert approver is not None
    params = {
        "dept": approver.department_id,
        "clearance": approver.clearance,
        "user": approver.pk,
        "decide": decide_permission_id(),
        "limit": PAGE_SIZE,
    }
    undecidable = (
        "NOT EXISTS (SELECT 1 FROM sharing_requestline l"
        " JOIN catalog_resource r ON r.id = l.resource_id"
        " WHERE l.request_id = s.id AND NOT (r.level <= %(clearance)s"
        " AND (r.provider_id = %(dept)s OR EXISTS (SELECT 1"
        " FROM catalog_resourceuserobjectpermission p WHERE p.content_object_id = r.id"
        " AND p.user_id = %(user)s AND p.permission_id = %(decide)s))))"
    )
    rows = sql(
        "WITH waiting AS ("
        " SELECT s.id, s.due_date, s.submitted_at FROM sharing_sharerequest s"
        " WHERE s.provider_id = %(dept)s AND s.status = 'submitted'"
        " AND s.requester_department_id <> %(dept)s AND " + undecidable + " UNION"
        " SELECT s.id, s.due_date, s.submitted_at FROM sharing_sharerequest s"
        " JOIN sharing_requestline dl ON dl.request_id = s.id"
        " JOIN catalog_resourceuserobjectpermission dp ON dp.content_object_id = dl.resource_id"
        " AND dp.user_id = %(user)s AND dp.permission_id = %(decide)s"
        " WHERE s.status = 'submitted' AND s.requester_department_id <> %(dept)s"
        " AND " + undecidable + " UNION"
        " SELECT s.id, s.due_date, s.submitted_at FROM sharing_sharerequest s"
        " WHERE s.requester_department_id = %(dept)s AND s.status = 'signoff'"
        " AND NOT EXISTS (SELECT 1 FROM sharing_requestline l"
        " JOIN catalog_resource r ON r.id = l.resource_id"
        " WHERE l.request_id = s.id AND r.level > %(clearance)s))"
        " SELECT id, count(*) OVER () FROM waiting"
        " ORDER BY due_date, submitted_at, id LIMIT %(limit)s",
        params,
    )
    return (rows[0][1] if rows else 0), [row[0] for row in rows]


# --- API: resource list and detail, through the test client with a token ----------------------

API_PAGE = 50  # kernel.api.pagination.CursorPage.page_size
_tokens: dict[int, str] = {}


def _api_client(subject: Subject) -> tuple[Client, dict[str, str]]:
    key = _tokens.get(subject.user.pk)
    if key is None:
        # One read token per subject and run (tokens are cheap rows; the key is shown once).
        # Created by the subject just after a second factor, as privileged roles require.
        _token, key = token_create(
            actor=subject.user,
            user=subject.user,
            name="bench",
            scopes=["read"],
            second_factor_at=timezone.now(),
        )
        _tokens[subject.user.pk] = key
    return Client(), {"HTTP_AUTHORIZATION": f"Token {key}"}


def _api_get(subject: Subject, path: str) -> Any:
    client, headers = _api_client(subject)
    response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.json()


def api_list(subject: Subject):
    body = _api_get(subject, "/api/v1/resources/")
    return [(r["id"], r["item_count"]) for r in body["results"]]


# Every item's definition of a visible resource (items_visible_q), whatever its level.
API_ITEMS = "(SELECT count(*) FROM catalog_dataitem i WHERE i.resource_id = r.id)"
# The columns of the list's representation (catalog.api.serializers.ResourceSummarySerializer).
API_COLUMNS = (
    "r.id, r.code, r.name, r.summary, r.provider_id, d.name, d.uscc, r.category_id, c.code,"
    " r.share_type, r.share_condition, r.share_method, r.format_class, r.format_type,"
    " r.open_type, r.update_cycle, r.level, r.catalog_scope, r.catalog_scope_reason, r.status,"
    " r.version, r.region_code, r.source_system_id, r.published_at, r.updated_at,"
    " r.review_comment, r.retired_reason, r.valid_until"
)
# Each item as ?expand=items gives it (its detected_kind is Python's: the name's patterns).
API_ITEM_ROWS = (
    "(SELECT coalesce(json_agg(json_build_object('id', i.id, 'name', i.name,"
    " 'data_type', i.data_type, 'length', i.length, 'level', i.level, 'kind', i.kind,"
    " 'is_key', i.is_key, 'description', i.description, 'code_list', CASE WHEN l.id IS NULL"
    " THEN NULL ELSE json_build_object('code', l.code, 'name', l.name) END,"
    " 'not_personal_reason', coalesce(p.reason, '')) ORDER BY i.position, i.id), '[]'::json)"
    " FROM catalog_dataitem i LEFT JOIN catalog_codelist l ON l.id = i.code_list_id"
    " LEFT JOIN catalog_personaldataconfirmation p ON p.item_id = i.id"
    " WHERE i.resource_id = r.id)"
)


def _api_page_sql(extra: str) -> str:
    return (
        f"SELECT {API_COLUMNS}, {extra} FROM catalog_resource r"
        " JOIN accounts_department d ON d.id = r.provider_id"
        " JOIN catalog_category c ON c.id = r.category_id"
        f" WHERE {VISIBLE} ORDER BY r.id DESC LIMIT {API_PAGE}"
    )


def api_list_floor(subject: Subject):
    """The lean list: the representation's columns and each resource's item count."""
    rows = sql(_api_page_sql(API_ITEMS), subject.params)
    return [(row[0], row[-1]) for row in rows]


def api_list_expanded(subject: Subject):
    body = _api_get(subject, "/api/v1/resources/?expand=items")
    return [(r["id"], [item["id"] for item in r["items"]]) for r in body["results"]]


def api_list_expanded_floor(subject: Subject):
    """The list with ?expand=items: the same page, each resource's items built as JSON."""
    rows = sql(_api_page_sql(API_ITEM_ROWS), subject.params)
    return [(row[0], [item["id"] for item in row[-1]]) for row in rows]


def api_detail(subject: Subject):
    body = _api_get(subject, f"/api/v1/resources/{subject.detail_pk}/")
    return body["id"], len(body.get("items", []))


def api_detail_floor(subject: Subject):
    rows = sql(
        f"SELECT r.id, d.name, c.code, {API_ITEMS} FROM catalog_resource r"
        " JOIN accounts_department d ON d.id = r.provider_id"
        " JOIN catalog_category c ON c.id = r.category_id"
        f" WHERE r.id = %(pk)s AND {VISIBLE}",
        subject.params,
    )
    return rows[0][0], rows[0][3]


# --- dataset rows lookup by key --------------------------------------------------------------


@functools.cache
def dataset_resource() -> tuple[Resource, str, list[str]] | None:
    """Return the seeded dataset's resource, its key item and a few keys spread over it.

    Cached: looked up once per process, not inside the timed runs.
    """
    version = (
        DatasetVersion.objects.filter(status=DatasetVersion.Status.ACTIVE, row_count__gt=0)
        .select_related("resource")
        .order_by("-row_count", "id")
        .first()
    )
    if version is None or len(version.key_columns) != 1:
        return None
    rows = version.rows.order_by("id").values_list("key", flat=True)
    step = max(1, version.row_count // 7)
    keys = [k for k in (rows[i * step : i * step + 1].first() for i in range(7)) if k]
    return version.resource, version.key_columns[0], keys


def rows_lookup(subject: Subject):
    """``dataset_rows_for`` with the key: policy, projection, masking and the audit record."""
    found = dataset_resource()
    assert found is not None
    resource, key_item, keys = found
    result = []
    for key in keys:
        page = dataset_rows_for(user=subject.user, resource=resource, filters={key_item: key})
        result.extend(page.rows)
    return result


def _masked(value: str, keep: tuple[int, int]) -> str:
    first, last = keep
    tail = f" || right({value}, {last})" if last else ""
    return (
        f"CASE WHEN length({value}) - {first + last} <= 0 THEN"
        f" left({value}, 1) || repeat('*', greatest(length({value}) - 1, 0))"
        f" ELSE left({value}, {first}) || repeat('*', length({value}) - {first + last}){tail} END"
    )


def _rows_floor_sql() -> str:
    # The dataset is unconditional (no grant, so no row scope and no clear items from a grant):
    # the provider's own department reads in clear, everyone else masked, items within clearance.
    from datasets.masking import rules

    cell = "(d.data ->> (i.position - 1))"
    whens = " ".join(f"WHEN '{kind}' THEN {_masked(cell, keep)}" for kind, keep in rules().items())
    return f"""
SELECT ARRAY(
  SELECT CASE WHEN r.provider_id = %(dept)s THEN {cell} ELSE CASE i.kind {whens} ELSE {cell} END END
  FROM catalog_dataitem i
  WHERE i.resource_id = v.resource_id AND i.level <= %(clearance)s
  ORDER BY i.position, i.id)
FROM datasets_datasetversion v
JOIN catalog_resource r ON r.id = v.resource_id
JOIN datasets_datasetrow d ON d.version_id = v.id AND d.key = ANY(%(keys)s)
WHERE v.resource_id = %(resource)s AND v.status = 'active'
ORDER BY array_position(%(keys)s, d.key)
"""


def rows_lookup_floor(subject: Subject):
    found = dataset_resource()
    assert found is not None
    resource, _item, keys = found
    rows = sql(_rows_floor_sql(), {**subject.params, "resource": resource.pk, "keys": keys})
    return [list(row[0]) for row in rows]


# --- through HTTP, with every middleware ------------------------------------------------------


class HttpStatusError(AssertionError):
    """A page answered with an unexpected status (``status`` says which)."""

    def __init__(self, path: str, status: int):
        super().__init__(f"{path}: HTTP {status}")
        self.path, self.status = path, status


PathFor = str | Callable[[Subject], str]


@dataclass(frozen=True)
class Fetched:
    """What a request through HTTP answered: its status and the body's size in bytes."""

    status: int
    size: int


def http_get(
    path: PathFor,
    *,
    api: bool = False,
    anonymous: bool = False,
    expect: tuple[int, ...] = (200,),
) -> Callable[[Subject], Any]:
    """Request ``path`` (or the path built from the subject) through the test client.

    Signed in with the second factor done (``api``: with a read token instead; ``anonymous``:
    not at all). A streamed body (CSV exports) is read to its end, so the timing includes
    every row written. Raises ``HttpStatusError`` on a status not in ``expect``.
    """
    clients: dict[int, Client] = {}

    def run(subject: Subject):
        target = path(subject) if callable(path) else path
        headers: dict[str, str] = {}
        if api:
            client, headers = _api_client(subject)
        elif anonymous:
            client = Client()
        else:
            client = clients.get(subject.user.pk)
            if client is None:
                client = clients[subject.user.pk] = Client()
                # Signed in with the second factor done, as a coordinator or approver would be.
                verified_login(client, subject.user)
        response = client.get(target, **headers)
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        if response.status_code not in expect:
            raise HttpStatusError(target, response.status_code)
        return Fetched(response.status_code, size)

    return run


def search_answers_agree(portal: Any, floor: Any) -> bool:
    """Whether a search's floor answers as the portal: the same page, or past the bound the same
    count and page size.

    Past the bound both rank "the first ``bound`` + 1 matches the scan yields", in the order
    of each query's plan (catalog.search.search_bounded): when the portal's query and the floor
    are planned differently (seen at province scale, not at city scale) they rank different
    windows of the same size. Below the bound every match is ranked and the pages must be equal;
    tests/bench/test_bench_seed.py compares the pages exactly at a small bound.
    """
    if portal[0] >= listed_max() and floor[0] == portal[0]:
        return len(floor[1]) == len(portal[1])
    return bool(portal == floor)


def _search_scenarios() -> list[Scenario]:
    terms = [("1ch_common", "证"), ("1ch_rare", "鹤"), ("2ch_common", "信息"), ("2ch_rare", "古树")]
    # Words the synonym dictionary expands: 户口 also finds 户籍 / 户籍登记 (the 户籍人口
    # resources, among the most common subjects); 复员军人 finds 退役军人 / 转业军人 (the rare
    # 退役军人优待证); and two words, one missing everywhere (ranked by words matched).
    synonym_terms = [
        ("synonym_common", "户口"),
        ("synonym_rare", "复员军人"),
        ("two_words_one_missing", "户口 火星"),
    ]
    return [
        Scenario(
            f"search_{label}({term})",
            search(term),
            search_floor(term),
            search_unfiltered(term),
            agrees=search_answers_agree,
        )
        for label, term in [*terms, *synonym_terms]
    ]


SCENARIOS: list[Scenario] = [
    Scenario("browse_page_1", browse(1), browse_floor(1), browse_unfiltered(1)),
    Scenario("browse_page_50", browse(50), browse_floor(50), browse_unfiltered(50)),
    *_search_scenarios(),
    Scenario("resource_detail", detail, detail_floor, rows=lambda result: len(result[1])),
    Scenario("grants_list", grants_list, grants_floor),
    Scenario(
        "approver_inbox",
        inbox,
        inbox_floor,
        applies=lambda subject: subject.approver is not None,
        note="run as the approver of a provider with few, median, many or the most requests"
        " waiting (subjects table)",
    ),
    Scenario("api_resource_list", api_list, api_list_floor, rows=len, covers=("resources_list",)),
    Scenario(
        "api_resource_list_expanded",
        api_list_expanded,
        api_list_expanded_floor,
        rows=lambda result: sum(len(items) for _pk, items in result),
        note="?expand=items: every visible item of the page's resources, serialised",
        covers=("resources_list",),
    ),
    Scenario(
        "api_resource_detail",
        api_detail,
        api_detail_floor,
        rows=lambda r: r[1],
        covers=("resources_retrieve",),
    ),
    Scenario(
        "rows_lookup",
        rows_lookup,
        rows_lookup_floor,
        rows=len,
        applies=lambda subject: (
            (found := dataset_resource()) is not None and subject.user.clearance >= found[0].level
        ),
    ),
    Scenario(
        "http_home",
        http_get("/"),
        note="HTTP through the test client, full middleware",
        covers=("home",),
    ),
    Scenario(
        "http_catalog_page_1",
        http_get("/catalog/"),
        note="the browse page through HTTP: count, page, and the seven facet counts",
        covers=("catalog:resource_list",),
    ),
    Scenario(
        "http_catalog_page_50",
        http_get("/catalog/?page=50"),
        note="the browse page's 50th page through HTTP",
    ),
    Scenario(
        "http_search_2ch_common",
        http_get("/catalog/search/?q=信息"),
        note="the search page through HTTP for a common term: hits, count and facets",
        covers=("catalog:search",),
    ),
    Scenario(
        "http_calendar_year",
        http_get("/calendar/2026/"),
        note="the working-day calendar's year page: twelve month grids and the year's history",
        covers=("workcalendar:year",),
    ),
    Scenario(
        "http_api_calendar_year",
        http_get("/api/v1/calendar/2026/"),
        note="the calendar API (session): a year's days off and adjusted working days",
        covers=("calendar_retrieve",),
    ),
]


# --- subjects ---------------------------------------------------------------------------------


def _grants_by_department() -> dict[int, int]:
    rows = Grant.objects.filter(status="active").values("department").annotate(n=Count("id"))
    return {row["department"]: row["n"] for row in rows}


def _readable_target(user: User) -> int:
    """Return a resource the user reads through a grant if any, else one they can see."""
    granted = (
        data_selectors.resources_readable_by(user=user)
        .exclude(share_type="unconditional")
        .exclude(provider_id=user.department_id)
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )
    if granted:
        return granted
    return selectors.resources_visible_to(user=user).order_by("id").values_list("pk", flat=True)[0]


def _top_holder(users, by_count: list[int]) -> User | None:
    """Return a user of the last department in ``by_count`` (fewest to most) that has any."""
    for department in reversed(by_count):
        user = users.filter(department=department).order_by("pk").first()
        if user is not None:
            return user
    return None


def _approvers_by_waiting() -> list[tuple[User, int]]:
    """Return the approvers of providers with few, median, many and the most requests waiting."""
    waiting = dict(
        ShareRequest.objects.filter(status="submitted")
        .values_list("provider")
        .annotate(n=Count("id"))
        .values_list("provider", "n")
    )
    if not waiting:
        return []
    ranked = sorted(waiting, key=lambda d: (waiting[d], d))
    picks = [ranked[0], ranked[len(ranked) // 2], ranked[len(ranked) * 9 // 10], ranked[-1]]
    result = []
    for department in picks:
        approver = (
            User.objects.filter(department=department, role_assignments__role=Role.APPROVER)
            .select_related("department")
            .order_by("pk")
            .first()
        )
        if approver is not None:
            result.append((approver, waiting[department]))
    return result


def subjects() -> list[Subject]:
    """Pick users of each clearance and of few and many grants from the seeded data."""
    grants = _grants_by_department()
    by_count = sorted(grants, key=lambda d: grants[d])
    staff = User.objects.filter(role_assignments__role=Role.STAFF, username__startswith="bench_")
    staff = staff.exclude(role_assignments__role__in=[Role.COORDINATOR, Role.APPROVER])
    median = by_count[len(by_count) // 2 :]  # from the median department upwards
    picks: list[tuple[str, User | None]] = [
        ("L1, fewest grants", _top_holder(staff.filter(clearance=1), by_count[::-1])),
        ("L2, median grants", _top_holder(staff.filter(clearance=2), median[::-1])),
        ("L3, many grants", _top_holder(staff.filter(clearance=3), by_count)),
        ("L4, most grants", _top_holder(staff.filter(clearance=4), by_count)),
        (
            "coordinator L4",
            User.objects.filter(role_assignments__role=Role.COORDINATOR).order_by("pk").first(),
        ),
    ]
    approvers = _approvers_by_waiting()
    result = []
    for label, user in picks:
        if user is None:
            continue
        user = User.objects.select_related("department").get(pk=user.pk)
        subject = Subject(label, user, grants.get(user.department_id, 0), _readable_target(user))
        if approvers and not user.has_role(Role.COORDINATOR):
            subject.approver, subject.waiting = approvers.pop(0)
        result.append(subject)
    return result
