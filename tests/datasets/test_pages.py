"""The upload page and the import job page, against the access matrix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from datasets.models import DatasetRow, ImportJob

from .conftest import MATRIX_HEADER, csv_file, matrix_rows

pytestmark = pytest.mark.django_db


def test_upload_page_only_for_those_who_may_change(client, matrix):
    for user_key, resource_key in matrix.cases():
        user = matrix.users[user_key]
        if not user.is_active:
            continue
        client.force_login(user)
        url = reverse("datasets:data_upload", args=[matrix.resources[resource_key].pk])
        if matrix.expect_change(user_key, resource_key):
            expected = 200
        else:  # seen but not changeable: told why; unseen: does not exist
            expected = 403 if matrix.expect_view(user_key, resource_key) else 404
        assert client.get(url).status_code == expected, f"{user_key} {resource_key}"


def test_upload_runs_a_job_and_shows_its_result(client, matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["pub_cond_3"]
    client.force_login(matrix.users["prov_editor_4"])
    url = reverse("datasets:data_upload", args=[resource.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"file": csv_file([MATRIX_HEADER, *matrix_rows(5)]), "mode": "replace"}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("datasets:data_job", args=[job.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert job.file_name.encode() in page.content
    assert "成功".encode() in page.content
    assert DatasetRow.objects.count() == 5
    # Nobody outside the resource's stewards learns that the job exists.
    for user_key in ("cons_staff_4", "prov_staff_4", "other_editor_3", "prov_editor_2"):
        client.force_login(matrix.users[user_key])
        assert client.get(response.url).status_code == 404, user_key


def test_a_bad_file_shows_row_column_and_reason(client, matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["pub_cond_3"]
    client.force_login(matrix.users["prov_editor_4"])
    rows = matrix_rows(3)
    rows[1][2] = "110105194912310021"  # wrong check digit
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("datasets:data_upload", args=[resource.pk]),
            {"file": csv_file([MATRIX_HEADER, *rows]), "mode": "replace"},
        )
    text = client.get(response.url).content.decode()
    assert "110105194912310021" in text and "敏感项" in text and "<td>3</td>" in text
    assert not DatasetRow.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_form(client, matrix, settings):
    settings.PORTAL_DATA_UPLOAD_MAX_BYTES = 10
    resource = matrix.resources["pub_cond_3"]
    client.force_login(matrix.users["prov_editor_4"])
    response = client.post(
        reverse("datasets:data_upload", args=[resource.pk]),
        {"file": csv_file([MATRIX_HEADER, *matrix_rows(3)]), "mode": "replace"},
    )
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_downloads_follow_the_matrix(client, matrix_data):
    m = matrix_data
    for user_key in ("prov_staff_4", "cons_staff_3", "cons_staff_1", "other_staff_3", "nodept_4"):
        client.force_login(m.users[user_key])
        for resource_key, resource in m.resources.items():
            response = client.get(reverse("datasets:data_download", args=[resource.pk, "csv"]))
            expected = 200 if m.expect_read(user_key, resource_key) else 404
            assert response.status_code == expected, f"{user_key} {resource_key}"
            if expected == 200:
                text = b"".join(response.streaming_content).decode("utf-8-sig")
                own = m.resource_specs[resource_key].provider == m.user_specs[user_key].department
                sensitive = "敏感项" in text.splitlines()[0]
                assert ("********" in text) == (sensitive and not own), f"{user_key} {resource_key}"


def test_an_unknown_download_format_is_refused(client, matrix_data):
    client.force_login(matrix_data.users["prov_staff_4"])
    url = reverse("datasets:data_download", args=[matrix_data.resources["pub_cond_1"].pk, "pdf"])
    assert client.get(url).status_code == 400


def test_only_the_provider_sees_who_read_its_data(
    client, matrix_data, django_assert_max_num_queries
):
    m = matrix_data
    resource = m.resources["pub_cond_3"]
    url = reverse("datasets:data_reads", args=[resource.pk])
    client.force_login(m.users["cons_staff_3"])
    assert client.get(url).status_code == 404
    for _n in range(3):
        client.get(reverse("datasets:data_download", args=[resource.pk, "xlsx"]))
    client.force_login(m.users["prov_staff_4"])  # provider staff: not an approver or admin
    assert client.get(url).status_code == 404
    client.force_login(m.users["prov_approver_4"])
    with django_assert_max_num_queries(12) as few:
        response = client.get(url)
    assert response.status_code == 200 and "cons_staff_3" in response.content.decode()
    first_page_queries = len(few.captured_queries)
    for _n in range(60):  # more events than one page holds: the page costs the same
        client.force_login(m.users["cons_staff_3"])
        client.get(reverse("datasets:data_download", args=[resource.pk, "csv"]))
    client.force_login(m.users["prov_approver_4"])
    with django_assert_max_num_queries(first_page_queries):
        assert client.get(url).status_code == 200
    client.force_login(m.users["prov_staff_1"])  # clearance 1 cannot see a level-3 resource
    assert client.get(url).status_code == 404


def test_resource_page_offers_reading_and_correcting_to_those_who_may_read(client, matrix):
    # "Read the data" leads to the data section and 纠错 is one click away, both exactly for the
    # users who may read the data and are cleared for its level (nodept_4 reads unconditional
    # data but files no correction).
    from sharing.policies import can_file_correction

    for user_key in ("prov_staff_4", "cons_staff_3", "cons_staff_1", "other_staff_3", "nodept_4"):
        user = matrix.users[user_key]
        client.force_login(user)
        for resource_key, resource in matrix.resources.items():
            if not matrix.expect_view(user_key, resource_key):
                continue
            page = client.get(reverse("catalog:resource_detail", args=[resource.pk]))
            html = page.content.decode()
            case = f"{user_key} {resource_key}"
            reads = matrix.expect_read(user_key, resource_key)
            assert ('href="#data" id="read-data"' in html) == reads, case
            assert 'aria-disabled="true"><i class="bi bi-table"' not in html, case
            correction = f"{reverse('sharing:correction_new')}?resource={resource.pk}"
            may_correct = can_file_correction(user, resource)
            # A correction may quote values: its filer is cleared for the resource's level too
            # (every department sees the entry and may read the items within its clearance).
            cleared = resource.level <= user.clearance
            assert may_correct == (reads and cleared and user.department_id is not None), case
            assert (correction in html) == may_correct, case
            if may_correct:
                assert client.get(correction).status_code == 200, case


@pytest.mark.parametrize("shape", ["granted", "unconditional", "own"])
def test_resource_page_shows_when_every_readable_item_is_above_clearance(client, shape):
    # A level-3 resource whose items are all level 3 is in the catalog of a clearance-1 user
    # (the catalog scope admits every department), so its page shows: the entry without a
    # data preview and without "read the data". Its data preview used to turn the whole page
    # into a 404 (the data selector refuses a read with no item within clearance).
    from tests import builders

    provider, consumer = builders.department(), builders.department()
    res = builders.resource(
        provider,
        level=3,
        share_type="unconditional" if shape == "unconditional" else "conditional",
        items=[builders.item("编号", level=3, is_key=True), builders.item("名称", level=3)],
    )
    if shape == "granted":
        builders.grant(res, consumer)
    viewer = builders.user(provider if shape == "own" else consumer, clearance=1)
    client.force_login(viewer)
    page = client.get(reverse("catalog:resource_detail", args=[res.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert res.name in html
    assert 'href="#data" id="read-data"' not in html
    # The data stays out of reach: the download refuses the clearance-1 user.
    assert client.get(reverse("datasets:data_download", args=[res.pk, "csv"])).status_code == 404
