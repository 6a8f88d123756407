""" "Who read our data" reads a page of the department's reads, whatever the department's size.

The page finds a department's reads by the provider each read records and checks each row
against the catalog's visibility rule; these tests pin what it must not show and that its
query count does not grow with the department's resources or reads.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Level, Role
from audit.services import record
from datasets import services as data_services

from .. import builders
from ..datasets.conftest import citizen_id
from ..test_no_city_sized_lists import longest_in_list

pytestmark = pytest.mark.django_db


def _read(reader, resource, *, provider=None, action="data.read"):
    return record(
        actor=reader,
        action=action,
        obj=resource,
        details={
            "provider": resource.provider_id if provider is None else provider,
            "items": ["编号"],
            "rows": 1,
            "grant": None,
        },
    )


def _objects(response) -> set[str]:
    return {event.object_id for event in response.context["page"]}


def test_a_read_recorded_for_the_department_shows_only_if_its_resource_is_the_departments(
    client, matrix
):
    reader = matrix.users["cons_staff_4"]
    own = matrix.resources["pub_cond_2"]
    theirs = matrix.resources["other_cond_2"]
    _read(reader, own)
    # A read whose details name this department but whose resource is another's: the
    # resource decides, as before (the recorded provider only narrows where to look).
    _read(reader, theirs, provider=own.provider_id)
    # A read of this department's resource recorded without the department (or for another).
    _read(reader, own, provider=theirs.provider_id)
    # Not a data read: never listed.
    _read(reader, own, action="data.upload")
    client.force_login(matrix.users["prov_approver_4"])
    response = client.get(reverse("audit:data_reads"))
    assert _objects(response) == {str(own.pk)}
    assert response.context["page"].total == 1
    assert "other_cond_2" not in response.content.decode()


def test_other_departments_approvers_see_none_of_the_reads(client, matrix):
    reader = matrix.users["cons_staff_4"]
    for key in ("pub_cond_2", "pub_cond_4", "pub_unc_1"):
        _read(reader, matrix.resources[key])
    for user_key in ("cons_approver_4",):
        client.force_login(matrix.users[user_key])
        response = client.get(reverse("audit:data_reads"))
        assert response.context["page"].total == 0 and _objects(response) == set()
    other_admin = builders.user(
        matrix.departments["other"], clearance=Level.L3, roles=(Role.DEPARTMENT_ADMIN,)
    )
    client.force_login(other_admin)
    assert client.get(reverse("audit:data_reads")).context["page"].total == 0


def test_the_page_costs_the_same_queries_when_the_department_grows(client, matrix):
    provider = matrix.departments["prov"]
    reader = matrix.users["cons_staff_4"]
    approver = matrix.users["prov_approver_4"]
    first = builders.resource(provider, name="读取甲")
    _read(reader, first)
    client.force_login(approver)
    client.get(reverse("audit:data_reads"))
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("audit:data_reads"))
    assert response.context["page"].total == 1
    more = [builders.resource(provider, name=f"读取{i}") for i in range(8)]
    for resource in more:
        for _n in range(8):
            _read(reader, resource)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("audit:data_reads"))
    assert response.context["page"].total == 65
    assert len(large.captured_queries) == len(small.captured_queries)
    # No list of the department's resources or reads travels in a query.
    assert longest_in_list(large.captured_queries) == longest_in_list(small.captured_queries)


def test_the_department_filter_is_typed_and_lists_no_department(client, matrix):
    reader = matrix.users["cons_staff_4"]
    _read(reader, matrix.resources["pub_cond_2"])
    _read(matrix.users["other_staff_3"], matrix.resources["pub_unc_1"])
    client.force_login(matrix.users["prov_approver_4"])
    response = client.get(reverse("audit:data_reads"))
    text = response.content.decode()
    assert '<select name="department"' not in text
    assert matrix.departments["coord"].name not in text  # no department is listed
    cons = matrix.departments["cons"]
    for typed in (cons.uscc, str(cons.pk), f"  {cons.name} ", cons.name):
        response = client.get(reverse("audit:data_reads"), {"department": typed})
        assert response.context["form"].is_valid(), typed
        assert {e.department_id for e in response.context["page"]} == {cons.pk}, typed
    # The typed name stays in the form when the page is searched again.
    assert f'value="{cons.name}"' in response.content.decode()
    response = client.get(reverse("audit:data_reads"), {"department": "不存在的部门"})
    assert "没有名称或统一社会信用代码与此相符的部门" in response.content.decode()


def _rows(resource, editor) -> None:
    data_services.dataset_push(
        actor=editor,
        resource=resource,
        rows=[
            {"编号": f"B{n:03d}", "名称": f"名称{n}", "敏感项": citizen_id(n)} for n in range(1, 4)
        ],
        mode="append",
        batch_id=f"rows-{resource.pk}",
    )


def test_a_download_by_a_grant_holder_is_listed_for_the_provider_alone(client, matrix):
    """A file download is recorded as ``data.download``; the providers' page lists it."""
    prov, other = matrix.departments["prov"], matrix.departments["other"]
    ours, theirs = matrix.resources["pub_cond_3"], matrix.resources["other_cond_2"]
    _rows(ours, matrix.users["prov_editor_4"])
    _rows(theirs, matrix.users["other_editor_3"])
    # cons holds a grant for prov's resource, prov one for other's: each downloads a file.
    downloads = (
        (matrix.users["cons_staff_3"], ours),
        (matrix.users["prov_staff_4"], theirs),
    )
    for reader, resource in downloads:
        client.force_login(reader)
        url = reverse("datasets:data_download", args=[resource.pk, "csv"])
        response = client.get(url)
        assert response.status_code == 200
        assert "名称1" in b"".join(response.streaming_content).decode("utf-8-sig")
    other_approver = builders.user(
        other, clearance=Level.L3, roles=(Role.STAFF, Role.APPROVER), username="other_ap"
    )
    pages = {}
    for key, approver in (
        ("prov", matrix.users["prov_approver_4"]),
        ("other", other_approver),
        ("cons", matrix.users["cons_approver_4"]),
    ):
        client.force_login(approver)
        pages[key] = client.get(reverse("audit:data_reads")).context["page"]
    [ours_read] = pages["prov"]
    assert (ours_read.action, ours_read.object_id) == ("data.download", str(ours.pk))
    assert ours_read.actor_id == matrix.users["cons_staff_3"].pk
    assert ours_read.details["provider"] == prov.pk and ours_read.details["rows"] == 3
    [theirs_read] = pages["other"]
    assert (theirs_read.action, theirs_read.object_id) == ("data.download", str(theirs.pk))
    assert theirs_read.actor_id == matrix.users["prov_staff_4"].pk
    # The reading department sees its own download on no page of its own.
    assert list(pages["cons"]) == []
