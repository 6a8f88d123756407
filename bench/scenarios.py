"""The benchmark's scenarios: what a page does, and the same answer from one hand-written query.

Each ``Scenario`` has
- ``portal(subject)``: the work the page or endpoint does (selectors, ordering, slicing), returning
  a comparable result;
- ``floor``: one SQL statement computing the same result, the lower bound PostgreSQL can reach
  (``bench/run`` checks both answers are equal, so the floor cannot cheat);
- ``unfiltered``: optionally, the same portal query without the access-policy filter, to price
  the permission check;
- ``note``: what is provisional (a placeholder until the real page exists).

A page added later is one more entry in ``SCENARIOS``: e.g. the approver inbox, the API list and
detail, the dataset rows lookup, or an ``http_get`` through the test client with every
middleware.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Count, Q
from django.test import Client

from accounts.models import Role, User
from catalog import selectors
from catalog.models import Resource
from sharing.models import Grant

PAGE_SIZE = 20
ORDERING = ("-published_at", "-id")
SQL_ORDERING = "r.published_at DESC, r.id DESC"


@dataclass
class Subject:
    """A user the scenarios run as, with what the SQL floors need to know about them."""

    label: str
    user: User
    grants: int  # active grants of the user's department
    detail_pk: int = 0  # a resource the user can read (a granted one where there is one)

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


_permission_id: int | None = None


def read_permission_id() -> int:
    global _permission_id
    if _permission_id is None:
        _permission_id = Permission.objects.get(
            codename="read_resource_data", content_type__app_label="catalog"
        ).pk
    return _permission_id


def sql(statement: str, params: dict[str, Any]) -> list[tuple]:
    """Run one statement and return its rows."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


# The policy's visibility rule written by hand (catalog.policies.resources_visible_q).
VISIBLE = (
    "r.level <= %(clearance)s AND (r.status = 'published' OR r.provider_id = %(dept)s"
    " OR (%(coord)s AND r.status IN ('submitted', 'retired')))"
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
    def run(subject: Subject):
        queryset = selectors.resources_visible_to(user=subject.user).order_by(*ORDERING)
        return _page(queryset, page)

    return run


def browse_unfiltered(page: int) -> Callable[[Subject], Any]:
    def run(subject: Subject):
        return _page(Resource.objects.filter(status="published").order_by(*ORDERING), page)

    return run


def browse_floor(page: int) -> Callable[[Subject], Any]:
    return lambda subject: _floor_page(VISIBLE, subject, page)


# --- search -----------------------------------------------------------------------------------

SEARCH_PLACEHOLDER = (
    "placeholder search: name/summary icontains, until catalog.search exists on this branch"
)


def search_function() -> tuple[Callable[..., Any], bool]:
    """Return the catalog's search function if it exists, else the placeholder (and False)."""
    try:
        module = importlib.import_module("catalog.search")
    except ImportError:
        module = None
    for name in ("resources_search", "search_resources", "resource_search"):
        function = getattr(module, name, None)
        # Only a function called like a selector (user=, query=) can be used as is.
        if callable(function) and {"user", "query"} <= set(inspect.signature(function).parameters):
            return function, True

    def placeholder(*, user: User, query: str):
        return selectors.resources_visible_to(user=user).filter(
            Q(name__icontains=query) | Q(summary__icontains=query)
        )

    return placeholder, False


def search(term: str) -> Callable[[Subject], Any]:
    function, _real = search_function()

    def run(subject: Subject):
        queryset = function(user=subject.user, query=term)
        if not queryset.query.order_by:
            queryset = queryset.order_by(*ORDERING)
        return _page(queryset, 1)

    return run


def search_unfiltered(term: str) -> Callable[[Subject], Any]:
    def run(subject: Subject):
        queryset = Resource.objects.filter(status="published").filter(
            Q(name__icontains=term) | Q(summary__icontains=term)
        )
        return _page(queryset.order_by(*ORDERING), 1)

    return run


def search_floor(term: str) -> Callable[[Subject], Any]:
    where = f"{VISIBLE} AND (r.name ILIKE %(like)s OR r.summary ILIKE %(like)s)"
    return lambda subject: _floor_page(where, subject, 1, {"like": f"%{term}%"})


# --- resource detail --------------------------------------------------------------------------


def detail(subject: Subject):
    resource = selectors.resource_get_visible(user=subject.user, pk=subject.detail_pk)
    items = selectors.resource_items_readable(user=subject.user, resource=resource)
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

GRANTS_NOTE = (
    "provisional: no grants selector on this branch; department's grants, visible resources"
)


def grants_list(subject: Subject):
    queryset = (
        Grant.objects.filter(
            department_id=subject.user.department_id,
            resource__in=selectors.resources_visible_to(user=subject.user),
        )
        .select_related("resource", "resource__provider")
        .order_by("-created_at", "-id")
    )
    total = queryset.count()
    return total, [g.pk for g in queryset[:PAGE_SIZE]]


def grants_floor(subject: Subject):
    where = f"g.department_id = %(dept)s AND {VISIBLE}"
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


# --- through HTTP, with every middleware ------------------------------------------------------


def http_get(path: str) -> Callable[[Subject], Any]:
    clients: dict[int, Client] = {}

    def run(subject: Subject):
        client = clients.get(subject.user.pk)
        if client is None:
            client = clients[subject.user.pk] = Client()
            client.force_login(subject.user)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.status_code

    return run


def _search_scenarios() -> list[Scenario]:
    _function, real = search_function()
    terms = [("1ch_common", "证"), ("1ch_rare", "鹤"), ("2ch_common", "信息"), ("2ch_rare", "古树")]
    return [
        Scenario(
            f"search_{label}({term})",
            search(term),
            # The floor matches the placeholder; a real search engine needs its own floor.
            search_floor(term) if not real else None,
            search_unfiltered(term) if not real else None,
            note="" if real else SEARCH_PLACEHOLDER,
        )
        for label, term in terms
    ]


SCENARIOS: list[Scenario] = [
    Scenario("browse_page_1", browse(1), browse_floor(1), browse_unfiltered(1)),
    Scenario("browse_page_50", browse(50), browse_floor(50), browse_unfiltered(50)),
    *_search_scenarios(),
    Scenario("resource_detail", detail, detail_floor, rows=lambda result: len(result[1])),
    Scenario("grants_list", grants_list, grants_floor, note=GRANTS_NOTE),
    Scenario("http_home", http_get("/"), note="HTTP through the test client, full middleware"),
]


# --- subjects ---------------------------------------------------------------------------------


def _grants_by_department() -> dict[int, int]:
    rows = Grant.objects.filter(status="active").values("department").annotate(n=Count("id"))
    return {row["department"]: row["n"] for row in rows}


def _readable_target(user: User) -> int:
    """Return a resource the user reads through a grant if any, else one they can see."""
    granted = (
        selectors.resources_readable_by(user=user)
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
    result = []
    for label, user in picks:
        if user is None:
            continue
        user = User.objects.select_related("department").get(pk=user.pk)
        result.append(
            Subject(label, user, grants.get(user.department_id, 0), _readable_target(user))
        )
    return result
