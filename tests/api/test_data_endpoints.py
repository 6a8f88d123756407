"""The data endpoints through the access matrix: rows, downloads, pushes and verification.

Items beyond the grant or the clearance never appear, masking holds in JSON, CSV and XLSX, rows
outside a grant's scope never appear, every read is audited, and bad rows are a 422 naming row,
column and reason with nothing stored.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.utils import translation
from openpyxl import load_workbook

from audit.models import AuditEvent
from datasets import services as data_services
from datasets.api.views import NO_GRANT
from datasets.models import DatasetRow
from sharing.models import Grant
from tests import builders
from tests.datasets.conftest import csv_file, matrix_data  # noqa: F401 - fixture
from tests.datasets.test_access import expected_columns, expected_first_row

from .conftest import API

pytestmark = pytest.mark.django_db

INACTIVE = "prov_inactive_4"


def _no_grant_texts() -> set[str]:
    texts = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts.add(str(NO_GRANT))
    return texts


NO_GRANT_TEXTS = _no_grant_texts()
MASKED = expected_first_row  # the specification of a first row, masked where it must be


def _rows_url(matrix, resource_key: str, query: str = "") -> str:
    return f"{API}resources/{matrix.resources[resource_key].pk}/rows/{query}"


def _reads(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def _expected_status(matrix, user_key: str, resource_key: str) -> int:
    if not matrix.expect_view(user_key, resource_key):
        return 404
    return 200 if matrix.expect_read(user_key, resource_key) else 403


def test_rows_follow_the_matrix(matrix_data, call):  # noqa: F811
    m = matrix_data
    for user_key, resource_key in m.cases():
        if user_key == INACTIVE:
            continue
        before = _reads("data.read")
        response = call(user_key, "get", _rows_url(m, resource_key))
        case = f"{user_key} {resource_key}"
        expected = _expected_status(m, user_key, resource_key)
        assert response.status_code == expected, case
        if expected == 404:
            assert response.json()["error"]["code"] == "not_found"
            assert _reads("data.read") == before
            continue
        if expected == 403:
            error = response.json()["error"]
            assert error["code"] == "permission_denied" and error["message"] in NO_GRANT_TEXTS
            assert _reads("data.read") == before
            continue
        body = response.json()
        columns = expected_columns(m, user_key, resource_key)
        assert body["columns"] == columns, case
        first = list(body["results"][0].values())
        assert first == MASKED(m, user_key, resource_key), case
        assert all(list(row) == columns for row in body["results"])
        assert len(body["results"]) == 3 and body["next"] is None
        assert _reads("data.read") == before + 1
        event = AuditEvent.objects.filter(action="data.read").latest("id")
        assert event.actor_id == m.users[user_key].pk and event.details["items"] == columns


def _table(response, format: str) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    if format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_downloads_follow_the_matrix(matrix_data, call, format):  # noqa: F811
    m = matrix_data
    for user_key in ["prov_staff_4", "cons_staff_1", "cons_staff_3", "other_staff_3"]:
        for resource_key in m.resources:
            before = _reads("data.download")
            response = call(user_key, "get", _rows_url(m, resource_key, f"?format={format}"))
            expected = _expected_status(m, user_key, resource_key)
            assert response.status_code == expected, (user_key, resource_key)
            if expected != 200:
                assert response["Content-Type"] == "application/json"
                assert _reads("data.download") == before
                continue
            table = _table(response, format)
            assert table[0] == expected_columns(m, user_key, resource_key)
            assert table[1] == MASKED(m, user_key, resource_key)
            assert len(table) == 4
            assert _reads("data.download") == before + 1


def test_verify_follows_the_matrix(matrix_data, call):  # noqa: F811
    m = matrix_data
    for user_key, resource_key in m.cases():
        if user_key == INACTIVE:
            continue
        url = f"resources/{m.resources[resource_key].pk}/verify/"
        before = _reads("data.verify")
        response = call(user_key, "post", url, {"keys": {"编号": "B001"}})
        expected = _expected_status(m, user_key, resource_key)
        assert response.status_code == expected, (user_key, resource_key)
        if expected != 200:
            assert _reads("data.verify") == before
            continue
        assert response.json() == {"exists": True, "matches": {}}
        assert _reads("data.verify") == before + 1
        columns = expected_columns(m, user_key, resource_key)
        probe = call(user_key, "post", url, {"keys": {"编号": "B001"}, "values": {"敏感项": "x"}})
        if "敏感项" in columns:
            assert probe.json() == {"exists": True, "matches": {"敏感项": False}}
        else:  # an item beyond the grant or clearance cannot even be probed
            assert probe.status_code == 422
            unknown = call(
                user_key, "post", url, {"keys": {"编号": "B001"}, "values": {"没有": "x"}}
            )
            assert unknown.status_code == 422
            # The same answer as an item that does not exist, apart from the echoed name.
            assert (
                probe.json()["error"]["message"].replace("敏感项", "没有")
                == (unknown.json()["error"]["message"])
            )


def test_filters_and_keyset_pages(matrix_data, call):  # noqa: F811
    m = matrix_data
    user = "cons_staff_3"
    one = call(user, "get", _rows_url(m, "pub_cond_3", "?key=编号:B002"))
    assert [row["编号"] for row in one.json()["results"]] == ["B002"]
    for bad in ("?key=编号", "?key=名称:名称1", "?key=敏感项:x", "?key=没有:x", "?after=zzz"):
        response = call(user, "get", _rows_url(m, "pub_cond_3", bad))
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "invalid"
    # The hidden item and an unknown one get the same answer, apart from the echoed name.
    hidden = call(user, "get", _rows_url(m, "pub_cond_3", "?key=敏感项:x")).json()
    unknown = call(user, "get", _rows_url(m, "pub_cond_3", "?key=没有:x")).json()
    assert str(hidden).replace("敏感项", "没有") == str(unknown)
    seen, url = [], _rows_url(m, "pub_cond_3", "?limit=2")
    while url:
        body = call(user, "get", url).json()
        seen += [row["编号"] for row in body["results"]]
        url = body["next"] and body["next"].removeprefix("http://testserver")
    assert seen == ["B001", "B002", "B003"]


def test_row_scope_holds_through_the_api(call, keys, matrix):
    prov, cons = matrix.departments["prov"], matrix.departments["cons"]
    resource = builders.resource(
        prov,
        level=1,
        items=[
            builders.item("编号", level=1, is_key=True),
            builders.item("行政区划代码", level=1, length=6),
        ],
    )
    data_services.dataset_push(
        actor=matrix.users["prov_editor_4"],
        resource=resource,
        rows=[{"编号": "A1", "行政区划代码": "340102"}, {"编号": "A2", "行政区划代码": "340103"}],
        mode="replace",
        batch_id="scope-1",
    )
    grant = builders.grant(resource, cons)
    # The sharing flow sets a scope at approval; here it is set on the record directly.
    Grant.objects.filter(pk=grant.pk).update(row_scope_region="340102")
    rows = call("cons_staff_3", "get", f"resources/{resource.pk}/rows/").json()["results"]
    assert [row["编号"] for row in rows] == ["A1"]
    csv_rows = _table(
        call("cons_staff_3", "get", f"resources/{resource.pk}/rows/?format=csv"), "csv"
    )
    assert [row[0] for row in csv_rows[1:]] == ["A1"]
    outside = call(
        "cons_staff_3", "post", f"resources/{resource.pk}/verify/", {"keys": {"编号": "A2"}}
    )
    assert outside.json()["exists"] is False


PUSH_ROW = {"编号": "P001", "名称": "推送", "敏感项": ""}


def test_push_is_for_editors_with_a_write_token(matrix_data, call, keys):  # noqa: F811
    m = matrix_data
    url = f"resources/{m.resources['pub_cond_3'].pk}/rows/"
    body = {"mode": "append", "batch_id": "b-1", "rows": [PUSH_ROW]}
    assert call("cons_staff_3", "post", url, body).status_code == 403
    assert call("prov_staff_4", "post", url, body).status_code == 403
    seen = f"resources/{m.resources['other_cond_2'].pk}/rows/"  # every department sees it
    assert call("cons_staff_1", "post", seen, body).status_code == 403
    hidden = f"resources/{m.resources['other_provider_3'].pk}/rows/"  # limited to its provider
    assert call("cons_staff_1", "post", hidden, body).status_code == 404
    from rest_framework.test import APIClient

    from .conftest import issue

    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {issue(m.users['prov_editor_4'], ('read',))}")
    assert reader.post(API + url, body, format="json").status_code == 403
    first = call("prov_editor_4", "post", url, body)
    assert first.status_code == 200, first.content
    assert first.json()["inserted"] == 1 and first.json()["replayed"] is False
    again = call("prov_editor_4", "post", url, body)
    assert again.json() == {**first.json(), "replayed": True}
    assert DatasetRow.objects.filter(version__resource=m.resources["pub_cond_3"]).count() == 4


def test_bad_rows_name_row_column_and_reason_and_store_nothing(matrix_data, call):  # noqa: F811
    m = matrix_data
    resource = m.resources["pub_cond_3"]
    url = f"resources/{resource.pk}/rows/"
    before = DatasetRow.objects.count()
    rows = [PUSH_ROW, {**PUSH_ROW, "编号": "P002", "敏感项": "340102199001010011"}]
    response = call("prov_editor_4", "post", url, {"mode": "upsert", "batch_id": "x", "rows": rows})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unprocessable" and error["total"] == 1
    assert error["rows"][0]["row"] == 2 and error["rows"][0]["column"] == "敏感项"
    assert list(error["fields"]) == ["rows.1.敏感项"]
    assert DatasetRow.objects.count() == before
    for body in (
        {"mode": "merge", "batch_id": "x", "rows": [PUSH_ROW]},
        {"mode": "append", "batch_id": "", "rows": [PUSH_ROW]},
        {"mode": "append", "batch_id": "x", "rows": []},
        {"mode": "append", "batch_id": "x", "rows": ["not an object"]},
        {"mode": "append", "batch_id": "x\x00", "rows": [PUSH_ROW]},
    ):
        bad = call("prov_editor_4", "post", url, body)
        assert bad.status_code == 400, (body, bad.content)
    # Well-formed rows the data items refuse (an item missing, a key already stored): 422.
    for body in (
        {"mode": "append", "batch_id": "x", "rows": [{"编号": "P9"}]},
        {"mode": "append", "batch_id": "x", "rows": [{**PUSH_ROW, "编号": "B001"}]},
    ):
        bad = call("prov_editor_4", "post", url, body)
        assert bad.status_code == 422 and bad.json()["error"]["rows"], (body, bad.content)
    assert DatasetRow.objects.count() == before


def test_verify_compares_values_without_returning_them(matrix_data, call):  # noqa: F811
    m = matrix_data
    url = f"resources/{m.resources['pub_cond_3'].pk}/verify/"
    answer = call(
        "cons_staff_3", "post", url, {"keys": {"编号": "B002"}, "values": {"名称": "名称2"}}
    )
    assert answer.json() == {"exists": True, "matches": {"名称": True}}
    wrong = call("cons_staff_3", "post", url, {"keys": {"编号": "B002"}, "values": {"名称": "x"}})
    assert wrong.json() == {"exists": True, "matches": {"名称": False}}
    for body in ({}, {"keys": "B002"}):
        assert call("cons_staff_3", "post", url, body).status_code == 400, body
    # Well-formed keys the data items refuse: a key item missing, an item that is not a key.
    for body in ({"keys": {}}, {"keys": {"名称": "名称2"}}):
        refused = call("cons_staff_3", "post", url, body)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "unprocessable"


def test_revoked_grant_turns_rows_into_403(matrix_data, call):  # noqa: F811
    m = matrix_data
    grant = Grant.objects.get(resource=m.resources["pub_cond_3"], department=m.departments["cons"])
    from sharing.services import grant_revoke

    grant_revoke(actor=None, grant=grant, reason="结束")
    assert call("cons_staff_3", "get", _rows_url(m, "pub_cond_3")).status_code == 403


def test_rows_query_count_does_not_grow_with_page_size(
    matrix_data,  # noqa: F811
    call,
    django_assert_num_queries,
):
    m = matrix_data
    resource = m.resources["pub_cond_3"]
    data_services.dataset_upload(
        actor=m.users["prov_editor_4"],
        resource=resource,
        file=csv_file(
            [["编号", "名称", "敏感项"], *[[f"C{n:03d}", f"名{n}", ""] for n in range(300)]]
        ),
    )
    call("cons_staff_3", "get", "me/")  # stamp the token's last use outside the measurement
    for limit in (1, 10, 300):
        # Token with user and department, the resource (a published one: no role needed to
        # see it), the grant in force with its guardian row (may read, one query), the active
        # version, the items with their clear flags, the page, and the audit event: savepoint,
        # chain head, insert, release.
        with django_assert_num_queries(ROWS_QUERIES + audit_lock_queries()):
            response = call("cons_staff_3", "get", _rows_url(m, "pub_cond_3", f"?limit={limit}"))
        assert len(response.json()["results"]) == limit


ROWS_QUERIES = 10


def audit_lock_queries() -> int:
    """How many queries fewer an audited request takes on PostgreSQL than on SQLite.

    SQLite: savepoint, chain head, insert, release. PostgreSQL: the one call to audit_append(),
    which locks, reads the head and inserts in the database (audit/0002).
    """
    return -3 if connection.vendor == "postgresql" else 0
