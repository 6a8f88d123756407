"""The upload page and the import job page, against the access matrix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import DatasetRow, ImportJob

from .conftest import MATRIX_HEADER, csv_file, matrix_rows

pytestmark = pytest.mark.django_db


def test_upload_page_only_for_those_who_may_change(client, matrix):
    for user_key, resource_key in matrix.cases():
        user = matrix.users[user_key]
        if not user.is_active:
            continue
        client.force_login(user)
        url = reverse("catalog:data_upload", args=[matrix.resources[resource_key].pk])
        expected = 200 if matrix.expect_change(user_key, resource_key) else 404
        assert client.get(url).status_code == expected, f"{user_key} {resource_key}"


def test_upload_runs_a_job_and_shows_its_result(client, matrix, django_capture_on_commit_callbacks):
    resource = matrix.resources["pub_cond_3"]
    client.force_login(matrix.users["prov_editor_4"])
    url = reverse("catalog:data_upload", args=[resource.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"file": csv_file([MATRIX_HEADER, *matrix_rows(5)]), "mode": "replace"}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("catalog:data_job", args=[job.pk])
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
            reverse("catalog:data_upload", args=[resource.pk]),
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
        reverse("catalog:data_upload", args=[resource.pk]),
        {"file": csv_file([MATRIX_HEADER, *matrix_rows(3)]), "mode": "replace"},
    )
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    assert not ImportJob.objects.exists()
