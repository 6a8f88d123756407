"""Rows, downloads and verification against the access matrix.

Items beyond the grant or the clearance never appear, personal items stay masked in every format,
rows outside a grant's scope never appear, and every read is audited.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from openpyxl import load_workbook

from audit.models import AuditEvent
from datasets import exports, selectors
from tests.access_matrix import GRANTS

from .conftest import MATRIX_HEADER, citizen_id, matrix_rows

pytestmark = pytest.mark.django_db

MASKED_ID = citizen_id(1)[:6] + "********" + citizen_id(1)[-4:]


def expected_columns(matrix, user_key: str, resource_key: str) -> list[str]:
    """The specification: all items for own/unconditional data, else the grant's; within clearance."""
    user, res = matrix.user_specs[user_key], matrix.resource_specs[resource_key]
    levels = {"编号": 1, "名称": min(2, res.level), "敏感项": res.level}
    if res.provider == user.department or res.share_type == "unconditional":
        names = MATRIX_HEADER
    else:
        assert (resource_key, user.department, "in_force") in GRANTS
        names = ["编号", "名称"]  # the matrix grants these two
    return [name for name in names if levels[name] <= user.clearance]


def expected_first_row(matrix, user_key: str, resource_key: str) -> list[str]:
    own = matrix.resource_specs[resource_key].provider == matrix.user_specs[user_key].department
    full = dict(zip(MATRIX_HEADER, matrix_rows()[0], strict=True))
    full["敏感项"] = full["敏感项"] if own else MASKED_ID
    return [full[name] for name in expected_columns(matrix, user_key, resource_key)]


def reads(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_rows_follow_the_matrix(matrix_data):
    m = matrix_data
    for user_key, resource_key in m.cases():
        user, resource = m.users[user_key], m.resources[resource_key]
        before = reads("data.read")
        if not m.expect_read(user_key, resource_key):
            with pytest.raises(Http404):
                selectors.dataset_rows_for(user=user, resource=resource)
            assert reads("data.read") == before
            continue
        page = selectors.dataset_rows_for(user=user, resource=resource)
        case = f"{user_key} {resource_key}"
        assert page.columns == expected_columns(m, user_key, resource_key), case
        assert page.rows[0] == expected_first_row(m, user_key, resource_key), case
        assert len(page.rows) == 3
        event = AuditEvent.objects.filter(action="data.read").latest("id")
        assert reads("data.read") == before + 1
        assert (event.actor_id, event.object_id) == (user.pk, str(resource.pk))
        assert event.details["items"] == page.columns and event.details["rows"] == 3
        assert event.details["provider"] == resource.provider_id


def _csv(matrix, user_key, resource_key) -> list[list[str]]:
    out = io.BytesIO()
    exports.dataset_export(
        user=matrix.users[user_key], resource=matrix.resources[resource_key], out=out, format="csv"
    )
    return list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


def _xlsx(matrix, user_key, resource_key) -> list[list[str]]:
    out = io.BytesIO()
    exports.dataset_export(
        user=matrix.users[user_key], resource=matrix.resources[resource_key], out=out, format="xlsx"
    )
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("reader", [_csv, _xlsx])
def test_downloads_follow_the_matrix(matrix_data, reader):
    m = matrix_data
    users = ["prov_staff_4", "cons_staff_1", "cons_staff_3", "cons_staff_4", "other_staff_3"]
    for user_key in users:
        for resource_key in m.resources:
            before = reads("data.download")
            if not m.expect_read(user_key, resource_key):
                with pytest.raises(Http404):
                    reader(m, user_key, resource_key)
                continue
            table = reader(m, user_key, resource_key)
            case = f"{user_key} {resource_key}"
            assert table[0] == expected_columns(m, user_key, resource_key), case
            assert table[1] == expected_first_row(m, user_key, resource_key), case
            assert len(table) == 4
            assert reads("data.download") == before + 1
            event = AuditEvent.objects.filter(action="data.download").latest("id")
            assert event.details["rows"] == 3 and event.details["items"] == table[0]


def test_verification_follows_the_matrix(matrix_data):
    m = matrix_data
    for user_key, resource_key in m.cases():
        user, resource = m.users[user_key], m.resources[resource_key]
        if not m.expect_read(user_key, resource_key):
            with pytest.raises(Http404):
                selectors.dataset_verify(user=user, resource=resource, keys={"编号": "B001"})
            continue
        columns = expected_columns(m, user_key, resource_key)
        values = {"名称": "名称1"} if "名称" in columns else {}
        answer = selectors.dataset_verify(
            user=user, resource=resource, keys={"编号": "B001"}, values=values
        )
        assert answer == {"exists": True, "matches": {"名称": True} if values else {}}
        missing = selectors.dataset_verify(user=user, resource=resource, keys={"编号": "B999"})
        assert missing["exists"] is False
        if "敏感项" not in columns:
            # An item the user may not read cannot be probed, and is not even named as existing.
            with pytest.raises(ValidationError) as caught:
                selectors.dataset_verify(
                    user=user, resource=resource, keys={"编号": "B001"}, values={"敏感项": "x"}
                )
            assert "敏感项" in str(caught.value)  # echoes the caller's own input only
            with pytest.raises(ValidationError) as unknown:
                selectors.dataset_verify(
                    user=user, resource=resource, keys={"编号": "B001"}, values={"不存在": "x"}
                )
            assert str(unknown.value).replace("不存在", "敏感项") == str(caught.value)
        event = AuditEvent.objects.filter(action="data.verify", actor=user).latest("id")
        assert event.details["rows"] == 0 and event.details["items"] == ["编号"]


def test_filters_only_on_readable_key_items(matrix_data):
    m = matrix_data
    user, resource = m.users["cons_staff_3"], m.resources["pub_cond_3"]
    page = selectors.dataset_rows_for(user=user, resource=resource, filters={"编号": "B002"})
    assert [row[0] for row in page.rows] == ["B002"]
    with pytest.raises(ValidationError, match="名称"):
        selectors.dataset_rows_for(user=user, resource=resource, filters={"名称": "名称1"})
    with pytest.raises(ValidationError) as hidden:
        selectors.dataset_rows_for(user=user, resource=resource, filters={"敏感项": "x"})
    with pytest.raises(ValidationError) as unknown:
        selectors.dataset_rows_for(user=user, resource=resource, filters={"没有": "x"})
    assert str(hidden.value).replace("敏感项", "没有") == str(unknown.value)


def test_keyset_pages_cover_every_row_once(matrix_data):
    m = matrix_data
    user, resource = m.users["prov_staff_4"], m.resources["pub_cond_4"]
    seen, cursor = [], None
    while True:
        page = selectors.dataset_rows_for(user=user, resource=resource, after=cursor, limit=2)
        seen += [row[0] for row in page.rows]
        if not (cursor := page.next_cursor):
            break
    assert seen == ["B001", "B002", "B003"]
    with pytest.raises(ValidationError):
        selectors.dataset_rows_for(user=user, resource=resource, after="not-a-cursor")


def test_query_count_does_not_grow_with_page_size(matrix_data, django_assert_max_num_queries):
    m = matrix_data
    user, resource = m.users["cons_staff_3"], m.resources["pub_cond_3"]
    with django_assert_max_num_queries(12) as small:
        selectors.dataset_rows_for(user=user, resource=resource, limit=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        selectors.dataset_rows_for(user=user, resource=resource, limit=1000)


def test_providers_see_who_read_their_data(matrix_data):
    m = matrix_data
    resource = m.resources["pub_cond_3"]
    selectors.dataset_rows_for(user=m.users["cons_staff_3"], resource=resource)
    for steward in ("prov_approver_4", "prov_admin_3"):
        reads_seen = selectors.data_reads_of(user=m.users[steward], resource=resource)
        assert [e.actor_id for e in reads_seen] == [m.users["cons_staff_3"].pk]
    # Plain staff and editors of the provider do not (one rule with the audit page).
    for other in ("cons_staff_3", "prov_staff_1", "prov_staff_4", "prov_editor_4"):
        assert not selectors.data_reads_of(user=m.users[other], resource=resource).exists()
