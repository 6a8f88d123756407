"""Consistency across departments (数据打架 checked by values).

Two departments hold 公民身份号码 + 姓名 for the same people; the coordinator links the items and
the task worker compares the active versions in SQL. A small known pair pins every count; the
journey follows one conflict from the comparison to both owners' lists (masked, not for a third
department or a user below clearance) and on to a correction on the non-authoritative side.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from stdnum.cn import ric

from accountability import services
from accountability.comparison import Side, compare
from accountability.models import ComparisonRun, ItemLink
from accountability.periods import parse_period
from accountability.selectors.scorecards import scorecards_compute
from accounts.models import Level, Role
from audit.models import AuditEvent
from datasets import services as data_services
from datasets.models import DatasetVersion
from sharing.models import Correction
from tests import builders
from tests.api.test_data_endpoints import audit_lock_queries

pytestmark = pytest.mark.django_db


def citizen_id(serial: int) -> str:
    body = f"34010219900101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def items(level: int) -> list[dict]:
    return [
        builders.item("公民身份号码", level=Level.L1, kind="id_number", is_key=True),
        builders.item("姓名", level=level, kind="name", length=20),
    ]


# People 1-6 on the police side, 3-8 on the civil-affairs side: keys 3-6 on both. Person 4's
# name differs (a conflict), person 5's differs by spaces only (agrees once trimmed), person 6
# has no name on the civil-affairs side (a gap).
POLICE = {n: f"居民{n}" for n in range(1, 7)}
CIVIL = {**{n: f"居民{n}" for n in range(3, 9)}, 4: "居民四", 5: " 居民5 ", 6: ""}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _push(editor, resource, people: dict[int, str], batch: str) -> None:
    data_services.dataset_push(
        actor=editor,
        resource=resource,
        rows=[{"公民身份号码": citizen_id(n), "姓名": name} for n, name in people.items()],
        mode="replace",
        batch_id=batch,
    )


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    police, civil = builders.department("市公安局"), builders.department("市民政局")
    third, bureau = builders.department("市第三局"), builders.department("市数据局")
    users = {
        "coordinator": builders.user(
            bureau, clearance=Level.L4, roles=(Role.STAFF, Role.COORDINATOR)
        ),
        "police_editor": builders.user(police, clearance=4, roles=(Role.STAFF, Role.EDITOR)),
        "police_staff_3": builders.user(police, clearance=3),
        "police_staff_2": builders.user(police, clearance=2),
        "civil_editor": builders.user(civil, clearance=4, roles=(Role.STAFF, Role.EDITOR)),
        "civil_staff_2": builders.user(civil, clearance=2),
        "third_staff_4": builders.user(third, clearance=4),
    }
    population = builders.resource(
        police, name="人口基础信息", level=Level.L2, items=items(Level.L2)
    )
    marriage = builders.resource(civil, name="婚姻登记信息", level=Level.L3, items=items(Level.L3))
    _push(users["police_editor"], population, POLICE, "p1")
    _push(users["civil_editor"], marriage, CIVIL, "c1")
    with django_capture_on_commit_callbacks(execute=True):
        link = services.item_link_create(
            actor=users["coordinator"],
            left_key=population.items.get(name="公民身份号码"),
            left_item=population.items.get(name="姓名"),
            right_key=marriage.items.get(name="公民身份号码"),
            right_item=marriage.items.get(name="姓名"),
            authoritative=ItemLink.Side.LEFT,
        )
    link.refresh_from_db()
    return users, population, marriage, link


def test_counts_are_exact_on_a_small_known_pair(world):
    _users, _population, _marriage, link = world
    run = link.last_run
    assert run.status == ComparisonRun.Status.DONE
    assert (run.matched, run.agreements, run.conflicts, run.gaps) == (4, 2, 1, 1)
    assert run.conflict_rows == [[citizen_id(4), "居民4", "居民四"]]
    assert run.conflict_rate == pytest.approx(33.33)


def test_the_conflict_list_is_bounded_and_ordered_by_key(world):
    _users, population, marriage, _link = world
    versions = {
        v.resource_id: v for v in DatasetVersion.objects.filter(status=DatasetVersion.Status.ACTIVE)
    }
    left = Side(versions[population.pk].pk, 0, 1)
    right = Side(versions[marriage.pk].pk, 0, 1)
    assert compare(left, right, kept=0).conflict_rows == []
    # The police version against itself, name against ID number: all six keys conflict; the
    # list keeps the first three by key, the counts stay whole.
    counts = compare(left, Side(left.version_id, 0, 0), kept=3)
    assert (counts.matched, counts.conflicts) == (6, 6)
    assert [row[0] for row in counts.conflict_rows] == [citizen_id(n) for n in (1, 2, 3)]
    # The key against the name never matches.
    assert compare(left, Side(right.version_id, 1, 0)).matched == 0


def test_a_new_version_on_either_side_queues_a_comparison(
    world, django_capture_on_commit_callbacks
):
    users, population, _marriage, link = world
    with django_capture_on_commit_callbacks(execute=True):
        _push(users["police_editor"], population, {**POLICE, 4: "居民四"}, "p2")
    link.refresh_from_db()
    assert link.last_run.trigger == ComparisonRun.Trigger.ACTIVATION
    assert (link.last_run.agreements, link.last_run.conflicts) == (3, 0)


def _get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"accountability:{name}", args=args), params)


def test_journey_from_conflict_to_correction(client, world):
    users, _population, marriage, link = world
    masked = citizen_id(4)[:6] + "*" * 8 + citizen_id(4)[-4:]
    correct_url = reverse("accountability:conflict_correct", args=[link.pk])
    # Both owners see the conflict, masked; the whole key never appears.
    for key in ("police_editor", "civil_editor"):
        response = _get(client, users[key], "conflict_detail", link.pk)
        body = response.content.decode()
        assert response.status_code == 200, key
        assert masked in body and citizen_id(4) not in body
        assert "居民四" in body and "居民4" in body
    views = AuditEvent.objects.filter(action="item_link.conflicts_view")
    assert views.count() == 2
    # Listed on each owner's overview too.
    assert "婚姻登记信息" in _get(client, users["police_editor"], "conflicts").content.decode()
    # A third department, or a member cleared below the resource, sees nothing.
    for key in ("third_staff_4", "civil_staff_2"):
        assert _get(client, users[key], "conflict_detail", link.pk).status_code == 404, key
        assert "婚姻登记信息" not in _get(client, users[key], "conflicts").content.decode()
    # A member cleared for its own side (L2) but not for the other's (L3) sees its own values
    # only, and may not send the conflict: the correction would quote the L3 value.
    body = _get(client, users["police_staff_2"], "conflict_detail", link.pk).content.decode()
    assert masked in body and "居民4" in body and "居民四" not in body
    assert correct_url not in body
    # Only the authoritative side opens a correction; the other side has no button.
    assert (
        correct_url
        in _get(client, users["police_editor"], "conflict_detail", link.pk).content.decode()
    )
    assert (
        correct_url
        not in _get(client, users["civil_editor"], "conflict_detail", link.pk).content.decode()
    )
    client.force_login(users["civil_editor"])
    denied = client.post(reverse("accountability:conflict_correct", args=[link.pk]), {"index": 0})
    assert denied.status_code == 404
    client.force_login(users["police_staff_3"])
    response = client.post(reverse("accountability:conflict_correct", args=[link.pk]), {"index": 0})
    correction = Correction.objects.get()
    assert response.status_code == 302
    assert correction.resource == marriage and correction.item.name == "姓名"
    assert masked in correction.description and citizen_id(4) not in correction.description
    assert "居民四" in correction.description and "居民4" in correction.description
    assert AuditEvent.objects.filter(action="item_link.correction").count() == 1
    # The receiving department sees it in its corrections like any other.
    client.force_login(users["civil_editor"])
    detail = client.get(reverse("sharing:correction_detail", args=[correction.pk]))
    assert detail.status_code == 200 and masked in detail.content.decode()


def test_no_correction_from_a_filer_below_the_receiving_resource(world):
    users, _population, _marriage, link = world
    with pytest.raises(PermissionDenied):
        services.conflict_correction_open(actor=users["police_staff_2"], link=link, index=0)
    with pytest.raises(ValidationError):
        services.conflict_correction_open(actor=users["police_staff_3"], link=link, index=5)
    assert not Correction.objects.exists()


def test_only_the_coordinator_links_and_compares(world):
    users, population, marriage, link = world
    with pytest.raises(PermissionDenied):
        services.comparison_request(actor=users["police_editor"], link=link)
    with pytest.raises(PermissionDenied):
        services.item_link_delete(actor=users["civil_editor"], link=link)
    with pytest.raises(ValidationError):  # the same pair twice, either way round
        services.item_link_create(
            actor=users["coordinator"],
            left_key=marriage.items.get(name="公民身份号码"),
            left_item=marriage.items.get(name="姓名"),
            right_key=population.items.get(name="公民身份号码"),
            right_item=population.items.get(name="姓名"),
            authoritative="left",
        )
    services.item_link_delete(actor=users["coordinator"], link=link)
    assert not ItemLink.objects.exists()
    assert (
        AuditEvent.objects.filter(action__startswith="item_link.")
        .values_list("action", flat=True)
        .count()
        >= 3
    )


def test_coordinator_report_and_scorecards_use_the_conflict_rate(client, world):
    users, _population, _marriage, _link = world
    response = _get(client, users["coordinator"], "item_links")
    assert response.status_code == 200
    assert "33.33" in response.content.decode()
    for key in ("police_editor", "civil_editor", "third_staff_4"):
        assert _get(client, users[key], "item_links").status_code == 404
    cards = {
        c.department.name: c for c in scorecards_compute(max_level=4, period=parse_period("2026"))
    }
    for name in ("市公安局", "市民政局"):
        card = cards[name]
        assert (card.values_agreeing, card.values_conflicting) == (2, 1)
        assert card.scores["consistency"] == pytest.approx(66.7)
    assert cards["市第三局"].scores["consistency"] is None
    # Below the items' level the link is not counted at all.
    low = {
        c.department.name: c for c in scorecards_compute(max_level=2, period=parse_period("2026"))
    }
    assert low["市公安局"].scores["consistency"] is None


def test_the_duplicate_report_suggests_the_pair_until_it_is_linked(client, world):
    users, population, marriage, link = world
    body = _get(client, users["coordinator"], "item_links").content.decode()
    assert "?left=" not in body  # linked already: no suggestion
    services.item_link_delete(actor=users["coordinator"], link=link)
    body = _get(client, users["coordinator"], "item_links").content.decode()
    left, right = population.items.get(name="姓名"), marriage.items.get(name="姓名")
    assert f"left={left.pk}" in body or f"left={right.pk}" in body
    new = _get(client, users["coordinator"], "item_link_new", left=left.pk, right=right.pk)
    assert new.status_code == 200
    client.force_login(users["coordinator"])
    created = client.post(
        reverse("accountability:item_link_new") + f"?left={left.pk}&right={right.pk}",
        {
            "left_key": population.items.get(name="公民身份号码").pk,
            "left_item": left.pk,
            "right_key": marriage.items.get(name="公民身份号码").pk,
            "right_item": right.pk,
            "authoritative": "right",
        },
    )
    assert created.status_code == 302
    assert ItemLink.objects.get().authoritative == "right"


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_link_pages_do_not_grow_with_links(client, world):
    users, population, marriage, link = world
    pages = {
        "coordinator": [reverse("accountability:item_links")],
        "police_editor": [
            reverse("accountability:conflicts"),
            reverse("accountability:conflict_detail", args=[link.pk]),
        ],
    }
    before = {}
    for key, urls in pages.items():
        client.force_login(users[key])
        before.update({url: _queries(client, url) for url in urls})
    for n in range(3):
        a = builders.resource(population.provider, name=f"人口{n}", level=2, items=items(2))
        b = builders.resource(marriage.provider, name=f"婚姻{n}", level=3, items=items(3))
        services.item_link_create(
            actor=users["coordinator"],
            left_key=a.items.get(name="公民身份号码"),
            left_item=a.items.get(name="姓名"),
            right_key=b.items.get(name="公民身份号码"),
            right_item=b.items.get(name="姓名"),
            authoritative=ItemLink.Side.RIGHT,
        )
    after = {}
    for key, urls in pages.items():
        client.force_login(users[key])
        after.update({url: _queries(client, url) for url in urls})
    assert after == before


def test_the_conflict_list_reads_in_pinned_queries(world, django_assert_num_queries):
    from accountability.selectors.links import conflict_link_get, conflict_list

    users, _population, _marriage, link = world
    with django_assert_num_queries(1):
        link = conflict_link_get(user=users["civil_editor"], pk=link.pk)
    # The audit record's queries only (four on SQLite, one call on PostgreSQL): the rows are
    # the last run's, read with the link.
    with django_assert_num_queries(4 + audit_lock_queries()):
        listing = conflict_list(user=users["civil_editor"], link=link, start=0, stop=50)
    assert [row.key for row in listing.rows] == [
        citizen_id(4)[:6] + "********" + citizen_id(4)[-4:]
    ]


def test_the_link_buttons_are_the_coordinators_and_post_only(client, world):
    users, _population, _marriage, link = world
    compare = reverse("accountability:item_link_compare", args=[link.pk])
    delete = reverse("accountability:item_link_delete", args=[link.pk])
    client.force_login(users["police_editor"])  # an owner, not the coordinator
    assert client.post(compare).status_code == 404
    assert client.post(delete).status_code == 404
    client.force_login(users["coordinator"])
    assert client.get(compare).status_code == 404 and client.get(delete).status_code == 404
    assert ItemLink.objects.filter(pk=link.pk).exists()
    assert not link.runs.filter(status=ComparisonRun.Status.QUEUED).exists()

    response = client.post(compare)
    assert response.status_code == 302 and response.url == reverse("accountability:item_links")
    assert link.runs.filter(status=ComparisonRun.Status.QUEUED).count() == 1
    response = client.post(delete)
    assert response.status_code == 302 and response.url == reverse("accountability:item_links")
    assert not ItemLink.objects.filter(pk=link.pk).exists()


def test_a_coordinator_below_an_items_level_sees_no_link_of_it(client, world):
    users, _population, marriage, link = world
    from accountability.selectors.links import item_link_get, item_links_for

    low = builders.user(
        users["coordinator"].department, clearance=Level.L2, roles=(Role.STAFF, Role.COORDINATOR)
    )
    assert list(item_links_for(user=users["coordinator"])) == [link]
    # The link's right side is an L3 resource with L3 items: nothing of it at L2.
    assert list(item_links_for(user=low)) == []
    with pytest.raises(ItemLink.DoesNotExist):
        item_link_get(user=low, pk=link.pk)
    body = _get(client, low, "item_links").content.decode()
    assert "婚姻登记信息" not in body
    # Only one item above the clearance is enough: the resources L2, the compared item L3.
    marriage.level = Level.L2
    marriage.save(update_fields=["level"])
    marriage.items.filter(name="公民身份号码").update(level=Level.L2)
    assert list(item_links_for(user=low)) == []
    marriage.items.update(level=Level.L2)
    assert list(item_links_for(user=low)) == [link]
