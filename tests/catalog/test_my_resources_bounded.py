"""An editor's "my resources" reads a page of the department's resources, not the catalog.

The list is the department's own resources, plus, for the few users who hold one, the resources
delegated to them; its total is counted up to a cap. These tests pin what the list must not
hold and that its queries neither grow with the department nor with the city.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Level, Role
from catalog.selectors import resources_returned, resources_returned_count
from kernel.keyset import CappedPaginator
from tests import builders

from ..test_no_city_sized_lists import longest_in_list
from .maintenance_helpers import login

pytestmark = pytest.mark.django_db


def _listed(response) -> set[int]:
    return {resource.pk for resource in response.context["page_obj"]}


def test_an_editor_without_delegations_sees_only_the_departments_resources(client, matrix):
    editor = matrix.users["other_editor_3"]
    login(client, editor)
    response = client.get(reverse("catalog:resource_mine"))
    listed = _listed(response)
    assert listed == {
        resource.pk
        for key, resource in matrix.resources.items()
        if matrix.resource_specs[key].provider == "other"
        and matrix.expect_view("other_editor_3", key)
    }
    # Nothing of the department that delegated a resource to someone else.
    assert not listed & {
        r.pk for r in matrix.resources.values() if r.provider.name.endswith("prov部门")
    }


def test_a_delegate_sees_the_delegated_resource_and_nothing_else_of_its_department(client, matrix):
    delegate = matrix.users["cons_delegate_3"]
    login(client, delegate)
    listed = _listed(client.get(reverse("catalog:resource_mine")))
    prov = matrix.departments["prov"]
    # Delegated for CHANGE: listed. Delegated only to DECIDE, or not at all: not listed.
    assert matrix.resources["pub_cond_1"].pk in listed
    assert matrix.resources["pub_cond_2"].pk not in listed
    assert {r.pk for r in matrix.resources.values() if r.provider_id == prov.pk} & listed == {
        matrix.resources["pub_cond_1"].pk
    }


def _returned(department, level: int, coordinator):
    from catalog import services

    resource = builders.resource(department, level=level, status="submitted")
    services.resource_return(actor=coordinator, resource=resource, comment="请补充摘要")
    return resource


def test_returned_drafts_are_the_departments_and_the_delegated_ones_only(matrix):
    prov, other = matrix.departments["prov"], matrix.departments["other"]
    coordinator = matrix.users["coordinator_4"]
    own = _returned(prov, 1, coordinator)
    theirs = _returned(other, 1, coordinator)
    high = _returned(prov, 4, coordinator)
    editor = matrix.users["prov_editor_2"]
    returned = set(resources_returned(user=editor).values_list("pk", flat=True))
    assert own.pk in returned and theirs.pk not in returned
    assert high.pk not in returned  # above the editor's clearance
    assert resources_returned_count(user=editor) == len(returned)
    # A delegate (no editor role) gets no returned draft of the delegating department.
    assert resources_returned_count(user=matrix.users["cons_delegate_3"]) == 0
    assert set(
        resources_returned(user=matrix.users["other_editor_3"]).values_list("pk", flat=True)
    ) == {theirs.pk}


def test_the_total_stops_at_the_cap_and_says_more_than(client, matrix, monkeypatch):
    monkeypatch.setattr(CappedPaginator.__init__, "__kwdefaults__", {"cap": 3})
    department = builders.department("资源大局")
    editor = builders.user(department, clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR))
    for n in range(5):
        builders.resource(department, name=f"大局资源{n}", status="draft")
    login(client, editor)
    response = client.get(reverse("catalog:resource_mine"))
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.capped) == (3, True)
    assert len(response.context["page_obj"]) == 3


def test_the_list_costs_the_same_queries_when_the_department_and_the_city_grow(client, matrix):
    department = builders.department("资源增长局")
    editor = builders.user(department, clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR))
    builders.resource(department, name="增长0", status="draft")
    login(client, editor)
    url = reverse("catalog:resource_mine")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(url).context["page_obj"]) == 1
    for n in range(30):
        builders.resource(department, name=f"增长{n + 1}", status="draft")
        builders.resource(matrix.departments["other"], name=f"别处{n}", status="draft")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 31
    assert len(large.captured_queries) == len(small.captured_queries)
    assert longest_in_list(large.captured_queries) == longest_in_list(small.captured_queries)


def test_the_navigation_counts_returned_drafts_and_the_review_queue_only_as_far_as_its_badge(
    matrix,
):
    from catalog.selectors import resources_review_count

    coordinator = matrix.users["coordinator_4"]
    drafts = [_returned(matrix.departments["prov"], 1, coordinator) for _n in range(3)]
    editor = matrix.users["prov_editor_4"]
    assert resources_returned_count(user=editor) >= len(drafts)
    assert resources_returned_count(user=editor, limit=2) == 2
    for _n in range(3):
        builders.resource(matrix.departments["other"], level=1, status="submitted")
    assert resources_review_count(user=coordinator) >= 3
    assert resources_review_count(user=coordinator, limit=2) == 2
    # Nobody else has a review queue, limited or not.
    assert resources_review_count(user=editor, limit=2) == 0
