"""The home page's "My work": each role sees the queues it has, and only those, with their
counts, their first five rows and a link to the whole queue; the queries do not grow with them.

Written against the access matrix (tests/access_matrix.py) and the requests of the sharing
world (tests/sharing/conftest.py): three requests to the provider department "prov", at
levels 1 (r_cons_1), 4 (r_cons_4) and 2 (r_other_2, whose resource is delegated for decision
to cons_delegate_3); the matrix's grants in force end within 30 days.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from catalog import services as catalog_services
from catalog.policies import forget_delegations
from portal.work import TOP, WORK_QUEUES, my_work
from sharing import services
from sharing.models import Notification, RequestStatus

from .. import builders
from .conftest import submit

pytestmark = pytest.mark.django_db

ALL_QUEUES = {queue.key for queue in WORK_QUEUES}


def _home(client, user) -> dict[str, dict]:
    """Return queue key -> {"count", "titles", "url"} as the user's home page shows them."""
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    shown = {}
    for summary in [*response.context["busy_queues"], *response.context["quiet_queues"]]:
        shown[summary.queue.key] = {
            "count": summary.count,
            "titles": [item.title for item in summary.items],
            "url": summary.url,
        }
    html = response.content.decode()
    for key in ALL_QUEUES:  # the page shows exactly the queues of the context
        assert (f'data-queue="{key}"' in html) == (key in shown), key
    return shown


def _numbers(shown: dict, key: str) -> set[str]:
    return {title.split(" · ")[0] for title in shown[key]["titles"]}


def test_each_role_sees_its_queues_and_not_the_others(client, world):
    r1, r4, r2 = (world.requests[k].number for k in ("r_cons_1", "r_cons_4", "r_other_2"))
    # A request to another department's resource: prov's approvers must not see it.
    (to_other,) = submit(world.user("cons_staff_3"), world.matrix.resources["other_cond_2"])
    other_approver = builders.user(
        world.matrix.departments["other"], clearance=3, roles=(Role.STAFF, Role.APPROVER)
    )
    staff_queues = {"returned", "grants_expiring", "notifications"}
    expected = {
        "prov_approver_4": staff_queues | {"decision", "corrections", "needs"},
        "prov_approver_2": staff_queues | {"decision", "corrections", "needs"},
        "prov_editor_4": staff_queues
        | {"corrections", "sent_back", "expired", "systems_returned", "systems_to_reconfirm"},
        "prov_staff_4": staff_queues,
        "cons_staff_3": staff_queues,
        "cons_approver_4": staff_queues | {"decision", "corrections", "needs"},
        "cons_delegate_3": staff_queues | {"decision", "corrections"},
        "coordinator_4": staff_queues | {"negotiation", "review", "needs", "systems_to_decide"},
        "nodept_4": {"notifications"},
    }
    seen = {}
    for key, queues in expected.items():
        seen[key] = shown = _home(client, world.user(key))
        assert set(shown) == queues, key
    # Nothing waiting: the home page says so, naming the queues, and still offers the search.
    client.force_login(world.user("nodept_4"))
    html = client.get(reverse("home")).content.decode()
    assert "data-work-none" in html and "data-work-item" not in html
    assert f'action="{reverse("catalog:search")}"' in html
    # The provider's approvers decide what is within their clearance, nothing else.
    assert _numbers(seen["prov_approver_4"], "decision") == {r1, r4, r2}
    assert seen["prov_approver_4"]["decision"]["count"] == 3
    assert _numbers(seen["prov_approver_2"], "decision") == {r1, r2}
    # The delegate decides the one delegated resource; the requester's approver nothing of it.
    assert _numbers(seen["cons_delegate_3"], "decision") == {r2}
    assert seen["cons_approver_4"]["decision"]["count"] == 0
    # Department B's approver sees B's request, department A's approvers never do.
    other = _home(client, other_approver)
    assert _numbers(other, "decision") == {to_other.number}
    assert to_other.number not in _numbers(seen["prov_approver_4"], "decision")
    # The review queue is the coordinator's; nobody else is told of a submitted resource.
    submitted = {
        world.matrix.resources[key].name
        for key, spec in world.matrix.resource_specs.items()
        if spec.status == "submitted"
    }
    assert set(seen["coordinator_4"]["review"]["titles"]) == submitted
    # The link leads to the whole queue, which lists the same requests.
    url = seen["prov_approver_4"]["decision"]["url"]
    assert url == reverse("sharing:inbox") + "?kind=decision"
    client.force_login(world.user("prov_approver_4"))
    rows = client.get(url).context["rows"]
    assert {r.number for r, _left, _late in rows} == {r1, r4, r2}


def test_signoff_returned_corrections_and_sent_back_reach_only_their_people(client, world):
    cons = world.matrix.departments["cons"]
    cons.requires_outgoing_signoff = True
    cons.save(update_fields=["requires_outgoing_signoff"])
    (outgoing,) = submit(world.user("cons_staff_3"), world.matrix.resources["pub_cond_2"])
    assert outgoing.status == RequestStatus.SIGNOFF
    services.share_request_decide(
        actor=world.user("prov_approver_4"),
        request=world.requests["r_cons_1"],
        decision="changes",
        reason="请补充使用场景",
    )
    services.correction_file(
        actor=world.user("cons_staff_3"),
        resource=world.matrix.resources["pub_cond_3"],
        description="电话号码有误",
    )
    catalog_services.resource_return(
        actor=world.user("coordinator_4"),
        resource=world.matrix.resources["submitted_2"],
        comment="请补充数据项说明",
    )

    approver = _home(client, world.user("cons_approver_4"))
    assert _numbers(approver, "signoff") == {outgoing.number}
    assert approver["signoff"]["url"] == reverse("sharing:inbox") + "?kind=signoff"
    # Not sent yet: the provider's approver neither decides it nor has a sign-off queue.
    prov_approver = _home(client, world.user("prov_approver_4"))
    assert outgoing.number not in _numbers(prov_approver, "decision")
    assert "signoff" not in prov_approver

    returned = world.requests["r_cons_1"].number
    for key in ("cons_staff_3", "cons_staff_1"):
        shown = _home(client, world.user(key))
        assert _numbers(shown, "returned") == {returned}, key
    assert _home(client, world.user("other_staff_3"))["returned"]["count"] == 0
    client.force_login(world.user("cons_staff_3"))
    page = client.get(reverse("sharing:request_list"), {"side": "returned"})
    assert [r.number for r in page.context["page_obj"]] == [returned]

    # The correction waits for the provider's editors and approvers, not its staff or filer.
    for key, count in (("prov_editor_4", 1), ("prov_approver_4", 1), ("cons_staff_3", None)):
        shown = _home(client, world.user(key))
        assert shown.get("corrections", {}).get("count") == count, key
    assert "corrections" not in _home(client, world.user("prov_staff_4"))
    client.force_login(world.user("prov_editor_4"))
    page = client.get(reverse("sharing:correction_list"), {"state": "to_answer"})
    assert len(page.context["page_obj"]) == 1

    # The draft sent back reaches the provider's editors only.
    name = world.matrix.resources["submitted_2"].name
    assert _home(client, world.user("prov_editor_4"))["sent_back"]["titles"] == [name]
    assert _home(client, world.user("other_editor_3"))["sent_back"]["count"] == 0
    assert "review" not in _home(client, world.user("prov_editor_4"))


def test_grants_ending_soon_are_the_departments_on_both_sides(client, world):
    res = world.matrix.resources
    later = builders.grant(res["pub_cond_1"], world.matrix.departments["other"], days=60)
    titles = {
        key: set(_home(client, world.user(key))["grants_expiring"]["titles"])
        for key in ("cons_staff_4", "cons_staff_1", "prov_staff_4", "other_staff_3")
    }
    # The consumer's grants in force (not the expired, not the revoked one), on the entries its
    # users see: the "cleared" L3 one only at L3 and above, the "provider" one never.
    shared = {res["pub_cond_3"].name, res["pub_none_2"].name}
    assert titles["cons_staff_4"] == shared | {res["cleared_cond_3"].name}
    assert titles["cons_staff_1"] == shared
    # The provider sees the grants on its resources and the one it holds.
    assert titles["prov_staff_4"] == shared | {
        res["cleared_cond_3"].name,
        res["provider_cond_2"].name,
        res["other_cond_2"].name,
    }
    # The grant ending in 60 days is not listed; the other department sees its own side.
    assert later.resource.name not in titles["other_staff_3"]
    assert titles["other_staff_3"] == {res["other_cond_2"].name}
    client.force_login(world.user("cons_staff_4"))
    page = client.get(reverse("sharing:grant_list"), {"side": "expiring"})
    assert {g.resource.name for g in page.context["page_obj"]} == titles["cons_staff_4"]


def test_the_queries_do_not_grow_with_the_queues(client, world, django_assert_num_queries):
    approver = world.user("prov_approver_4")
    approver.roles  # noqa: B018 -- loaded with the user on a page
    approver.department  # noqa: B018 -- its sign-off setting decides the sign-off queue
    # One query per queue the approver has, and the prefetches of those with rows: whether a
    # resource is delegated to the approver (the decision filter asks first), the requests to
    # decide (+1 prefetch: their lines with the resources' names; no items), none returned, no
    # correction, no data need, the grants ending (no prefetch), the notifications.
    with django_assert_num_queries(8):
        few = my_work(user=approver)
    # The delegations asked once per user instance (a request's): not again for the same user.
    with django_assert_num_queries(7):
        my_work(user=approver)
    client.force_login(approver)
    client.get(reverse("home"))  # the first page after signing in does more (the session)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("home"))
    # Many more rows in the queues: four more requests, twenty more notifications.
    prov = world.matrix.departments["prov"]
    requester = world.user("cons_staff_4")
    for n in range(4):
        submit(requester, builders.resource(prov, level=1, name=f"加测资源{n}"))
    Notification.objects.bulk_create(
        Notification(recipient=approver, kind=Notification.Kind.OVERDUE) for _ in range(20)
    )
    forget_delegations(approver)  # asked again, as by the next request's user
    with django_assert_num_queries(8):
        many = my_work(user=approver)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(reverse("home"))
    assert {s.queue.key: s.count for s in few}["decision"] == 3
    decision = next(s for s in many if s.queue.key == "decision")
    assert decision.count == 7 and len(decision.items) == TOP and decision.more == 2
    notices = next(s for s in many if s.queue.key == "notifications")
    assert notices.count == 3 + 4 + 20 and len(notices.items) == TOP
    html = response.content.decode()
    assert reverse("sharing:inbox") + "?kind=decision" in html
    assert html.count("data-work-item") == sum(len(s.items) for s in many)


def test_data_needs_wait_for_the_coordinator_then_for_the_providers_answerers(client, world):
    from needs import services as need_services

    need = need_services.need_file(
        actor=world.user("cons_staff_3"),
        title="企业纳税信用等级",
        description="审批时核验企业纳税信用",
        data_items=["统一社会信用代码", "纳税信用等级"],
        legal_basis="《优化营商环境条例》",
        purpose="verification",
        business="企业资质审批",
    )
    assert [t for t in _home(client, world.user("coordinator_4"))["needs"]["titles"]] == [
        "企业纳税信用等级"
    ]
    assert _home(client, world.user("prov_approver_4"))["needs"]["count"] == 0
    need_services.need_route(
        actor=world.user("coordinator_4"),
        need=need,
        provider_id=world.matrix.departments["prov"].pk,
    )
    assert _home(client, world.user("coordinator_4"))["needs"]["count"] == 0
    shown = _home(client, world.user("prov_approver_4"))["needs"]
    assert shown["titles"] == ["企业纳税信用等级"] and shown["count"] == 1
    assert shown["url"] == reverse("needs:need_list") + "?state=waiting"
    # Neither the requester's approvers nor another department's, nor plain staff of the provider.
    assert _home(client, world.user("cons_approver_4"))["needs"]["count"] == 0
    assert "needs" not in _home(client, world.user("prov_staff_4"))
