"""Search that finds things: synonyms, ranking by matched words, data items, direct hits,
type-ahead, "did you mean", highlighting and the pinyin order (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Level, Role
from audit.models import AuditEvent
from catalog import synonyms
from catalog.models import Resource, SynonymGroup, SynonymTerm
from catalog.selectors.browse import did_you_mean, resources_search, search_suggestions
from catalog.services.synonyms import (
    synonym_group_create,
    synonym_group_delete,
    synonym_group_update,
)
from catalog.templatetags.catalog_search import highlight
from tests import builders
from tests.auth import verified_login

from .helpers import login


@pytest.fixture
def world(db):
    police = builders.department("A市公安局")
    civil = builders.department("A市民政局")
    market = builders.department("A市市场监督管理局")
    made = {
        "people": builders.resource(
            police,
            name="人口基础信息",
            summary="全市户籍人口的基础信息",
            level=Level.L2,
            items=[
                builders.item("公民身份号码", level=Level.L2),
                builders.item("姓名"),
                builders.item("住址", level=Level.L2),
            ],
        ),
        "move": builders.resource(police, name="户籍迁移记录", summary="迁入迁出登记"),
        "relief": builders.resource(
            civil,
            name="最低生活保障对象信息",
            summary="城乡低保对象",
            items=[builders.item("姓名")],
        ),
        "insurance": builders.resource(
            civil, name="社会保险参保信息", summary="参保人员及缴费情况"
        ),
        "licence": builders.resource(market, name="市场主体登记信息", summary="企业登记注册"),
        "secret": builders.resource(
            police,
            name="重点人口户籍管控信息",
            summary="敏感",
            level=Level.L4,
            # An entry whose very existence is sensitive: shown only to those cleared for L4.
            catalog_scope="cleared",
            catalog_scope_reason="重点人员管控名单",
            items=[builders.item("公民身份号码", level=Level.L4)],
        ),
    }
    staff = builders.user(civil, clearance=Level.L2)
    return {"police": police, "civil": civil, "market": market, "staff": staff, **made}


def names(queryset) -> list[str]:
    return [r.name for r in queryset]


# --- 1. the synonym dictionary --------------------------------------------------------------


def test_the_seed_holds_the_government_vocabulary(db):
    assert SynonymGroup.objects.count() >= 60
    words = synonyms.dictionary()
    assert set(words.group_of("身份证")) >= {"居民身份证", "公民身份号码", "身份证号", "身份证号码"}
    assert "社会保险" in words.group_of("社保")
    assert set(words.group_of("营业执照")) >= {"市场主体登记", "工商登记"}
    assert set(words.group_of("户口")) >= {"户籍", "户籍登记"}
    assert "最低生活保障" in words.group_of("低保")
    assert "住房公积金" in words.group_of("公积金")
    assert "基本医疗保险" in words.group_of("医保")
    assert set(words.group_of("企业")) >= {"市场主体", "法人"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("社保", ["社会保险参保信息"]),
        ("低保", ["最低生活保障对象信息"]),
        ("营业执照", ["市场主体登记信息"]),
        ("户口", ["户籍迁移记录", "人口基础信息"]),  # the name's hit first
        ("身份证号码", ["人口基础信息"]),  # through the data item 公民身份号码
        ("身份证", ["人口基础信息"]),
    ],
)
def test_synonyms_find_what_staff_call_things(world, query, expected):
    assert names(resources_search(user=world["staff"], query=query)) == expected


def test_a_word_in_another_order_still_matches(world):
    assert names(resources_search(user=world["staff"], query="迁移户籍")) == ["户籍迁移记录"]
    # 户口 is a synonym of the first word: both at once.
    assert names(resources_search(user=world["staff"], query="户口迁移")) == ["户籍迁移记录"]


def test_an_extra_unrelated_word_keeps_the_best_matches_first(world):
    found = names(resources_search(user=world["staff"], query="人口基础信息 火星探测"))
    assert found == ["人口基础信息"]
    ranked = names(resources_search(user=world["staff"], query="户口 人口 火星探测"))
    # Two of the three words match 人口基础信息 (户籍 in its summary, 人口 in its name).
    assert ranked[0] == "人口基础信息"
    assert "户籍迁移记录" in ranked


def test_synonyms_never_reach_what_the_user_may_not_see(world):
    for query in ("户口", "身份证号码", "公民身份号码"):
        assert "重点人口户籍管控信息" not in names(
            resources_search(user=world["staff"], query=query)
        )
    high = builders.user(world["civil"], clearance=Level.L4)
    assert "重点人口户籍管控信息" in names(resources_search(user=high, query="户口"))


def test_the_coordinator_keeps_the_dictionary_and_it_is_audited(world):
    coordinator = builders.user(None, clearance=Level.L4, roles=(Role.COORDINATOR,))
    assert names(resources_search(user=world["staff"], query="参保")) == ["社会保险参保信息"]
    assert names(resources_search(user=world["staff"], query="投保")) == []
    group = synonym_group_create(actor=coordinator, terms=["投保", " 参保 "])
    # The cached dictionary was dropped: the next search knows the group.
    assert names(resources_search(user=world["staff"], query="投保")) == ["社会保险参保信息"]
    assert list(group.terms.values_list("term", flat=True)) == ["投保", "参保"]
    synonym_group_update(actor=coordinator, group=group, terms=["承保", "参保"])
    assert names(resources_search(user=world["staff"], query="投保")) == []
    assert names(resources_search(user=world["staff"], query="承保")) == ["社会保险参保信息"]
    synonym_group_delete(actor=coordinator, group=group)
    assert names(resources_search(user=world["staff"], query="承保")) == []
    events = AuditEvent.objects.filter(action__startswith="synonyms.").order_by("sequence")
    assert [e.action for e in events] == ["synonyms.create", "synonyms.update", "synonyms.delete"]
    assert events[1].details["before"] == ["投保", "参保"]
    assert events[1].details["terms"] == ["承保", "参保"]
    assert events[0].actor_id == coordinator.pk


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        (["社区矫正"], "至少需要两个不同的词语"),
        (["社区矫正", "社区矫正", "ＳＱＪＺ".lower()], None),  # valid: two distinct after folding
        (["社区矫正", " "], "不能为空"),
        (["社区矫正", "社保"], "已在其他词组中：社保"),  # 社保 is seeded
        (["社区矫正", "社区 矫正"], "不是一个词"),
        (["社区矫正", "矫" * 31], "超过 30 个字符"),
    ],
)
def test_bad_groups_are_refused_and_change_nothing(world, terms, message):
    # The messages are checked in Chinese, the portal's default language.
    coordinator = builders.user(None, clearance=Level.L4, roles=(Role.COORDINATOR,))
    before = list(SynonymTerm.objects.order_by("pk").values_list("group_id", "term"))
    if message is None:
        synonym_group_create(actor=coordinator, terms=terms)
        assert synonyms.dictionary().group_of("sqjz") == ("社区矫正", "sqjz")
        return
    with pytest.raises(ValidationError) as raised:
        synonym_group_create(actor=coordinator, terms=terms)
    assert message in " ".join(raised.value.messages)
    assert list(SynonymTerm.objects.order_by("pk").values_list("group_id", "term")) == before
    assert not AuditEvent.objects.filter(action__startswith="synonyms.").exists()


def test_an_update_may_not_take_a_term_of_another_group(world):
    coordinator = builders.user(None, clearance=Level.L4, roles=(Role.COORDINATOR,))
    group = SynonymTerm.objects.get(term="低保").group
    with pytest.raises(ValidationError, match="社保"):
        synonym_group_update(actor=coordinator, group=group, terms=["低保", "社保"])
    assert synonyms.dictionary().group_of("低保") == ("低保", "最低生活保障")


def test_only_the_coordinator_changes_the_dictionary(world):
    editor = builders.user(world["civil"], clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR))
    with pytest.raises(PermissionDenied):
        synonym_group_create(actor=editor, terms=["甲", "乙"])
    group = SynonymGroup.objects.first()
    with pytest.raises(PermissionDenied):
        synonym_group_delete(actor=world["staff"], group=group)
    assert SynonymGroup.objects.filter(pk=group.pk).exists()


def test_the_synonym_screen(client, world):
    coordinator = builders.user(None, clearance=Level.L4, roles=(Role.COORDINATOR,))
    for outsider in (world["staff"], builders.user(world["civil"], roles=(Role.EDITOR,))):
        login(client, outsider)
        assert client.get(reverse("catalog:synonym_list")).status_code == 403
        response = client.post(reverse("catalog:synonym_create"), {"terms": "甲乙/丙丁"})
        assert response.status_code == 403
    assert not SynonymTerm.objects.filter(term="甲乙").exists()

    client.logout()
    verified_login(client, coordinator)
    page = client.get(reverse("catalog:synonym_list"), {"q": "社保"})
    assert page.status_code == 200
    listed = [[t.term for t in g.terms.all()] for g in page.context["page_obj"]]
    assert ["社保", "社会保险"] in listed
    assert all(any("社保" in t for t in terms) for terms in listed)
    # One word only: the form shows the error, nothing is written.
    response = client.post(reverse("catalog:synonym_create"), {"terms": "投保"})
    assert response.status_code == 200
    assert "至少需要两个不同的词语" in response.content.decode()
    response = client.post(reverse("catalog:synonym_create"), {"terms": "投保、参保\n保险登记"})
    assert response.status_code == 302
    group = SynonymTerm.objects.get(term="投保").group
    edit = reverse("catalog:synonym_edit", args=[group.pk])
    assert "投保 / 参保 / 保险登记" in client.get(edit).content.decode()
    response = client.post(edit, {"terms": "投保 / 社保"})  # 社保 belongs to another group
    assert "已在其他词组中" in response.content.decode()
    assert client.post(edit, {"terms": "投保 / 参保"}).status_code == 302
    assert synonyms.dictionary().group_of("参保") == ("投保", "参保")
    delete = reverse("catalog:synonym_delete", args=[group.pk])
    assert client.get(delete).status_code == 405
    # Deleting names the group as the page showed it: stale or missing, nothing is deleted.
    assert client.post(delete).status_code == 302
    assert client.post(delete, {"seen": "投保 / 参保 / 保险登记"}).status_code == 302
    assert SynonymGroup.objects.filter(pk=group.pk).exists()
    listed = client.get(reverse("catalog:synonym_list"), {"q": "投保"}).content.decode()
    assert 'name="seen" value="投保 / 参保"' in listed
    assert client.post(delete, {"seen": "投保 / 参保"}).status_code == 302
    assert not SynonymGroup.objects.filter(pk=group.pk).exists()
    assert AuditEvent.objects.filter(action="synonyms.delete").count() == 1


# --- 2. items, direct hits -----------------------------------------------------------------


def test_the_result_says_which_data_item_matched(client, world):
    login(client, world["staff"])
    response = client.get(reverse("catalog:search"), {"q": "身份证号码"})
    listed = list(response.context["resources"])
    assert [r.name for r in listed] == ["人口基础信息"]
    assert listed[0].matched_items == ["公民身份号码"]
    html = response.content.decode()
    assert "<mark>公民身份号码</mark>" in html
    # Item definitions follow the entry: an L1 viewer finds it by its L2 item's name too, but
    # never an entry whose scope keeps it from them (the L4 "cleared" one holds the same item).
    low = builders.user(world["civil"], clearance=Level.L1)
    login(client, low)
    response = client.get(reverse("catalog:search"), {"q": "身份证号码"})
    assert [r.name for r in response.context["resources"]] == ["人口基础信息"]


def test_an_exact_code_or_uscc_goes_straight_to_its_page(client, world):
    login(client, world["staff"])
    people = Resource.objects.get(pk=world["people"].pk)
    response = client.get(reverse("catalog:search"), {"q": f" {people.code} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:resource_detail", args=[people.pk])
    response = client.get(reverse("catalog:search"), {"q": world["police"].uscc.lower()})
    assert response["Location"] == reverse("catalog:department_detail", args=[world["police"].pk])
    # A code the user may not see is not a target: the search answers as for any text.
    secret = Resource.objects.get(pk=world["secret"].pk)
    response = client.get(reverse("catalog:search"), {"q": secret.code})
    assert response.status_code == 200
    assert list(response.context["resources"]) == []


# --- 3. type-ahead and "did you mean" --------------------------------------------------------


def test_suggestions_stay_within_what_the_user_may_see(world):
    kinds = {(s.kind, s.label) for s in search_suggestions(user=world["staff"], query="户籍")}
    assert ("resource", "户籍迁移记录") in kinds
    assert ("resource", "重点人口户籍管控信息") not in kinds
    assert ("term", "户籍登记") in kinds
    found = {(s.kind, s.label) for s in search_suggestions(user=world["staff"], query="公安")}
    assert ("provider", "A市公安局") in found
    found = {(s.kind, s.label) for s in search_suggestions(user=world["staff"], query="人口")}
    assert ("category", "人口") in found
    # A provider whose only resources the user may not see is not suggested.
    hidden = builders.department("A市国家安全局")
    builders.resource(
        hidden,
        name="国安专项信息",
        level=Level.L4,
        catalog_scope="cleared",
        catalog_scope_reason="国家安全",
    )
    assert search_suggestions(user=world["staff"], query="国家安全") == []
    assert search_suggestions(user=world["staff"], query="  ") == []


def test_the_suggestion_endpoint(client, world, django_assert_num_queries):
    assert client.get(reverse("catalog:search_suggest"), {"q": "户籍"}).status_code == 302
    login(client, world["staff"])
    synonyms.dictionary()  # cached, as every request but one a minute finds it
    # session, user, roles; resources, providers, categories.
    with django_assert_num_queries(6):
        response = client.get(reverse("catalog:search_suggest"), {"q": "户籍"})
    data = json.loads(response.content)
    labels = {s["label"]: s for s in data["suggestions"]}
    assert labels["户籍迁移记录"]["url"] == reverse(
        "catalog:resource_detail", args=[world["move"].pk]
    )
    assert labels["户籍登记"]["url"].startswith(reverse("catalog:search") + "?q=")
    assert "重点人口户籍管控信息" not in labels


def test_did_you_mean_offers_a_near_miss(client, world):
    assert did_you_mean(user=world["staff"], query="社宝") == "社保"  # a wrong character
    assert did_you_mean(user=world["staff"], query="人口基出信息") == "人口基础信息"
    assert did_you_mean(user=world["staff"], query="人口基础信息") == ""
    # Never a name the user may not see.
    assert did_you_mean(user=world["staff"], query="重点人口户籍管控信") == ""
    login(client, world["staff"])
    response = client.get(reverse("catalog:search"), {"q": "社宝"})
    assert list(response.context["resources"]) == []
    assert response.context["did_you_mean"] == "社保"
    assert f"{reverse('catalog:search')}?q=%E7%A4%BE%E4%BF%9D" in response.content.decode()


# --- 4. highlighting and the pinyin order ----------------------------------------------------


def test_highlighting_escapes_first_then_marks():
    assert highlight("人口基础信息", ["人口"]) == "<mark>人口</mark>基础信息"
    assert highlight("<b>人口</b> & amp", ["人口", "amp", "b"]) == (
        "&lt;<mark>b</mark>&gt;<mark>人口</mark>&lt;/<mark>b</mark>&gt; &amp; <mark>amp</mark>"
    )
    assert highlight("人口", []) == "人口"


def test_results_mark_the_matched_words_and_synonyms(client, world):
    login(client, world["staff"])
    html = client.get(reverse("catalog:search"), {"q": "户口"}).content.decode()
    assert "<mark>户籍</mark>迁移记录" in html


def test_the_name_order_follows_pinyin(client, world):
    login(client, world["staff"])
    response = client.get(reverse("catalog:resource_list"), {"sort": "name"})
    listed = [r.name for r in response.context["resources"]]
    # hu(户) < ren(人) < she(社) < shi(市) < zui(最)
    assert listed == [
        "户籍迁移记录",
        "人口基础信息",
        "社会保险参保信息",
        "市场主体登记信息",
        "最低生活保障对象信息",
    ]


def test_the_api_searches_as_the_portal_does(world):
    """``?search=`` on the resource list matches with the catalog's search: synonyms, words in
    any order, data item names; never an entry the caller may not see."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {builders.api_key(world['staff'], name='t', days=1)}"
    )

    def found(text: str) -> list[str]:
        response = api.get("/api/v1/resources/", {"search": text})
        assert response.status_code == 200
        return sorted(r["name"] for r in response.json()["results"])

    assert found("户口") == ["人口基础信息", "户籍迁移记录"]
    assert found("迁移户籍") == ["户籍迁移记录"]
    assert found("身份证") == ["人口基础信息"]  # its item 公民身份号码, through the synonym group
    assert found("管控") == []  # the L4 entry shown only to those cleared
