"""The resource list carries item counts; its items come with ?expand=items, as on the detail.

The count is the items the detail lists (every item's definition of an entry the caller sees,
above their clearance too: docs/access-model.md), so callers of different clearances see the
same count on an entry they both see, and nothing of an entry they do not.
"""

from __future__ import annotations

import pytest
from django.db.models import Prefetch

from accounts.models import User
from catalog import selectors
from catalog.api.serializers import ResourceSummarySerializer
from catalog.models import CodeList, DataItem, Resource

from .. import builders
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


SEX = "GB/T 2261.1-2003"


def _items_of_every_shape(matrix) -> list[Resource]:
    """Add to the provider's catalog entries whose items take every value the list can give."""
    if not CodeList.objects.filter(code=SEX).exists():  # flushed by a transactional test
        import importlib

        from django.apps import apps

        importlib.import_module("catalog.migrations.0011_code_lists").seed(apps, None)
    prov = matrix.departments["prov"]
    items = [
        builders.item("编号", is_key=True, description='含"引号"、\\反斜杠与 <标记> & 符号'),
        builders.item("性别", length=1, code_list=SEX, description="代码集项"),
        builders.item("姓名", level=2, kind="name", length=30),
        # Named like a mobile number, tagged "not personal": confirmed with a reason.
        builders.item("联系电话", level=2, length=11),
        builders.item("金额", data_type="N", length=12, level=4),
        builders.item("登记日期", data_type="D", length=10, level=3),
    ]
    published = builders.resource(prov, level=4, items=items, name="矩阵逐字比较资源")
    # A draft: its flagged item is not confirmed yet (detected_kind set, no reason).
    draft = builders.resource(
        prov,
        level=3,
        status="draft",
        name="矩阵逐字比较草稿",
        items=[builders.item("编号", is_key=True), builders.item("身份证号", level=3)],
    )
    return [published, draft]


def _as_the_serializer_gives_it(response, user: User) -> bytes:
    """Return the page the serializer gives with each item a model instance (DRF's fields)."""
    ids_on_page = [row["id"] for row in response.json()["results"]]
    items = (
        selectors.data_items_visible_to(user=user)
        .select_related("personal_confirmation", "code_list")
        .order_by("position", "id")
    )
    resources = Resource.objects.select_related("provider", "category").prefetch_related(
        Prefetch("items", queryset=items, to_attr="visible_items")
    )
    by_id = resources.in_bulk(ids_on_page)
    page = [by_id[pk] for pk in ids_on_page]
    assert all(isinstance(item, DataItem) for r in page for item in r.visible_items)
    context = {"request": response.renderer_context["request"], "expand_items": True}
    results = ResourceSummarySerializer(page, many=True, context=context).data
    return response.accepted_renderer.render(
        {**response.data, "results": results},
        response.accepted_media_type,
        response.renderer_context,
    )


def test_expanded_items_are_byte_for_byte_what_the_serializer_gives(matrix, call):
    published, draft = _items_of_every_shape(matrix)
    seen_draft = False
    for user_key in ("cons_staff_1", "cons_staff_4", "prov_editor_4", "coordinator_4"):
        response = call(user_key, "get", "resources/?page_size=200&expand=items")
        assert response.status_code == 200, response.content
        user = User.objects.get(pk=matrix.users[user_key].pk)
        assert response.content == _as_the_serializer_gives_it(response, user), user_key
        rows = {row["id"]: row for row in response.json()["results"]}
        # Every value the rows give is on the page: code lists, kinds, confirmations, levels.
        items = {item["name"]: item for item in rows[published.pk]["items"]}
        assert items["性别"]["code_list"] == {
            "code": SEX,
            "name": CodeList.objects.get(code=SEX).name,
        }
        assert items["编号"]["code_list"] is None and items["编号"]["is_key"] is True
        assert items["姓名"]["kind"] == "name" and items["姓名"]["detected_kind"] is None
        assert items["联系电话"]["detected_kind"] == "mobile"
        assert items["联系电话"]["not_personal_reason"] == "测试数据"
        assert items["金额"]["level"] == 4 and items["金额"]["length"] == 12
        if draft.pk in rows:
            seen_draft = True
            flagged = rows[draft.pk]["items"][1]
            assert flagged["detected_kind"] == "id_number"
            assert flagged["not_personal_reason"] == ""
    assert seen_draft  # the provider's editor sees its draft


def test_the_rows_are_only_the_items_of_entries_the_user_sees(matrix):
    """Asked for every entry of the matrix, the rows hold the items of the entries the caller
    sees, and nothing (an empty list) for the others: a drafted, scoped or other department's
    entry gives no item to a caller who may not see it."""
    every = {key: resource.pk for key, resource in matrix.resources.items()}
    for user_key in [*CALLERS, "prov_inactive_4", "cons_delegate_3", "prov_editor_2"]:
        user = User.objects.get(pk=matrix.users[user_key].pk)
        rows = selectors.data_item_rows_visible_to(user=user, resource_ids=list(every.values()))
        assert set(rows) == set(every.values()), user_key
        visible = matrix.visible_keys(user_key) if user.is_active else set()
        for key, pk in every.items():
            expected = list(
                selectors.data_items_visible_to(user=user)
                .filter(resource_id=pk)
                .order_by("position", "id")
                .values_list("id", flat=True)
            )
            assert [row["id"] for row in rows[pk]] == expected, (user_key, key)
            assert len(expected) == (3 if key in visible else 0), (user_key, key)


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
