"""The leak crawler: every URL pattern, as every access-matrix user, with ids they may and may not see.

It walks the URL resolver, so pages and API operations added later are crawled without changing
this file. For each (user, pattern, ids) it requests the page with GET and asserts:

* no server error, for anybody;
* anonymous visitors get no page but the public ones (sign-in, health check);
* no invisible resource's name or code appears in any response body (HTML, JSON or CSV);
* on a page keyed by a resource (one that shows the resource's name when given a visible id),
  an invisible id answers 404: what a user may not see does not exist for them.

``make test`` crawls a fixed sample of the (viewer, route) pairs, every viewer and every route
among them; ``make test-full`` (``pytest --full``) crawls them all (tests/sampling.py).

Kwargs are filled from ``KWARG_VALUES``; a pattern with any other kwarg is skipped and listed
with its reason by ``test_every_pattern_is_crawled_or_skipped_with_a_reason``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role, User
from audit.services import record
from catalog.models import Resource

from . import builders
from .access_matrix import AccessMatrix
from .auth import verified_login
from .sampling import CRAWL_PARTS, in_part, leak_crawled

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

# Namespaces and names not crawled, with the reason.
SKIPPED_NAMESPACES = {
    "admin": "Django's admin site is for break-glass use by a superuser only (docs/security.md)",
}
SKIPPED_NAMES = {
    "logout": "signing out would end the crawling session (POST only; GET answers 405)",
}
# Pages an anonymous visitor may see.
# The API contract (schema and its viewers) describes operations, never data; integrators
# read it before they hold a token.
ANONYMOUS_PAGES = {"login", "healthz", "api:schema", "api:docs", "api:redoc"}
# Kwarg name -> how to get the values to try for one user: resource keys of the matrix.
# ("delivery": a webhook delivery under its subscription, tried with the same ids.)
RESOURCE_KWARGS = {"pk", "resource_pk", "resource_id", "id", "delivery"}
CODE_KWARGS = {"code", "resource_code"}
# Kwargs that name a representation or a public, non-resource object (a calendar year), or an
# interface's name under a resource's code (the code is what is tried): one value is enough.
FORMAT_KWARGS = {"format": "csv", "fmt": "csv", "year": 2026, "interface_name": "query"}
ALLOWED_STATUS = {200, 301, 302, 400, 401, 403, 404, 405}
# Visible ids tried per pattern and user (every invisible id is always tried).
VISIBLE_SAMPLE = 3


@dataclass
class Route:
    name: str
    kwargs: tuple[str, ...]
    skip_reason: str = ""


@dataclass
class Crawl:
    requests: int = 0
    problems: list[str] = field(default_factory=list)


def _routes(
    resolver: URLResolver | None = None, namespace: str = "", inherited: tuple[str, ...] = ()
) -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        kwargs = inherited + _kwarg_names(entry)
        if isinstance(entry, URLResolver):
            child = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in SKIPPED_NAMESPACES:
                yield Route(f"{child}*", kwargs, SKIPPED_NAMESPACES[entry.namespace])
                continue
            yield from _routes(entry, child, kwargs)
        elif isinstance(entry, URLPattern):
            if not entry.name:
                yield Route(
                    f"{namespace}<unnamed {entry.pattern}>",
                    kwargs,
                    "unnamed pattern: cannot reverse",
                )
                continue
            name = f"{namespace}{entry.name}"
            reason = SKIPPED_NAMES.get(name, "")
            unknown = [
                k for k in kwargs if k not in RESOURCE_KWARGS | CODE_KWARGS | set(FORMAT_KWARGS)
            ]
            if unknown and not reason:
                reason = f"unknown kwargs {unknown}: no matrix ids to substitute"
            if not reason and not _takes_resource_ids(name, kwargs):
                reason = "its parameters are not resource ids or codes (e.g. a category code)"
            yield Route(name, kwargs, reason)


def _takes_resource_ids(name: str, kwargs: tuple[str, ...]) -> bool:
    """Return whether the pattern accepts a resource id / national resource code."""
    sample = {k: _sample_value(k) for k in kwargs}
    try:
        reverse(name, kwargs=sample)
    except NoReverseMatch:
        return False
    return True


def _sample_value(kwarg: str) -> Any:
    if kwarg in FORMAT_KWARGS:
        return FORMAT_KWARGS[kwarg]
    return "101001/000001" if kwarg in CODE_KWARGS else 1


def _kwarg_names(entry: URLPattern | URLResolver) -> tuple[str, ...]:
    pattern = entry.pattern
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def _crawlable() -> list[Route]:
    # Deduplicate: DRF's format-suffix patterns share names with their plain twins.
    seen: dict[tuple[str, tuple[str, ...]], Route] = {}
    for route in _routes():
        seen.setdefault((route.name, route.kwargs), route)
    return list(seen.values())


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def _needles(resource: Resource) -> list[str]:
    needles = [resource.name]
    if resource.code:
        needles.append(resource.code)
    # JSON renderers may escape non-ASCII text.
    needles += [json.dumps(n)[1:-1] for n in list(needles) if json.dumps(n)[1:-1] != n]
    return needles


@dataclass
class Viewer:
    key: str
    user: User | None
    visible: set[str]
    # For audit administrators on audit pages: the audit log's scope is their clearance.
    audit_visible: set[str] | None = None


def _viewers(matrix: AccessMatrix) -> list[Viewer]:
    viewers = [Viewer("anonymous", None, set())]
    for key, user in matrix.users.items():
        audit_visible = None
        if Role.AUDIT_ADMIN in matrix.user_specs[key].roles:
            audit_visible = {
                r for r, spec in matrix.resource_specs.items() if spec.level <= user.clearance
            }
        viewers.append(Viewer(key, user, matrix.visible_keys(key), audit_visible))
    coord = matrix.departments["coord"]
    for key, role in (
        ("system_admin_4", Role.SYSTEM_ADMIN),
        ("security_admin_4", Role.SECURITY_ADMIN),
    ):
        user = builders.user(coord, clearance=4, roles=(role,), username=key)
        # Cleared for L4, in the data bureau without its coordinator role: every published
        # entry but those limited to their provider.
        published = {
            r
            for r, spec in matrix.resource_specs.items()
            if spec.status == "published" and spec.scope != "provider"
        }
        viewers.append(Viewer(key, user, published))
    return viewers


def _seed_reads(matrix: AccessMatrix) -> None:
    """Give the provider and audit pages something to show: reads of every resource."""
    reader = matrix.users["cons_staff_4"]
    for resource in matrix.resources.values():
        record(
            actor=reader,
            action="data.read",
            obj=resource,
            details={"provider": resource.provider_id, "items": ["编号"], "rows": 1, "grant": None},
        )


def _urls_for(
    route: Route, matrix: AccessMatrix, viewer: Viewer
) -> Iterator[tuple[str, str | None]]:
    """Yield (url, resource key or None) to request for this route and viewer."""
    if not route.kwargs:
        yield reverse(route.name), None
        yield (
            reverse(route.name) + "?q=%E7%9F%A9%E9%98%B5%E8%B5%84%E6%BA%90&page=1",
            None,
        )  # q=矩阵资源
        return
    visible = sorted(viewer.visible)[:VISIBLE_SAMPLE]
    invisible = sorted(set(matrix.resources) - viewer.visible)
    for key in visible + invisible:
        resource = matrix.resources[key]
        values: dict[str, Any] = {}
        for kwarg in route.kwargs:
            if kwarg in FORMAT_KWARGS:
                values[kwarg] = FORMAT_KWARGS[kwarg]
            elif kwarg in CODE_KWARGS:
                if not resource.code:
                    break
                values[kwarg] = resource.code
            else:
                values[kwarg] = resource.pk
        else:
            yield reverse(route.name, kwargs=values), key


def _check(
    crawl: Crawl,
    client: Client,
    url: str,
    route: Route,
    viewer: Viewer,
    matrix: AccessMatrix,
    resource_key: str | None,
    resource_keyed: Callable[[], bool],
) -> None:
    crawl.requests += 1
    where = f"{viewer.key} GET {url} ({route.name})"
    try:
        response = client.get(url)
    except Exception as exc:  # a server error: report it with the URL, keep crawling
        crawl.problems.append(f"{where}: server error {type(exc).__name__}: {exc}")
        return
    if response.status_code not in ALLOWED_STATUS:
        crawl.problems.append(f"{where}: status {response.status_code}")
        return
    if viewer.user is None and response.status_code == 200 and route.name not in ANONYMOUS_PAGES:
        crawl.problems.append(f"{where}: an anonymous visitor got the page")
    visible = viewer.visible
    if viewer.audit_visible is not None and route.name.startswith("audit:"):
        visible = viewer.audit_visible
    body = _body(response)
    for key, resource in matrix.resources.items():
        if key in visible:
            continue
        for needle in _needles(resource):
            if needle in body:
                crawl.problems.append(f"{where}: shows invisible resource {key} ({needle})")
    if (
        resource_key is not None
        and resource_key not in viewer.visible
        and response.status_code != 404
        and resource_keyed()
    ):
        crawl.problems.append(
            f"{where}: invisible resource {resource_key} answered {response.status_code}, not 404"
        )


def _is_resource_keyed(client: Client, route: Route, matrix: AccessMatrix, viewer: Viewer) -> bool:
    """Return whether the page, given a visible resource's id, shows that resource's name."""
    for key in sorted(viewer.visible)[:1]:
        resource = matrix.resources[key]
        kwargs = {
            k: FORMAT_KWARGS.get(k, resource.code if k in CODE_KWARGS else resource.pk)
            for k in route.kwargs
        }
        if any(v in (None, "") for v in kwargs.values()):
            return False
        response = client.get(reverse(route.name, kwargs=kwargs))
        return response.status_code == 200 and resource.name in _body(response)
    return False


@pytest.mark.parametrize("part", range(CRAWL_PARTS))
def test_no_page_leaks_an_invisible_resource(matrix, settings, part):
    settings.PORTAL_TWO_FACTOR_REQUIRED = True
    _seed_reads(matrix)
    routes = [r for r in _crawlable() if not r.skip_reason]
    crawl = Crawl()
    for v, viewer in enumerate(_viewers(matrix)):
        if not in_part(v, part):
            continue
        client = Client()
        if viewer.user is not None:
            verified_login(client, viewer.user)
        for r, route in enumerate(routes):
            if not leak_crawled(v, r):
                continue
            keyed: dict[str, bool] = {}

            def resource_keyed(
                route: Route = route,
                keyed: dict[str, bool] = keyed,
                client: Client = client,
                viewer: Viewer = viewer,
            ) -> bool:
                if "value" not in keyed:
                    keyed["value"] = _is_resource_keyed(client, route, matrix, viewer)
                return keyed["value"]

            for url, resource_key in _urls_for(route, matrix, viewer):
                _check(crawl, client, url, route, viewer, matrix, resource_key, resource_keyed)
    assert crawl.requests > 0
    assert crawl.problems == [], "\n".join(crawl.problems[:50])


def test_every_pattern_is_crawled_or_skipped_with_a_reason():
    routes = _crawlable()
    crawled = [r.name for r in routes if not r.skip_reason]
    skipped = {r.name: r.skip_reason for r in routes if r.skip_reason}
    # The pages this suite is known to have must be among the crawled ones.
    for name in ("home", "login", "audit:event_list", "audit:data_reads", "accounts:user_detail"):
        assert name in crawled
    assert all(skipped.values())
    print(
        "\nLeak crawler skips:\n" + "\n".join(f"  {n}: {why}" for n, why in sorted(skipped.items()))
    )


def test_the_crawler_catches_a_leak(matrix, monkeypatch):
    """The crawler is not vacuous: a page that prints every resource's name is caught."""
    viewer = next(v for v in _viewers(matrix) if v.key == "cons_staff_1")
    client = Client()
    verified_login(client, viewer.user)
    names = " ".join(r.name for r in Resource.objects.all())

    class Leaky:
        status_code = 200
        streaming = False
        content = names.encode()

    monkeypatch.setattr(Client, "get", lambda self, url, *a, **k: Leaky())
    crawl = Crawl()
    _check(crawl, client, "/x", Route("home", ()), viewer, matrix, None, lambda: False)
    # The entries limited to cleared users or to their provider are what it must catch; an
    # entry above the viewer's clearance in the default scope is no leak.
    for key in ("cleared_unc_2", "cleared_cond_3", "provider_cond_2", "other_provider_3"):
        assert any(f"resource {key} " in problem for problem in crawl.problems), key
    assert not any("resource pub_cond_4 " in problem for problem in crawl.problems)


def test_the_crawler_tries_the_limited_entries_on_those_they_are_hidden_from(matrix):
    """Every viewer outside an entry's scope is crawled with its id and searched for its name."""
    viewers = {v.key: v for v in _viewers(matrix)}
    for viewer_key, hidden in (
        ("cons_staff_1", {"cleared_cond_3", "cleared_unc_2", "provider_cond_2"}),
        ("cons_staff_4", {"provider_cond_2", "provider_unc_4", "other_provider_3"}),
        ("other_staff_3", {"provider_cond_2", "provider_unc_4"}),
        ("auditor_2", {"cleared_cond_3", "other_provider_3"}),
        ("security_admin_4", {"provider_unc_4", "other_provider_3"}),
    ):
        assert not hidden & viewers[viewer_key].visible, viewer_key
    assert {"provider_cond_2", "cleared_cond_3"} <= viewers["prov_staff_1"].visible
