"""Fixtures for the data delivery tests: data files, uploads and the matrix with data."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric

from datasets import services
from datasets.models import DatasetVersion


def citizen_id(serial: int, region: str = "340102") -> str:
    """Return a valid GB 11643 citizen ID number (correct check digit)."""
    body = f"{region}19900101{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def csv_file(
    lines: list[list[str]], *, name: str = "data.csv", encoding: str = "utf-8"
) -> SimpleUploadedFile:
    text = "\n".join(",".join(cells) for cells in lines) + "\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(lines: list[list[object]], *, name: str = "data.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


MATRIX_HEADER = ["编号", "名称", "敏感项"]


def matrix_rows(count: int = 3) -> list[list[str]]:
    return [[f"B{n:03d}", f"名称{n}", citizen_id(n)] for n in range(1, count + 1)]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run background tasks at once, inside the test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded import files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def matrix_data(matrix):
    """The access matrix with three rows uploaded to every resource its editors may change."""
    editors = {"prov": matrix.users["prov_editor_4"], "other": matrix.users["other_editor_3"]}
    for key, resource in matrix.resources.items():
        provider = matrix.resource_specs[key].provider
        if matrix.resource_specs[key].status == "retired":
            continue
        services.dataset_upload(
            actor=editors[provider],
            resource=resource,
            file=csv_file([MATRIX_HEADER, *matrix_rows()]),
        )
    assert DatasetVersion.objects.filter(status="active").count() == len(matrix.resources) - 1
    return matrix
