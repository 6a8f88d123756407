"""A system's page lists the resources it provides a page at a time, only those the viewer sees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Level, Role
from catalog import policies
from catalog.models import Resource
from catalog.views import systems as system_views

from .. import builders
from .maintenance_helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(system_views, "RESOURCE_PAGE_SIZE", 3)


@pytest.fixture
def provider():
    return builders.department("供给局")


@pytest.fixture
def system(provider):
    return builders.system(provider, "供给业务系统")


def _url(system, page=None) -> str:
    url = reverse("catalog:system_detail", args=[system.pk])
    return f"{url}?page={page}" if page else url


def _listed(client, system, page=None) -> tuple[list[Resource], int]:
    response = client.get(_url(system, page))
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    return list(page_obj), page_obj.paginator.count


def _in_order(resources) -> list[int]:
    """Return the pks in the page's order: code, name, pk; drafts (no code yet) come last on
    PostgreSQL and first on SQLite, which sort NULL so."""
    nulls_last = connection.vendor == "postgresql"
    return [
        r.pk
        for r in sorted(
            resources, key=lambda r: ((r.code is None) == nulls_last, r.code or "", r.name, r.pk)
        )
    ]


def test_the_page_shows_the_first_and_the_second_page_in_code_order(
    client, small_pages, provider, system
):
    made = [builders.resource(provider, source_system=system) for _ in range(5)]
    builders.resource(provider)  # another system's, or none: not listed
    editor = builders.user(provider, clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR))
    login(client, editor)
    expected = _in_order(Resource.objects.filter(pk__in=[r.pk for r in made]))
    first, count = _listed(client, system)
    assert count == 5
    assert [r.pk for r in first] == expected[:3]
    second, _count = _listed(client, system, 2)
    assert [r.pk for r in second] == expected[3:]
    page = client.get(_url(system, 2)).content.decode()
    assert "4–5" in page and "5" in page
    assert f"{_url(system)}?page=1" in page or "?page=1" in page
    # A page past the end shows the last one, a page that is not a number the first.
    assert [r.pk for r in _listed(client, system, 9)[0]] == expected[3:]
    assert [r.pk for r in _listed(client, system, "x")[0]] == expected[:3]


def test_only_what_the_viewer_may_see_is_listed_and_counted(client, small_pages, provider, system):
    by_level = {
        level: builders.resource(
            provider, level=level, catalog_scope="cleared", source_system=system
        )
        for level in (Level.L1, Level.L2, Level.L3, Level.L4)
    }
    hidden = builders.resource(
        provider, level=Level.L4, catalog_scope="provider", source_system=system
    )
    draft = builders.resource(provider, status="draft", source_system=system)
    other, coord = builders.department("其他局"), builders.department("数据局")
    viewers = {
        "another department, L1": (builders.user(other, clearance=Level.L1), [1]),
        "another department, L3": (builders.user(other, clearance=Level.L3), [1, 2, 3]),
        "the provider, L1": (builders.user(provider, clearance=Level.L1), [1, 2, 3, 4]),
        "the coordinator, L2": (
            builders.user(coord, clearance=Level.L2, roles=(Role.STAFF, Role.COORDINATOR)),
            [1, 2],
        ),
        "the coordinator, L4": (
            builders.user(coord, clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR)),
            [1, 2, 3, 4],
        ),
    }
    for label, (viewer, levels) in viewers.items():
        expected = [by_level[level] for level in levels]
        if viewer.department_id == provider.pk:
            expected += [hidden, draft]  # its own department's entries, whatever their scope
        elif viewer.has_role(Role.COORDINATOR) and viewer.clearance >= Level.L4:
            expected.append(hidden)
        # The same answer as the policy's own predicate, resource by resource.
        assert {r.pk for r in expected} == {
            r.pk
            for r in Resource.objects.filter(source_system=system)
            if policies.can_view_resource(viewer, r)
        }, label
        login(client, viewer)
        first, count = _listed(client, system)
        shown = [r.pk for r in first]
        if count > 3:
            shown += [r.pk for r in _listed(client, system, 2)[0]]
        assert count == len(expected), label
        assert shown == _in_order(expected), label
        page = client.get(_url(system)).content.decode()
        for resource in {*by_level.values(), hidden, draft} - set(expected):
            assert resource.name not in page, (label, resource.level)


def test_the_queries_do_not_grow_with_the_resources(client, provider, system):
    for _ in range(3):
        builders.resource(provider, source_system=system)
    login(client, builders.user(provider, clearance=Level.L4))
    client.get(_url(system))  # warm up
    with CaptureQueriesContext(connection) as few:
        client.get(_url(system))
    for _ in range(8):
        builders.resource(provider, source_system=system)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(system))
    assert response.context["page_obj"].paginator.count == 11
    assert len(many.captured_queries) == len(few.captured_queries)
