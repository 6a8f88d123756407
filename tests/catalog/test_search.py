"""Full-text search with Chinese queries, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import Level, Role
from catalog import services
from catalog.models import Resource
from catalog.search import SEARCH_INDEX_NAME, query_terms, search_filter
from catalog.selectors.browse import resources_search
from tests import builders


@pytest.fixture
def world(db):
    market = builders.department("A市市场监督管理局")
    police = builders.department("A市公安局")
    resources = {
        "legal": builders.resource(
            market,
            name="企业法人登记信息",
            summary="全市企业法人的登记注册信息",
            items=[builders.item("统一社会信用代码"), builders.item("法定代表人姓名")],
        ),
        "people": builders.resource(
            police,
            name="人口基础信息",
            summary="户籍人口身份信息",
            items=[builders.item("公民身份号码"), builders.item("姓名")],
        ),
        "marriage": builders.resource(
            police,
            name="婚姻登记信息",
            summary="涉及人口婚姻状况的登记记录",
            items=[builders.item("登记日期", data_type="D", length=8)],
        ),
        "secret": builders.resource(
            police,
            name="重点人口管理信息",
            summary="敏感的人口管理数据",
            level=Level.L4,
            # Its very existence is sensitive: only users cleared for L4 see the entry.
            catalog_scope="cleared",
            items=[builders.item("人员编号", level=Level.L4)],
        ),
        "draft": builders.resource(police, name="人口迁移草稿", status="draft"),
    }
    viewer = builders.user(builders.department("A市民政局"), clearance=Level.L3)
    return {"market": market, "police": police, "viewer": viewer, **resources}


def names(queryset) -> list[str]:
    return [r.name for r in queryset]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("人口", {"人口基础信息", "婚姻登记信息"}),
        ("法人", {"企业法人登记信息"}),
        ("法人登记", {"企业法人登记信息"}),
        ("人口基础信息", {"人口基础信息"}),
        ("登记", {"企业法人登记信息", "婚姻登记信息"}),
        # Several words: any of them (the best matches first, test_more_words_rank_higher).
        ("人口 登记", {"企业法人登记信息", "人口基础信息", "婚姻登记信息"}),
        ("法定代表人", {"企业法人登记信息"}),  # a data item's name
        ("公安局", {"人口基础信息", "婚姻登记信息"}),  # the provider's name
        ("市场监督", {"企业法人登记信息"}),
        ("人", {"企业法人登记信息", "人口基础信息", "婚姻登记信息"}),
        ("基础人口", {"人口基础信息"}),  # its words, in another order
        ("础基", set()),  # the characters, but not a word of the text
        ("！！", set()),  # nothing searchable: no filter but no crash either
    ],
)
def test_chinese_queries_find_substrings(world, query, expected):
    found = set(names(resources_search(user=world["viewer"], query=query)))
    if query == "！！":
        assert found == {"企业法人登记信息", "人口基础信息", "婚姻登记信息"}
    else:
        assert found == expected


def test_search_by_resource_code_and_provider_uscc(world):
    legal = Resource.objects.get(pk=world["legal"].pk)
    assert names(resources_search(user=world["viewer"], query=legal.code)) == ["企业法人登记信息"]
    by_uscc = names(resources_search(user=world["viewer"], query=world["police"].uscc))
    assert set(by_uscc) == {"人口基础信息", "婚姻登记信息"}


def test_full_width_and_upper_case_are_folded(world):
    code = Resource.objects.get(pk=world["legal"].pk).code
    full_width = code.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert names(resources_search(user=world["viewer"], query=full_width)) == ["企业法人登记信息"]


def test_name_hits_rank_above_summary_hits(world):
    ranked = names(resources_search(user=world["viewer"], query="人口"))
    assert ranked == ["人口基础信息", "婚姻登记信息"]


def test_search_never_returns_what_the_user_may_not_see(world):
    low = builders.user(builders.department(), clearance=Level.L1)
    high = builders.user(builders.department(), clearance=Level.L4)
    assert "重点人口管理信息" not in names(resources_search(user=low, query="人口"))
    assert "重点人口管理信息" not in names(resources_search(user=world["viewer"], query="重点人口"))
    assert names(resources_search(user=high, query="重点人口")) == ["重点人口管理信息"]
    # A draft is visible to its own department only.
    assert names(resources_search(user=high, query="迁移草稿")) == []
    police_staff = builders.user(world["police"], clearance=Level.L1)
    assert names(resources_search(user=police_staff, query="迁移草稿")) == ["人口迁移草稿"]


def test_document_follows_updates(world):
    editor = builders.user(world["police"], clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR))
    services.resource_update(
        actor=editor,
        resource=world["marriage"],
        name="结婚离婚登记信息",
        items=[builders.item("离婚日期", data_type="D", length=8)],
    )
    assert names(resources_search(user=world["viewer"], query="结婚")) == ["结婚离婚登记信息"]
    assert names(resources_search(user=world["viewer"], query="离婚日期")) == ["结婚离婚登记信息"]
    assert names(resources_search(user=world["viewer"], query="婚姻登记")) == []


def test_items_above_the_resource_level_are_not_indexed(world):
    # The services refuse such items; a row written around them must still not be searchable.
    from catalog.models import DataItem
    from catalog.services import resource_search_document_refresh

    DataItem.objects.create(
        resource=world["people"], name="秘密字段", data_type="C", length=1, level=Level.L4
    )
    resource_search_document_refresh(resource=Resource.objects.get(pk=world["people"].pk))
    high = builders.user(builders.department(), clearance=Level.L4)
    assert names(resources_search(user=high, query="秘密字段")) == []


def test_query_terms_are_bounded():
    terms = query_terms(" ".join(f"词{i}" for i in range(30)))
    assert len(terms) == 8


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_index(world):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        plan = search_filter(Resource.objects.all(), "法人登记").explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert SEARCH_INDEX_NAME in plan, plan
    assert "Bitmap Index Scan" in plan, plan
