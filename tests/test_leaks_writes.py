"""The leak crawler, second half: API tokens, writes, and counts.

``test_leaks.py`` crawls every route with GET over a signed-in session. This module adds:

* **API tokens.** Every ``/api/v1/`` operation is crawled again with an API token of each
  matrix user (``Authorization: Token <key>``), GET and writes alike: a token must see exactly
  what its holder's session sees.
* **Writes.** Every crawled route gets POST with an empty body (API routes also PATCH and
  DELETE), for routes keyed by a resource with every invisible resource's id and an id that does
  not exist (other routes with an id: two invisible resources' ids and the missing one).
  Asserted:

  - no server error, for anybody;
  - on a route keyed by a resource, an invisible id answers exactly what a non-existent id
    answers. The access model says "what a user may not see does not exist for them: 404": a
    404 where the object does not exist must be a 404 for an invisible one, and a refusal that
    comes before the lookup (403 for a missing role, 405 for a method the route lacks, a sign-in
    redirect) is then the same for both, so it confirms nothing. A 403 or 400 given only to the
    invisible id would confirm the object exists, and fails;
  - no invisible resource's name or code in the body (error messages included);
  - nothing changed: the rows of the main tables are identical before and after, and the audit
    trail gained no event but reads and refusals. Reads (data.read, audit exports, chain checks,
    token use) and refused attempts (result "denied" / "failure") may legitimately be recorded —
    recording a refusal is what 等级保护 asks for — so they are not counted as changes.

* **Counts.** On every list page and API list, totals never exceed what the matrix lets the
  user see: a paginator's ``count`` over resources, every facet option's count, and an API list's
  ``count``. Where a page's exact scope is known, ``EXACT_TOTALS`` pins the total to the matrix.

``make test`` crawls a fixed sample of the (viewer, route) pairs in the token and write crawls,
every viewer and every route among them; ``make test-full`` (``pytest --full``) crawls them all
(tests/sampling.py). The counts check samples its list routes the same way, but every viewer
checks the catalog list, the search and the API's resource list on every run.

Routes whose ``pk`` is not a resource id (requests, grants, accounts, systems) get invisible
resource ids too; there the check is no server error, no leak and no change, since a resource's id
may well be a visible object of another kind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.paginator import Page
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken, Department, RoleAssignment, User
from audit.models import AuditEvent
from catalog.models import Category, DataItem, InformationSystem, Resource
from sharing.models import Correction, Grant, RequestLine, ShareRequest

from . import builders
from .access_matrix import AccessMatrix
from .auth import verified_login
from .sampling import CRAWL_PARTS, in_part, leak_crawled
from .test_leaks import (
    CODE_KWARGS,
    FORMAT_KWARGS,
    Crawl,
    Route,
    Viewer,
    _body,
    _check,
    _crawlable,
    _needles,
    _sample_value,
    _seed_reads,
    _viewers,
)

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

API_PREFIX = "api:"
PAGE_WRITES = ("post",)
API_WRITES = ("post", "patch", "delete")
# Invisible resource ids tried on routes whose pk is not a resource.
OTHER_ROUTE_SAMPLE = 2
# A route is keyed by a resource when its path names the resource's id after "resources/".
RESOURCE_PATH = re.compile(r"/resources/\d+(?:[/.]|$)")
# Routes keyed by a resource id whose path does not say so.
RESOURCE_KEYED_NAMES = {"catalog:resource_review"}
# Not written to by the crawler, with the reason (the GET crawl still covers them).
WRITE_SKIPPED = {
    "login": "signing in with an empty form is the sign-in page's own test (tests/accounts)",
    "set_language": "switches the session's language only; not an object",
    "accounts:otp_verify": "an empty code counts as a failed second factor and may lock the account",
}
# Routes whose pk is an account, not a resource: a resource's id there may be an account the
# administrator legitimately manages, and the action needs no body, so a change is expected.
# (Their refusals and 404s are tested in tests/accounts.)
CHANGE_EXPECTED = {
    "accounts:user_second_factor_reset": "resetting a second factor takes no parameters",
}
NONEXISTENT_ID = 987654321
# Audit actions that record a read, not a change.
READ_ACTIONS = {"data.read", "audit.export", "audit.verify", "api_token.authenticate"}
WRITE_STATUS = {200, 302, 400, 401, 403, 404, 405}
# Route -> total the page must show for a user, from the matrix (the exact scope of its list).
# The catalog browse lists, unfiltered, every resource the user may view (drafts of their own
# department included), so its total is exactly the matrix's visible set.
EXACT_TOTALS: dict[str, Callable[[AccessMatrix, Viewer], int]] = {
    "catalog:resource_list": lambda m, v: len(v.visible),
}


def _resource_keyed(route: Route) -> bool:
    if route.name in RESOURCE_KEYED_NAMES:
        return True
    sample = {k: _sample_value(k) for k in route.kwargs}
    return bool(RESOURCE_PATH.search(reverse(route.name, kwargs=sample)))


SNAPSHOT_TABLES = (
    Resource,
    DataItem,
    InformationSystem,
    Category,
    Grant,
    ShareRequest,
    RequestLine,
    Correction,
    Department,
    RoleAssignment,
)


def _rows(model: Any, columns: str = "*") -> list[tuple[Any, ...]]:
    """Return a table's rows in key order, read raw: the crawl takes thousands of snapshots."""
    table = connection.ops.quote_name(model._meta.db_table)  # a model's table, not input
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608
        return cursor.fetchall()


def _snapshot() -> dict[str, Any]:
    """Return every main table's rows, and the audit trail's change events."""
    tables: dict[str, Any] = {model._meta.label: _rows(model) for model in SNAPSHOT_TABLES}
    # Sign-in and token use stamp these; neither is a change to the object.
    tables["users"] = _rows(User, "id, is_active, clearance, department_id")
    tables["tokens"] = _rows(ApiToken, "id, revoked_at")
    tables["audit changes"] = list(
        AuditEvent.objects.filter(result=AuditEvent.Result.SUCCESS)
        .exclude(action__in=READ_ACTIONS)
        .exclude(action__startswith="login.")
        .exclude(action__startswith="otp.verify")
        .values_list("action", "object_id")
        .order_by("sequence")
    )
    return tables


def _ids(
    route: Route, matrix: AccessMatrix, viewer: Viewer, every: bool = True
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (label, kwargs): invisible resources, then an id that does not exist.

    Every invisible resource on routes keyed by a resource; on the others (where a resource's
    id means another kind of object) a sample keeps the crawl's runtime down.
    """
    invisible = sorted(set(matrix.resources) - viewer.visible)
    for key in invisible if every else invisible[:OTHER_ROUTE_SAMPLE]:
        resource = matrix.resources[key]
        values = _values(route, resource.pk, resource.code)
        if values is not None:
            yield key, values
    yield "nonexistent", _values(route, NONEXISTENT_ID, "999999/999999") or {}


def _values(route: Route, pk: int, code: str | None) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    for kwarg in route.kwargs:
        if kwarg in FORMAT_KWARGS:
            values[kwarg] = FORMAT_KWARGS[kwarg]
        elif kwarg in CODE_KWARGS:
            if not code:
                return None
            values[kwarg] = code
        else:
            values[kwarg] = pk
    return values


def _send(client: Client, method: str, url: str, api: bool) -> Any:
    if api:
        return getattr(client, method)(url, data="{}", content_type="application/json")
    return getattr(client, method)(url, data={})


def _write_crawl(
    crawl: Crawl,
    client: Client,
    viewer: Viewer,
    routes: list[Route],
    matrix: AccessMatrix,
    viewer_index: int,
) -> None:
    before = _snapshot()
    for r, route in enumerate(routes):
        if route.name in WRITE_SKIPPED or not leak_crawled(viewer_index, r):
            continue
        api = route.name.startswith(API_PREFIX)
        keyed = bool(route.kwargs) and _resource_keyed(route)
        visible = viewer.visible
        if viewer.audit_visible is not None and route.name.startswith("audit:"):
            visible = viewer.audit_visible  # the audit log's scope is the auditor's clearance
        for method in API_WRITES if api else PAGE_WRITES:
            answers: dict[str, int] = {}
            targets = list(_ids(route, matrix, viewer, keyed)) if route.kwargs else [("", {})]
            for label, kwargs in targets:
                url = reverse(route.name, kwargs=kwargs)
                where = f"{viewer.key} {method.upper()} {url} ({route.name})"
                crawl.requests += 1
                try:
                    response = _send(client, method, url, api)
                except Exception as exc:  # a server error: report it, keep crawling
                    crawl.problems.append(f"{where}: server error {type(exc).__name__}: {exc}")
                    continue
                status = response.status_code
                answers[label] = status
                if status not in WRITE_STATUS:
                    crawl.problems.append(f"{where}: status {status}")
                body = _body(response)
                for key, resource in matrix.resources.items():
                    if key not in visible and any(n in body for n in _needles(resource)):
                        crawl.problems.append(f"{where}: shows invisible resource {key}")
            if keyed:
                missing = answers.get("nonexistent")
                for label, status in answers.items():
                    if status != missing:
                        crawl.problems.append(
                            f"{viewer.key} {method.upper()} {route.name} invisible {label}: "
                            f"{status}, but {missing} for an id that does not exist"
                        )
        after = _snapshot()
        if route.name not in CHANGE_EXPECTED:
            for table, rows in before.items():
                if after[table] != rows:
                    crawl.problems.append(f"{viewer.key} writes to {route.name} changed {table}")
        before = after  # what this route left is what the next one starts from


def _token_client(user: User) -> Client | None:
    """Return a client that sends a read-write API token of ``user``, if one can be issued."""
    try:
        # Created by the holder just after a second factor, as the rule requires of privileged
        # roles (accounts.policies.token_creation_refusal).
        key = builders.api_key(user, name="crawler", days=None)
    except Exception:  # an inactive account gets no token: its session crawl covers it
        return None
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def unthrottled(settings):
    # The crawl sends thousands of requests per user; the rate limit has its own tests.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": None}}


def test_every_api_operation_is_crawled():
    routes = _crawlable()
    api = [r for r in routes if r.name.startswith(API_PREFIX)]
    skipped = {r.name: r.skip_reason for r in api if r.skip_reason}
    assert skipped == {}, skipped
    names = {r.name for r in api}
    # The detail operations (kwarg pk, from DRF routers) are substituted, not skipped.
    for name in ("api:resource-detail", "api:resource-submit", "api:grant-detail"):
        assert name in names
    assert all(_resource_keyed(r) for r in api if r.name.startswith("api:resource-") and r.kwargs)
    print("\nWrites not crawled:\n" + "\n".join(f"  {n}: {w}" for n, w in WRITE_SKIPPED.items()))


@pytest.mark.parametrize("part", range(CRAWL_PARTS))
def test_api_tokens_see_what_their_holders_see(matrix, unthrottled, part):
    _seed_reads(matrix)
    api = [r for r in _crawlable() if not r.skip_reason and r.name.startswith(API_PREFIX)]
    crawl = Crawl()
    tokens = 0
    viewers = [(v, w) for v, w in enumerate(_viewers(matrix)) if in_part(v, part)]
    holders = [w for _v, w in viewers if w.user is not None]
    for v, viewer in viewers:
        if viewer.user is None:
            continue
        client = _token_client(viewer.user)
        if client is None:
            continue
        tokens += 1
        for r, route in enumerate(api):
            if not leak_crawled(v, r):
                continue
            for label, kwargs in list(
                _ids(route, matrix, viewer, _resource_keyed(route))
            ) + _visible_ids(route, matrix, viewer):
                url = reverse(route.name, kwargs=kwargs) if route.kwargs else reverse(route.name)
                key = label if label in matrix.resources else None
                # A GET answers 404 for an invisible id only where GET exists: the detail.
                keyed = _resource_keyed(route) and route.name.endswith("-detail")
                _check(crawl, client, url, route, viewer, matrix, key, lambda k=keyed: k)
        _write_crawl(crawl, client, viewer, api, matrix, v)
    # Every holder of the part but an inactive account has a token.
    assert tokens == sum(1 for w in holders if w.user is not None and w.user.is_active)
    assert crawl.requests > 0
    assert crawl.problems == [], "\n".join(crawl.problems[:50])


def _visible_ids(
    route: Route, matrix: AccessMatrix, viewer: Viewer
) -> list[tuple[str, dict[str, Any]]]:
    if not route.kwargs:
        return [("", {})]
    out = []
    for key in sorted(viewer.visible)[:2]:
        resource = matrix.resources[key]
        values = _values(route, resource.pk, resource.code)
        if values is not None:
            out.append((f"visible {key}", values))
    return out


@pytest.mark.parametrize("part", range(CRAWL_PARTS))
def test_writes_change_nothing_and_confirm_nothing(matrix, settings, unthrottled, part):
    settings.PORTAL_TWO_FACTOR_REQUIRED = True
    routes = [r for r in _crawlable() if not r.skip_reason]
    crawl = Crawl()
    for v, viewer in enumerate(_viewers(matrix)):
        if not in_part(v, part):
            continue
        client = Client()
        if viewer.user is not None:
            verified_login(client, viewer.user)
        _write_crawl(crawl, client, viewer, routes, matrix, v)
    assert crawl.requests > 0
    assert crawl.problems == [], "\n".join(crawl.problems[:50])


def _resource_totals(context: Any) -> Iterator[tuple[str, int]]:
    """Yield (what, number) for every resource total and facet count in a page's context."""
    if context is None:
        return
    # A single template gives a Context; several give a ContextList of them.
    flat = (
        context.flatten()
        if hasattr(context, "flatten")
        else {k: context[k] for k in context.keys()}  # noqa: SIM118 (iterating yields contexts)
    )
    for name, value in flat.items():
        if (
            isinstance(value, Page)
            and getattr(value.paginator.object_list, "model", None) is Resource
        ):
            yield f"{name}.count", value.paginator.count
        if isinstance(value, list):
            for facet in value:
                for option in getattr(facet, "options", None) or ():
                    if hasattr(option, "count"):
                        yield f"{name} {getattr(facet, 'key', facet)}={option}", option.count


# The lists whose totals every viewer checks on every run; the other list routes are sampled
# like the crawls.
ALWAYS_COUNTED = {"catalog:resource_list", "catalog:search", "api:resource-list"}


@pytest.mark.parametrize("part", range(CRAWL_PARTS))
def test_no_total_counts_an_invisible_resource(matrix, unthrottled, part):
    lists = [r for r in _crawlable() if not r.skip_reason and not r.kwargs]
    checked: set[str] = set()
    problems: list[str] = []
    for v, viewer in enumerate(_viewers(matrix)):
        if viewer.user is None or not in_part(v, part):
            continue
        client = Client()
        verified_login(client, viewer.user)
        limit = len(viewer.visible)
        for r, route in enumerate(lists):
            if route.name not in ALWAYS_COUNTED and not leak_crawled(v, r):
                continue
            response = client.get(reverse(route.name))
            if response.status_code != 200:
                continue
            where = f"{viewer.key} {route.name}"
            if route.name.startswith(API_PREFIX) and "json" in response.get("Content-Type", ""):
                data = json.loads(response.content)
                if isinstance(data, dict) and "count" in data and route.name == "api:resource-list":
                    checked.add(route.name)
                    if data["count"] > limit:
                        problems.append(f"{where}: count {data['count']} > {limit} visible")
                continue
            for what, number in _resource_totals(response.context):
                checked.add(route.name)
                if number > limit:
                    problems.append(f"{where}: {what} is {number} > {limit} visible")
            if route.name in EXACT_TOTALS:
                expected = EXACT_TOTALS[route.name](matrix, viewer)
                total = response.context["page_obj"].paginator.count
                if total != expected:
                    problems.append(f"{where}: total {total}, the matrix says {expected}")
    assert {"catalog:resource_list", "catalog:search"} <= checked
    assert problems == [], "\n".join(problems[:50])
