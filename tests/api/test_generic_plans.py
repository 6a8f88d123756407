"""Keyed requests reuse their plans; every other request keeps the connection's custom plans.

The portal's PostgreSQL connections plan each prepared statement for its values
(``plan_cache_mode=force_custom_plan``). A key lookup of rows and an interface call run in
``kernel.db.generic_plans()`` instead, and leave the connection as they found it, whatever
the answer.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kernel.db import generic_plans
from tests.datasets.conftest import matrix_data  # noqa: F401 - fixture

from .test_data_endpoints import _rows_url

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="plan_cache_mode is PostgreSQL's"
)

SET, RESET = "SET plan_cache_mode = force_generic_plan", "RESET plan_cache_mode"


def mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        return cursor.fetchone()[0]


def _session_default() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reset_val FROM pg_settings WHERE name = 'plan_cache_mode'")
        return cursor.fetchone()[0]


@postgres_only
def test_the_block_lets_postgresql_choose_and_puts_the_setting_back():
    # The portal connects with its own setting (portal/settings.py).
    assert mode() == _session_default() == "force_custom_plan"
    with generic_plans():
        assert mode() == "force_generic_plan"
    assert mode() == "force_custom_plan"
    with pytest.raises(ZeroDivisionError), generic_plans():
        assert mode() == "force_generic_plan"
        _ = 1 / 0
    assert mode() == "force_custom_plan"


@postgres_only
def test_a_block_inside_another_does_nothing():
    with CaptureQueriesContext(connection) as captured, generic_plans():
        with generic_plans():
            assert mode() == "force_generic_plan"
        assert mode() == "force_generic_plan"  # the inner block did not reset it
    assert mode() == "force_custom_plan"
    statements = [q["sql"] for q in captured.captured_queries]
    assert statements.count(SET) == statements.count(RESET) == 1


@postgres_only
def test_a_probe_by_key_outside_the_api_uses_its_generic_plan(matrix_data):  # noqa: F811
    # A page or a service looking a row up by key, not only the API's keyed requests.
    from datasets import selectors

    user = matrix_data.users["cons_staff_3"]
    resource = matrix_data.resources["pub_cond_3"]
    with CaptureQueriesContext(connection) as captured:
        page = selectors.dataset_rows_for(user=user, resource=resource, filters={"编号": "B002"})
    assert [row["编号"] for row in page.as_dicts()] == ["B002"]
    sql = [q["sql"] for q in captured.captured_queries]
    probe = next(i for i, q in enumerate(sql) if q.startswith('SELECT "datasets_datasetrow"'))
    assert (sql[probe - 1], sql[probe + 1]) == (SET, RESET)
    assert mode() == "force_custom_plan"


def test_the_block_is_nothing_on_sqlite():
    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL case is above")
    with CaptureQueriesContext(connection) as captured, generic_plans():
        pass
    assert captured.captured_queries == []


def _statements(call, *args) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = call(*args)
    return response.status_code, [q["sql"] for q in captured.captured_queries]


@postgres_only
def test_a_key_lookup_keeps_its_plans_and_a_page_does_not(matrix_data, call):  # noqa: F811
    user, key = "cons_staff_3", "pub_cond_3"
    status, sql = _statements(call, user, "get", _rows_url(matrix_data, key, "?key=编号:B002"))
    assert status == 200
    assert (sql[0], sql[-1]) == (SET, RESET)
    assert sql.count(SET) == sql.count(RESET) == 1

    # A page of a scan, a download and a refused lookup.
    for query in ("?limit=2", "?format=csv"):
        status, sql = _statements(call, user, "get", _rows_url(matrix_data, key, query))
        assert status == 200 and SET not in sql, query
    status, sql = _statements(
        call, "other_staff_3", "get", _rows_url(matrix_data, key, "?key=编号:B002")
    )
    assert status in (403, 404)
    assert sql.count(SET) == sql.count(RESET)
    assert mode() == "force_custom_plan"


@postgres_only
def test_an_error_inside_the_request_still_puts_the_setting_back(matrix_data, call):  # noqa: F811
    status, sql = _statements(
        call, "cons_staff_3", "get", _rows_url(matrix_data, "pub_cond_3", "?key=编号")
    )
    assert status == 400
    assert (sql[0], sql[-1]) == (SET, RESET)
    assert mode() == "force_custom_plan"
