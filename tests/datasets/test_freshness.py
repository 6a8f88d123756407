"""Freshness of a resource's data against its update cycle (迟报 late, 漏报 missing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from datasets import selectors, services

from .conftest import MATRIX_HEADER, csv_file, matrix_rows

pytestmark = pytest.mark.django_db


def test_missing_then_fresh_then_late(matrix):
    resource = matrix.resources["pub_cond_1"]  # updated daily
    reader = matrix.users["cons_staff_1"]
    assert selectors.dataset_freshness(user=reader, resource=resource).missing
    services.dataset_upload(
        actor=matrix.users["prov_editor_4"],
        resource=resource,
        file=csv_file([MATRIX_HEADER, *matrix_rows()]),
    )
    resource.refresh_from_db()
    fresh = selectors.dataset_freshness(user=reader, resource=resource)
    assert (fresh.missing, fresh.late) == (False, False)
    later = timezone.now() + timedelta(days=2)
    assert selectors.dataset_freshness(user=reader, resource=resource, now=later).late


def test_freshness_of_an_invisible_resource_does_not_exist(matrix):
    with pytest.raises(Http404):
        selectors.dataset_freshness(
            user=matrix.users["cons_staff_1"], resource=matrix.resources["cleared_cond_3"]
        )
