"""The quality profile runs on activation; the resource page shows it by role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from datasets import services
from datasets.models import VersionQuality
from datasets.selectors import resource_quality_for

from .conftest import MATRIX_HEADER, citizen_id, csv_file

pytestmark = pytest.mark.django_db

ROWS = [["B001", "甲", citizen_id(1)], ["B002", "甲", citizen_id(2)], ["B003", "", citizen_id(3)]]


@pytest.fixture
def profiled(matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["pub_cond_3"]
    with django_capture_on_commit_callbacks(execute=True):
        version = services.dataset_upload(
            actor=matrix.users["prov_editor_4"],
            resource=resource,
            file=csv_file([MATRIX_HEADER, *ROWS]),
        )
    return matrix, resource, version


def test_activation_queues_the_profile_and_the_worker_stores_it(profiled):
    _matrix, _resource, version = profiled
    stored = VersionQuality.objects.get(version=version)
    assert stored.row_count == 3
    assert [i["completeness"] for i in stored.items] == [1.0, 0.6667, 1.0]


def test_activation_itself_does_not_profile(matrix, django_capture_on_commit_callbacks):
    # Until the transaction commits and the worker runs, there is no profile: the upload does
    # not wait for it.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = services.dataset_upload(
            actor=matrix.users["prov_editor_4"],
            resource=matrix.resources["pub_cond_3"],
            file=csv_file([MATRIX_HEADER, *ROWS]),
        )
    assert not VersionQuality.objects.filter(version=version).exists()
    for callback in callbacks:
        callback()
    assert VersionQuality.objects.filter(version=version).exists()


def _page(client, user, resource) -> str:
    client.force_login(user)
    response = client.get(reverse("catalog:resource_detail", args=[resource.pk]))
    assert response.status_code in (200, 404)
    return response.content.decode() if response.status_code == 200 else ""


def test_owner_sees_details(client, profiled):
    matrix, resource, _version = profiled
    html = _page(client, matrix.users["prov_staff_4"], resource)
    assert 'data-quality="details"' in html
    assert 'class="table table-sm portal-table quality-items"' in html
    assert "甲 (2)" in html  # the repeated, not personal value
    assert "66.7%" in html
    # The ID numbers are personal: never listed, not even to their provider.
    assert citizen_id(1) not in html.split('id="quality"')[1].split("</section>")[0]


def test_consumer_sees_the_summary_only(client, profiled):
    matrix, resource, _version = profiled
    html = _page(client, matrix.users["cons_staff_3"], resource)
    assert 'data-quality="summary"' in html
    assert "data-score" in html and "data-completeness" in html and "data-fresh" in html
    assert "data-profiled=" in html  # when the figures were computed
    assert "quality-items" not in html and "甲 (2)" not in html


@pytest.mark.parametrize(
    "user_key",
    [
        "prov_staff_2",  # the provider's own, below the resource's level
        "cons_staff_1",  # a grant holder's user below the level
        "other_staff_3",  # sees the entry, holds no grant
        "nodept_4",
    ],
)
def test_others_see_nothing(client, profiled, user_key):
    matrix, resource, _version = profiled
    html = _page(client, matrix.users[user_key], resource)
    assert 'id="quality"' not in html
    assert resource_quality_for(user=matrix.users[user_key], resource=resource) is None


def test_an_entry_one_cannot_see_shows_no_quality(matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["provider_cond_2"]  # scope: the provider only
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_upload(
            actor=matrix.users["prov_editor_4"],
            resource=resource,
            file=csv_file([MATRIX_HEADER, *ROWS]),
        )
    # cons holds a grant on it, but a grant never widens the catalog scope.
    assert resource_quality_for(user=matrix.users["cons_staff_3"], resource=resource) is None
    assert resource_quality_for(user=matrix.users["prov_staff_2"], resource=resource) is not None


def test_quality_read_in_fixed_queries(profiled, django_assert_num_queries):
    matrix, resource, _version = profiled
    with django_assert_num_queries(1):  # the provider's own: the active profile only
        assert resource_quality_for(user=matrix.users["prov_staff_4"], resource=resource)
    with django_assert_num_queries(2):  # a consumer: the grant in force, then the profile
        assert resource_quality_for(user=matrix.users["cons_staff_3"], resource=resource)


def _api(client, user, resource):
    client.force_login(user)
    return client.get(f"/api/v1/resources/{resource.pk}/quality/")


def test_api_details_summary_and_refusals(client, profiled):
    matrix, resource, version = profiled
    owner = _api(client, matrix.users["prov_staff_4"], resource).json()
    assert (owner["view"], owner["version"], owner["row_count"]) == ("details", version.number, 3)
    assert [i["name"] for i in owner["items"]] == ["编号", "名称", "敏感项"]
    assert owner["items"][1]["top"] == [["甲", 2]]

    consumer = _api(client, matrix.users["cons_staff_3"], resource).json()
    assert consumer["view"] == "summary" and consumer["score"] == owner["score"]
    assert consumer["items"] == [] and consumer["row_count"] is None

    assert _api(client, matrix.users["other_staff_3"], resource).status_code == 403
    assert _api(client, matrix.users["cons_staff_1"], resource).status_code == 403
    hidden = matrix.resources["provider_cond_2"]
    assert _api(client, matrix.users["cons_staff_3"], hidden).status_code == 404
    unprofiled = matrix.resources["pub_unc_1"]
    response = _api(client, matrix.users["prov_staff_4"], unprofiled)
    assert response.status_code == 404


def test_api_asks_for_the_grant_once(client, profiled):
    """The permission and the figures share one decision on whether the consumer reads."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    matrix, resource, _version = profiled
    client.force_login(matrix.users["cons_staff_3"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/resources/{resource.pk}/quality/")
    assert response.status_code == 200
    grant_reads = [q["sql"] for q in queries if 'FROM "sharing_grant"' in q["sql"]]
    assert len(grant_reads) == 1, grant_reads
