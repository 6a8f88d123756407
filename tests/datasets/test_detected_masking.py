"""The read-time safety net: values that are personal data by their check digits are masked even
in an item tagged "not personal", unless the grant delivers that item in clear.

Values that only look alike (an 18-digit number with a wrong check digit) stay as they are, and
the net costs no query: it works on the values already fetched.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from datasets import exports, selectors, services

from .. import builders
from .conftest import citizen_id, csv_file

pytestmark = pytest.mark.django_db

VALID_ID = citizen_id(7)
WRONG_ID = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
VALID_CARD = "6217000000000000004"
VALUES = [VALID_ID, "13912345678", VALID_CARD, WRONG_ID, "普通备注", "6217000000000000005"]
MASKED = [
    VALID_ID[:6] + "********" + VALID_ID[-4:],
    "139****5678",
    "621700*********0004",
    WRONG_ID,
    "普通备注",
    "6217000000000000005",
]


@pytest.fixture
def world():
    provider = builders.department("数据提供部门")
    editor = builders.user(provider, clearance=4, roles=(Role.STAFF, Role.EDITOR))
    resource = builders.resource(
        provider,
        level=2,
        items=[
            builders.item("编号", length=4, is_key=True),
            builders.item("备注", length=30, level=2),  # "not personal" by its name
            builders.item("序号", data_type="I", length=20),  # a number item: never looked at
        ],
    )
    rows = [[f"{n:04d}", value, "13912345678"] for n, value in enumerate(VALUES)]
    services.dataset_upload(
        actor=editor, resource=resource, file=csv_file([["编号", "备注", "序号"], *rows])
    )
    masked_dept = builders.department("使用部门")
    builders.grant(resource, masked_dept)
    clear_dept = builders.department("另一使用部门")
    clear_grant = builders.grant(resource, clear_dept)
    clear_grant.clear_items.set(resource.items.filter(name="备注"))
    return {
        "resource": resource,
        "provider_staff": builders.user(provider, clearance=2),
        "masked": builders.user(masked_dept, clearance=2),
        "clear": builders.user(clear_dept, clearance=2),
    }


def column(page, name: str) -> list:
    position = page.columns.index(name)
    return [row[position] for row in page.rows]


def test_detected_values_masked_without_clear_delivery(world):
    page = selectors.dataset_rows_for(user=world["masked"], resource=world["resource"])
    assert column(page, "备注") == MASKED
    # An integer item is not a string item: it is never inspected.
    assert column(page, "序号")[0] in (13912345678, "13912345678")


def test_clear_delivery_and_the_provider_see_values_as_stored(world):
    for who in ("clear", "provider_staff"):
        page = selectors.dataset_rows_for(user=world[who], resource=world["resource"])
        assert column(page, "备注") == VALUES, who


def test_download_masks_the_same(world):
    import csv
    import io

    out = io.BytesIO()
    exports.dataset_export(user=world["masked"], resource=world["resource"], out=out, format="csv")
    table = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert [row[1] for row in table[1:]] == MASKED


def test_the_safety_net_costs_no_query(world):
    with CaptureQueriesContext(connection) as clear:
        selectors.dataset_rows_for(user=world["clear"], resource=world["resource"])
    with CaptureQueriesContext(connection) as masked:
        selectors.dataset_rows_for(user=world["masked"], resource=world["resource"])
    assert len(masked.captured_queries) == len(clear.captured_queries)
