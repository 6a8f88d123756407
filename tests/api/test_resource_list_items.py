"""The resource list carries item counts; its items come with ?expand=items, as on the detail.

The count is the items the detail lists (every item's definition of an entry the caller sees,
above their clearance too: docs/access-model.md), so callers of different clearances see the
same count on an entry they both see, and nothing of an entry they do not.
"""

from __future__ import annotations

import pytest

from accounts.models import User
from catalog import selectors
from catalog.models import DataItem

from .conftest import ids

pytestmark = pytest.mark.django_db

# Clearances 1 to 4; the provider's staff and editor, two other departments' staff, the
# coordinator, an auditor and an account with no department.
CALLERS = [
    "cons_staff_1",
    "cons_staff_3",
    "cons_staff_4",
    "prov_staff_1",
    "prov_staff_2",
    "prov_editor_4",
    "other_staff_3",
    "coordinator_4",
    "auditor_2",
    "nodept_4",
]


def _list(call, user_key: str, query: str = "") -> list[dict]:
    response = call(user_key, "get", f"resources/?page_size=200{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_list_counts_the_items_the_detail_lists_and_leaves_them_out(matrix, call):
    for user_key in CALLERS:
        rows = _list(call, user_key)
        # Exactly the entries the caller sees: a hidden one is absent, not listed with 0 items.
        expected = {matrix.resources[r].pk for r in matrix.visible_keys(user_key)}
        assert {row["id"] for row in rows} == expected, user_key
        user = User.objects.get(pk=matrix.users[user_key].pk)
        for row in rows:
            assert "items" not in row, user_key
            visible = selectors.data_items_visible_to(user=user).filter(resource_id=row["id"])
            assert row["item_count"] == visible.count(), (user_key, row["name"])
            # Every matrix resource has three items (levels 1, up to 2, and its own).
            assert row["item_count"] == 3, (user_key, row["name"])


def test_the_count_is_the_detail_s_whatever_the_caller_s_clearance(matrix, call):
    """An L4 entry seen by every department: an L1 and an L4 caller both count its three item
    definitions, as both details list them (the L4 item's values stay out of the L1 caller's
    reach, on the data endpoints); an entry scoped to cleared users is absent below its level."""
    open_l4 = matrix.resources["pub_cond_4"].pk
    cleared_l3 = matrix.resources["cleared_cond_3"].pk
    for user_key in ("cons_staff_1", "cons_staff_4"):
        counts = {row["id"]: row["item_count"] for row in _list(call, user_key)}
        detail = call(user_key, "get", f"resources/{open_l4}/").json()
        assert counts[open_l4] == len(detail["items"]) == 3
        assert {item["level"] for item in detail["items"]} == {1, 2, 4}
    assert cleared_l3 not in ids(call("cons_staff_1", "get", "resources/?page_size=200"))
    assert cleared_l3 in ids(call("cons_staff_3", "get", "resources/?page_size=200"))
    assert call("cons_staff_1", "get", f"resources/{cleared_l3}/").status_code == 404


def test_an_item_added_is_counted_at_once(matrix, call):
    resource = matrix.resources["pub_cond_2"]
    DataItem.objects.create(
        resource=resource, position=9, name="新增项", data_type="C", length=10, level=4
    )
    counts = {row["id"]: row["item_count"] for row in _list(call, "cons_staff_1")}
    assert counts[resource.pk] == 4


def test_expand_items_gives_each_resource_s_items_exactly_as_its_detail(matrix, call):
    for user_key in ("cons_staff_1", "cons_staff_4", "prov_editor_4", "coordinator_4"):
        lean = {row["id"]: row for row in _list(call, user_key)}
        expanded = _list(call, user_key, "&expand=items")
        assert {row["id"] for row in expanded} == set(lean), user_key
        for row in expanded:
            detail = call(user_key, "get", f"resources/{row['id']}/").json()
            assert row["items"] == detail["items"], (user_key, row["name"])
            assert row["item_count"] == len(row["items"]) == lean[row["id"]]["item_count"]
            # Otherwise the same representation: only `items` is added.
            assert {k: v for k, v in row.items() if k != "items"} == lean[row["id"]]


def test_the_detail_and_writes_keep_the_items(matrix, call):
    pk = matrix.resources["pub_cond_3"].pk
    detail = call("cons_staff_1", "get", f"resources/{pk}/").json()
    assert len(detail["items"]) == detail["item_count"] == 3
    # ?expand= means nothing to the detail: it always has the items.
    again = call("cons_staff_1", "get", f"resources/{pk}/?expand=items").json()
    assert again == detail


@pytest.mark.parametrize(
    ("query", "language", "message"),
    [
        ("expand=item", "zh-hans", "未知的展开项：“item”。可展开：items。"),
        ("expand=interfaces", "en", "Unknown expansion: “interfaces”. Expand one of: items."),
        ("expand=", "zh-hans", "未知的展开项：“”。可展开：items。"),
        ("expand=items,versions", "en", "Unknown expansion: “items,versions”."),
        ("expand=items&expand=items", "zh-hans", "expand 参数只能给出一次。"),
        ("expand=items&expand=items", "en", "Give expand once."),
    ],
)
def test_a_bad_expand_is_400_naming_it_in_the_caller_s_language(
    matrix, call, query, language, message
):
    response = call("cons_staff_4", "get", f"resources/?{query}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == ["expand"]
    assert error["fields"]["expand"][0].startswith(message), error
