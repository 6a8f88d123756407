"""Conflicts between departments through the API, and the notices a comparison sends.

The police's 人口基础信息 (L2, authoritative) and civil affairs' 婚姻登记信息 (L3) are linked on
姓名; the first comparison finds one conflict (tests/accountability/test_consistency.py).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accountability import services
from audit.models import AuditEvent
from sharing.models import Notification
from tests import builders
from tests.accountability.test_consistency import (  # noqa: F401 - fixtures
    POLICE,
    _immediate_tasks,
    _push,
    citizen_id,
    world,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/conflicts/"


@pytest.fixture
def linked(world):  # noqa: F811 - the consistency tests' linked pair
    return world


def _get(user, path: str, **params):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {builders.api_key(user, scopes=('read',))}")
    return client.get(path, params)


def test_each_owner_sees_its_side_of_the_link(linked):
    users, population, marriage, link = linked
    police = _get(users["police_editor"], API)
    assert police.status_code == 200
    [entry] = police.json()["results"]
    assert entry["id"] == link.pk
    assert entry["side"] == "left" and entry["authoritative"] is True
    assert entry["own"] == {
        "resource": population.pk,
        "resource_name": "人口基础信息",
        "key": "公民身份号码",
        "item": "姓名",
    }
    assert entry["other"] == {
        "department": "市民政局",
        "resource_name": "婚姻登记信息",
        "item": "姓名",
    }
    assert entry["last_comparison"]["conflicts"] == 1
    assert entry["last_comparison"]["conflict_rate"] == pytest.approx(33.33)

    [civil] = _get(users["civil_editor"], API).json()["results"]
    assert civil["side"] == "right" and civil["authoritative"] is False
    assert civil["own"]["resource"] == marriage.pk
    assert _get(users["civil_editor"], f"{API}{link.pk}/").json() == civil


@pytest.mark.parametrize(
    "user_key",
    [
        "third_staff_4",  # a department on no side of the link
        "civil_staff_2",  # an owner's user below its resource's level
        "coordinator",  # links every pair, owns none: the coordinator's report is the portal's
    ],
)
def test_who_owns_no_visible_side_sees_nothing(linked, user_key):
    users, _population, _marriage, link = linked
    user = users[user_key]
    assert _get(user, API).json()["results"] == []
    for path in (f"{API}{link.pk}/", f"{API}{link.pk}/rows/"):
        answer = _get(user, path)
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found"
    assert not AuditEvent.objects.filter(action="item_link.conflicts_view").exists()


def test_rows_are_masked_and_within_clearance_and_audited(linked):
    users, _population, _marriage, link = linked
    answer = _get(users["police_editor"], f"{API}{link.pk}/rows/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["link"] == link.pk and body["comparison"] == link.last_run_id
    [row] = body["results"]
    assert row["own_value"] == "居民4" and row["other_value"] == "居民四"
    assert row["key"] != citizen_id(4) and "*" in row["key"]
    assert citizen_id(4) not in answer.content.decode()
    event = AuditEvent.objects.get(action="item_link.conflicts_view")
    assert event.actor_id == users["police_editor"].pk

    # Cleared for the police's own resource (L2), not for the civil-affairs one (L3).
    below = _get(users["police_staff_2"], f"{API}{link.pk}/rows/").json()
    assert below["own_values_shown"] is True and below["other_values_shown"] is False
    assert below["results"][0]["own_value"] == "居民4"
    assert below["results"][0]["other_value"] is None
    assert "居民四" not in str(below)


def test_filters(linked):
    users, population, _marriage, link = linked
    editor = users["civil_editor"]
    assert [e["id"] for e in _get(editor, API, conflicts="true").json()["results"]] == [link.pk]
    assert _get(editor, API, conflicts="false").json()["results"] == []
    assert len(_get(editor, API, resource=population.pk).json()["results"]) == 1
    assert _get(editor, API, resource=999999).json()["results"] == []
    bad = _get(editor, API, conflicts="perhaps")
    assert bad.status_code == 400
    assert "conflicts" in bad.json()["error"]["fields"]


def _notices() -> list[tuple[int, str]]:
    return sorted(
        (n.recipient_id, n.params["conflicts"])
        for n in Notification.objects.filter(kind=Notification.Kind.CONFLICTS_FOUND)
    )


def test_new_or_more_conflicts_notify_both_owners_once(linked, django_capture_on_commit_callbacks):
    users, population, _marriage, link = linked
    editors = sorted([users["police_editor"].pk, users["civil_editor"].pk])
    # The first comparison found one conflict: each owner's editor is told once; staff without
    # a catalog role, other departments and the coordinator are not.
    assert _notices() == [(pk, "1") for pk in editors]
    notice = Notification.objects.filter(
        kind=Notification.Kind.CONFLICTS_FOUND, recipient=users["civil_editor"]
    ).get()
    assert "婚姻登记信息" in notice.text and "市公安局" in notice.text
    assert "人口基础信息" not in notice.text  # the other side's resource is not named
    assert notice.url == f"/accountability/conflicts/{link.pk}/"

    # The same conflicts compared again: nothing new to tell.
    with django_capture_on_commit_callbacks(execute=True):
        services.comparison_request(actor=users["coordinator"], link=link)
    assert len(_notices()) == 2

    # One more conflict (person 3's name differs now): told again, once a person.
    with django_capture_on_commit_callbacks(execute=True):
        _push(users["police_editor"], population, {**POLICE, 3: "居民三"}, "p2")
    assert _notices() == sorted([*[(pk, "1") for pk in editors], *[(pk, "2") for pk in editors]])


def test_the_list_reads_in_pinned_queries(linked, django_assert_num_queries):
    users, population, marriage, _link = linked
    # A second link, to a third resource of the civil-affairs side: the page does not grow.
    other = builders.resource(
        marriage.provider, name="户籍迁移信息", level=2, items=[builders.item("姓名")]
    )
    services.ItemLink.objects.create(
        left_resource=population,
        left_key=population.items.get(name="公民身份号码"),
        left_item=population.items.get(name="姓名"),
        right_resource=other,
        right_key=other.items.get(name="姓名"),
        right_item=other.items.get(name="姓名"),
    )
    key = builders.api_key(users["police_editor"], scopes=("read",))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # The token (user and department joined), the token's last use, the page (both sides,
    # their departments and last comparison joined), and the page's data items in one query.
    with django_assert_num_queries(4):
        answer = client.get(API)
    assert len(answer.json()["results"]) == 2


def test_the_other_side_is_named_only_to_who_may_see_its_entry(linked, client):
    """An entry whose catalog scope is ``cleared`` is unknown below its level: a conflict list
    shows that another department holds the data, never that entry's name or items."""
    users, _population, marriage, link = linked
    marriage.catalog_scope = "cleared"
    marriage.catalog_scope_reason = "测试：目录本身敏感"
    marriage.save(update_fields=["catalog_scope", "catalog_scope_reason"])
    below, cleared = users["police_staff_2"], users["police_staff_3"]
    [entry] = _get(below, API).json()["results"]
    assert entry["other"] == {"department": "市民政局", "resource_name": None, "item": None}
    assert "婚姻登记信息" not in str(_get(below, f"{API}{link.pk}/").json())
    [entry] = _get(cleared, API).json()["results"]
    assert entry["other"]["resource_name"] == "婚姻登记信息"
    for name in ("conflicts", "conflict_detail"):
        args = [link.pk] if name == "conflict_detail" else []
        url = reverse(f"accountability:{name}", args=args)
        client.force_login(below)
        body = client.get(url).content.decode()
        assert "市民政局" in body and "婚姻登记信息" not in body, name
        client.force_login(cleared)
        assert "婚姻登记信息" in client.get(url).content.decode(), name


def test_a_provider_scope_entry_shows_no_value_to_a_cleared_member(linked):
    """A ``provider`` entry reaches nobody outside its department but the coordinator: a member
    of the other side cleared above its level sees neither its name nor its values."""
    users, _population, marriage, link = linked
    marriage.catalog_scope = "provider"
    marriage.catalog_scope_reason = "测试：目录本身敏感"
    marriage.save(update_fields=["catalog_scope", "catalog_scope_reason"])
    editor = users["police_editor"]  # L4: cleared for the L3 entry, not admitted by its scope
    [entry] = _get(editor, API).json()["results"]
    assert entry["other"]["resource_name"] is None
    rows = _get(editor, f"{API}{link.pk}/rows/").json()
    assert rows["own_values_shown"] is True and rows["other_values_shown"] is False
    assert rows["results"][0]["other_value"] is None and "居民四" not in str(rows)
