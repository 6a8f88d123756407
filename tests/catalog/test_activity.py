"""A resource's activity: its change history, seen by exactly those who see its catalog entry.

One world is built per module (rolled back at the end): a resource taken through registration,
review, a return, publication, edits (one raising its level), a scope change and back, and a
new data version; a second one retired; a third whose entry only its provider sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Level, Role, User
from catalog import selectors, services
from catalog.models import Resource
from datasets import services as data_services
from sharing.models import Notification
from sharing.services.follows import resource_follow
from tests import builders

from .helpers import MODEL_BACKEND

pytestmark = pytest.mark.django_db


@dataclass
class World:
    users: dict[str, User]
    main: Resource
    retired: Resource
    hidden: Resource
    clients: dict[str, Client]
    api: dict[str, APIClient]


def _items(resource: Resource, **changes) -> list[dict]:
    items = [
        {f: getattr(i, f) for f in services.ITEM_FIELDS}
        for i in resource.items.order_by("position")
    ]
    for item in items:
        item.update(changes.get(item["name"], {}))
    return items


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        provider = builders.department("活动户籍局")
        bureau = builders.department("活动数据局")
        other = builders.department("活动民政局")
        users = {
            "editor": builders.user(
                provider, clearance=Level.L4, roles=(Role.STAFF, Role.EDITOR), username="act_ed"
            ),
            "provider_staff": builders.user(provider, clearance=Level.L1, username="act_ps"),
            "coordinator": builders.user(
                bureau, clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR), username="act_co"
            ),
            "other_l4": builders.user(other, clearance=Level.L4, username="act_o4"),
            "other_l1": builders.user(other, clearance=Level.L1, username="act_o1"),
            "auditor": builders.user(
                other, clearance=Level.L4, roles=(Role.AUDIT_ADMIN,), username="act_au"
            ),
        }
        editor, coordinator = users["editor"], users["coordinator"]
        main = builders.resource(
            provider,
            level=Level.L1,
            status="draft",
            name="活动测试资源",
            items=[builders.item("编号", level=1, is_key=True), builders.item("名称", level=1)],
        )
        main = services.resource_submit(actor=editor, resource=main)
        main = services.resource_return(
            actor=coordinator, resource=main, comment="内部意见：补充摘要"
        )
        main = services.resource_submit(actor=editor, resource=main)
        main = services.resource_publish(actor=coordinator, resource=main)
        resource_follow(actor=users["other_l4"], resource=main)
        resource_follow(actor=users["other_l1"], resource=main)
        main = services.resource_update(
            actor=editor, resource=main, name="活动测试资源（新）", change_note="更名"
        )
        main = services.resource_update(
            actor=editor,
            resource=main,
            level=Level.L3,
            items=[*_items(main, 名称={"level": 3}), builders.item("住址", level=3)],
            change_note="升级并增加住址",
        )
        services.resource_scope_set(
            actor=coordinator, resource=main, scope="cleared", reason="活动测试：暂时收窄"
        )
        main = services.resource_scope_set(actor=coordinator, resource=main, scope="departments")
        data_services.dataset_push(
            actor=editor,
            resource=main,
            rows=[
                {"编号": "A1", "名称": "甲", "住址": "一路"},
                {"编号": "A2", "名称": "乙", "住址": "二路"},
            ],
            mode="replace",
            batch_id="activity-1",
        )
        retired = builders.resource(provider, name="活动下架资源")
        retired = services.resource_retire(
            actor=editor, resource=retired, reason="数据已并入新资源"
        )
        hidden = builders.resource(provider, name="活动隐藏资源", catalog_scope="provider")
        clients, api = {}, {}
        for key, user in users.items():
            clients[key] = Client()
            clients[key].force_login(user, backend=MODEL_BACKEND)
            api[key] = APIClient()
            api[key].force_login(user, backend=MODEL_BACKEND)
        yield World(users, main, retired, hidden, clients, api)
        transaction.set_rollback(True)


def _page(world: World, who: str, resource: Resource):
    return world.clients[who].get(reverse("catalog:resource_activity", args=[resource.pk]))


def _api(world: World, who: str, resource: Resource):
    return world.api[who].get(f"/api/v1/resources/{resource.pk}/activity/")


def test_the_owner_sees_the_whole_timeline_newest_first_with_who(world):
    response = _page(world, "editor", world.main)
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e.action for e in entries] == [
        "data.push",
        "resource.scope",
        "resource.scope",
        "resource.update",
        "resource.update",
        "resource.publish",
        "resource.submit",
        "resource.return",
        "resource.submit",
        "resource.create",
    ]
    data, back, narrowed, raised, renamed, published = entries[:6]
    assert "2" in data.summary and "1" in data.summary  # data version 1, 2 rows
    assert data.actor == "act_ed" and data.department == "活动户籍局"
    assert "活动测试：暂时收窄" in " ".join(narrowed.lines)
    assert back.actor == "act_co" and back.department == "活动数据局"
    assert raised.version == 3 and "升级并增加住址" in raised.lines
    level = str(Resource._meta.get_field("level").verbose_name)
    assert {c.label: (c.before, c.after) for c in raised.diff.fields}[level] == (
        Level.L1.label,
        Level.L3.label,
    )
    assert raised.diff.items_added == ["住址"]
    assert renamed.version == 2 and renamed.diff.fields[0].after == "活动测试资源（新）"
    assert world.main.code in published.summary
    assert "内部意见：补充摘要" in " ".join(entries[7].lines)  # the review comment, for insiders
    body = response.content.decode()
    assert "act_ed" in body and "act_co" in body
    assert reverse("catalog:resource_activity", args=[world.main.pk]) in _detail(world, "editor")


def _detail(world: World, who: str) -> str:
    return (
        world.clients[who]
        .get(reverse("catalog:resource_detail", args=[world.main.pk]))
        .content.decode()
    )


def test_the_coordinator_sees_who_too(world):
    entries = _page(world, "coordinator", world.main).context["entries"]
    assert len(entries) == 10
    assert {e.actor for e in entries} == {"act_ed", "act_co", ""}  # "": the builder's system step


@pytest.mark.parametrize("who", ["other_l4", "auditor"])
def test_other_departments_see_departments_but_no_staff_and_no_review_comment(world, who):
    response = _page(world, who, world.main)
    assert response.status_code == 200
    entries = response.context["entries"]
    assert len(entries) == 10
    assert {e.actor for e in entries} == {None}
    assert {e.department for e in entries} == {"活动户籍局", "活动数据局", ""}
    body = response.content.decode()
    for secret in ("act_ed", "act_co", "内部意见"):
        assert secret not in body
    assert "活动测试：暂时收窄" in body  # the scope's reason is on the entry itself anyway


def test_lower_clearance_misses_the_edit_whose_version_is_above_it(world):
    entries = _page(world, "other_l1", world.main).context["entries"]
    updates = [e for e in entries if e.action == "resource.update"]
    assert [e.version for e in updates] == [2]  # version 3 (level 3) is absent
    body = _page(world, "other_l1", world.main).content.decode()
    assert "住址" not in body and "升级并增加住址" not in body
    # Its own department's staff below the level: same rule, but they learn who acted.
    own = _page(world, "provider_staff", world.main).context["entries"]
    assert [e.version for e in own if e.action == "resource.update"] == [2]
    assert "act_ed" in {e.actor for e in own}


def test_who_may_not_see_the_entry_gets_404_on_page_and_api(world, client):
    assert _page(world, "other_l4", world.retired).status_code == 404  # retired: not theirs
    assert _api(world, "other_l4", world.retired).status_code == 404
    assert _page(world, "other_l4", world.hidden).status_code == 404  # scope "provider"
    assert _api(world, "other_l4", world.hidden).status_code == 404
    assert _page(world, "other_l1", world.hidden).status_code == 404
    # The coordinator sees both, the retirement with its reason.
    retired = _page(world, "coordinator", world.retired).context["entries"]
    assert retired[0].action == "resource.retire" and retired[0].lines == ["理由：数据已并入新资源"]
    assert _page(world, "editor", world.hidden).status_code == 200
    anonymous = client.get(reverse("catalog:resource_activity", args=[world.main.pk]))
    assert anonymous.status_code == 302
    assert APIClient().get(f"/api/v1/resources/{world.main.pk}/activity/").status_code in (401, 403)


@pytest.mark.parametrize("who", ["editor", "other_l4", "other_l1", "auditor"])
def test_the_api_says_what_the_page_says(world, who):
    page = _page(world, who, world.main).context["entries"]
    response = _api(world, who, world.main)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["id"], r["action"], r["summary"], r["actor"], r["department"]) for r in results] == [
        (e.id, e.action, e.summary, e.actor, e.department) for e in page
    ]
    assert response.json()["next"] is None


def test_the_api_pages_by_cursor(world):
    first = world.api["editor"].get(
        f"/api/v1/resources/{world.main.pk}/activity/", {"page_size": 4}
    )
    ids = [r["id"] for r in first.json()["results"]]
    second = world.api["editor"].get(first.json()["next"])
    more = [r["id"] for r in second.json()["results"]]
    assert len(ids) == 4 and len(more) == 4 and ids[-1] > more[0]


# The same for a page of 10 events as for a full page of 30 edits with their diffs: the page's
# versions, their snapshots and the related codes are read once per page, never per event.
PAGE_QUERIES = 10
API_QUERIES = 8


def test_the_page_query_count_does_not_grow_with_the_events(world, django_assert_num_queries):
    client, url = (
        world.clients["other_l4"],
        reverse("catalog:resource_activity", args=[world.main.pk]),
    )
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _api(world, "other_l4", world.main)
    with CaptureQueriesContext(connection) as api_few:
        assert len(_api(world, "other_l4", world.main).json()["results"]) == 10
    for n in range(25):
        services.resource_update(
            actor=world.users["editor"], resource=world.main, summary=f"摘要第{n}次"
        )
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert len(response.context["entries"]) == 30  # a full page of edits with their diffs
    assert len(few.captured_queries) == PAGE_QUERIES
    with django_assert_num_queries(API_QUERIES):
        assert len(_api(world, "other_l4", world.main).json()["results"]) == 35
    assert len(api_few.captured_queries) == API_QUERIES


def test_raising_the_level_and_changing_the_scope_tell_followers(world):
    kinds = list(
        Notification.objects.filter(
            recipient=world.users["other_l4"], kind=Notification.Kind.RESOURCE_CHANGED
        ).values_list("params", flat=True)
    )
    # The edit that raised the level also added an item: one notice says both.
    assert sorted(p["change"] for p in kinds) == ["items_level", "scope", "scope"]
    # The L1 follower still sees the entry (scope "departments") and hears of the level change;
    # while the scope was "cleared" the entry was not theirs, so that change was not told.
    low = sorted(
        p["change"]
        for p in Notification.objects.filter(
            recipient=world.users["other_l1"], kind=Notification.Kind.RESOURCE_CHANGED
        ).values_list("params", flat=True)
    )
    assert low == ["items_level", "scope"]
    assert "活动测试资源" in str(
        Notification.objects.filter(recipient=world.users["other_l4"], params__change="scope")
        .first()
        .text
    )


def test_the_selector_is_empty_for_who_may_not_see(world):
    assert not selectors.resource_activity_events(
        user=world.users["other_l4"], resource=world.hidden
    ).exists()


def test_raising_the_level_alone_tells_followers_it_changed(world):
    main = Resource.objects.get(pk=world.main.pk)
    services.resource_update(actor=world.users["editor"], resource=main, level=Level.L4)
    told = Notification.objects.filter(
        recipient=world.users["other_l4"], params__change="level"
    ).first()
    assert told is not None and "分级有变更" in told.text
    entries = _page(world, "other_l4", world.main).context["entries"]
    assert entries[0].action == "resource.update" and entries[0].version == 4
    level = str(Resource._meta.get_field("level").verbose_name)
    assert [c.label for c in entries[0].diff.fields] == [level]
    # The L1 reader still sees the entry, but not this version above their clearance.
    low = _page(world, "other_l1", world.main).context["entries"]
    assert 4 not in [e.version for e in low]
