"""Every sharing page and action against the access matrix: who sees and does what, who must not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from sharing import services
from sharing.models import Correction, Grant, Notification, RequestStatus, ShareRequest
from tests.access_matrix import GRANTS

from .conftest import REQUESTS


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _pks(response) -> set[int]:
    assert response.status_code == 200
    return {obj.pk for obj in response.context["page_obj"]}


def test_request_detail_matrix(client, world):
    for user_key in world.matrix.users:
        user = world.user(user_key)
        for request_key, request in world.requests.items():
            if not user.is_active:
                continue
            response = _get(client, user, reverse("sharing:request_detail", args=[request.pk]))
            expected = 200 if world.expect_view(user_key, request_key) else 404
            assert response.status_code == expected, (user_key, request_key)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("sharing:request_detail", args=[world.requests["r_cons_1"].pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_request_lists_show_exactly_the_departments_requests(client, world):
    for user_key, spec in world.matrix.user_specs.items():
        if not spec.active:
            continue
        user = world.user(user_key)
        made = _pks(_get(client, user, reverse("sharing:request_list")))
        received = _pks(_get(client, user, reverse("sharing:request_list"), side="received"))
        expect_made, expect_received = set(), set()
        for key, request in world.requests.items():
            if not world.expect_view(user_key, key):
                continue
            if spec.department == world.matrix.user_specs[REQUESTS[key][0]].department:
                expect_made.add(request.pk)
            if spec.department == "prov":
                expect_received.add(request.pk)
        assert made == expect_made, user_key
        assert received == expect_received, user_key


def test_inbox_shows_what_the_user_may_decide(client, world):
    for user_key, spec in world.matrix.user_specs.items():
        if not spec.active:
            continue
        inbox = _pks(_get(client, world.user(user_key), reverse("sharing:inbox")))
        expected = {
            r.pk
            for key, r in world.requests.items()
            if world.expect_view(user_key, key) and world.expect_decide(user_key, key)
        }
        assert inbox == expected, user_key
    assert world.expect_decide("cons_delegate_3", "r_other_2")  # a delegate's inbox is tested


def test_inbox_is_sorted_by_deadline(client, world):
    urgent = world.requests["r_other_2"]
    ShareRequest.objects.filter(pk=urgent.pk).update(
        due_date=urgent.due_date.replace(year=2026, month=1, day=5)
    )
    rows = _get(client, world.user("prov_approver_4"), reverse("sharing:inbox")).context["rows"]
    assert rows[0][0].pk == urgent.pk
    assert rows[0][2] is not None and rows[0][2] > 0  # overdue, in working days


@pytest.mark.parametrize("request_key", ["r_cons_1", "r_other_2"])
def test_decide_is_refused_to_everyone_else_and_changes_nothing(client, world, request_key):
    request = world.requests[request_key]
    url = reverse("sharing:request_decide", args=[request.pk])
    for user_key, spec in world.matrix.user_specs.items():
        if not spec.active or world.expect_decide(user_key, request_key):
            continue
        client.force_login(world.user(user_key))
        response = client.post(url, {"decision": "reject", "reason": "越权"})
        expected = 403 if world.expect_view(user_key, request_key) else 404
        assert response.status_code == expected, user_key
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_decide_page_flow(client, world):
    request = world.requests["r_cons_1"]
    client.force_login(world.user("prov_approver_2"))
    url = reverse("sharing:request_decide", args=[request.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["decision_form"].errors
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    line = request.lines.get()
    item = line.items.order_by("id").first()
    response = client.post(url, {"decision": "approve", f"items_{line.resource_id}": [item.pk]})
    assert response.status_code == 302
    grant = Grant.objects.get(request=request)
    assert list(grant.items.all()) == [item]
    # A second decision on the page: a clear message, nothing changed.
    client.force_login(world.user("prov_approver_4"))
    response = client.post(url, {"decision": "reject", "reason": "晚了"})
    assert response.status_code == 400
    assert "prov_approver_2" in str(response.context["decision_form"].non_field_errors())
    assert Grant.objects.filter(request=request).count() == 1


def _grant_visible(matrix, user_key, resource_key, consumer):
    spec = matrix.user_specs[user_key]
    if not matrix.expect_in_scope(user_key, resource_key):  # the entry's catalog scope
        return False
    provider = matrix.resource_specs[resource_key].provider
    return Role.COORDINATOR in spec.roles or spec.department in (consumer, provider)


def test_grant_pages_matrix(client, matrix):
    for resource_key, consumer, _state in GRANTS:
        grant = Grant.objects.filter(
            resource=matrix.resources[resource_key], department=matrix.departments[consumer]
        ).get()
        for user_key, spec in matrix.user_specs.items():
            if not spec.active:
                continue
            response = _get(
                client, matrix.users[user_key], reverse("sharing:grant_detail", args=[grant.pk])
            )
            expected = 200 if _grant_visible(matrix, user_key, resource_key, consumer) else 404
            assert response.status_code == expected, (user_key, resource_key)


def test_grant_lists_matrix(client, matrix):
    grants = {
        Grant.objects.get(resource=matrix.resources[r], department=matrix.departments[c]).pk: (r, c)
        for r, c, _s in GRANTS
    }
    for user_key, spec in matrix.user_specs.items():
        if not spec.active:
            continue
        user = matrix.users[user_key]
        held = _pks(_get(client, user, reverse("sharing:grant_list")))
        given = _pks(_get(client, user, reverse("sharing:grant_list"), side="provider"))
        visible = {pk for pk, (r, c) in grants.items() if _grant_visible(matrix, user_key, r, c)}
        assert held == {pk for pk in visible if grants[pk][1] == spec.department}, user_key
        assert given == {
            pk for pk in visible if matrix.resource_specs[grants[pk][0]].provider == spec.department
        }, user_key


def test_revoke_only_by_provider_deciders_and_coordinator(client, matrix):
    grant = Grant.objects.get(
        resource=matrix.resources["pub_cond_3"], department=matrix.departments["cons"]
    )
    url = reverse("sharing:grant_revoke", args=[grant.pk])
    for user_key, spec in matrix.user_specs.items():
        allowed = matrix.expect_decide(user_key, "pub_cond_3") or (
            Role.COORDINATOR in spec.roles and spec.clearance >= 3
        )
        if not spec.active or allowed:
            continue
        client.force_login(matrix.users[user_key])
        response = client.post(url, {"reason": "越权撤销"})
        visible = _grant_visible(matrix, user_key, "pub_cond_3", "cons")
        assert response.status_code == (403 if visible else 404), user_key
        grant.refresh_from_db()
        assert grant.status == Grant.Status.ACTIVE
    client.force_login(matrix.users["prov_approver_4"])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACTIVE
    response = client.post(url, {"reason": "用途变更"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REVOKED


@pytest.fixture
def correction(matrix):
    return services.correction_file(
        actor=matrix.users["cons_staff_3"],
        resource=matrix.resources["pub_cond_3"],
        description="名称与营业执照不一致",
        evidence="营业执照副本",
    )


def _correction_visible(matrix, user_key, resource_key, reporter):
    """Corrections may quote values: the parties see them only within the resource's level."""
    spec = matrix.user_specs[user_key]
    if not spec.active or matrix.resource_specs[resource_key].level > spec.clearance:
        return False
    provider = matrix.resource_specs[resource_key].provider
    return Role.COORDINATOR in spec.roles or spec.department in (reporter, provider)


def test_correction_pages_matrix(client, matrix, correction):
    url = reverse("sharing:correction_detail", args=[correction.pk])
    answer_url = reverse("sharing:correction_answer", args=[correction.pk])
    for user_key, spec in matrix.user_specs.items():
        if not spec.active:
            continue
        user = matrix.users[user_key]
        visible = _correction_visible(matrix, user_key, "pub_cond_3", "cons")
        assert _get(client, user, url).status_code == (200 if visible else 404), user_key
        listed = _pks(_get(client, user, reverse("sharing:correction_list")))
        assert listed == ({correction.pk} if visible else set()), user_key
        may_answer = matrix.expect_change(user_key, "pub_cond_3") or matrix.expect_decide(
            user_key, "pub_cond_3"
        )
        if not may_answer:
            response = client.post(answer_url, {"accepted": "1", "answer": "已改"})
            assert response.status_code == (403 if visible else 404), user_key
    correction.refresh_from_db()
    assert correction.status == Correction.Status.OPEN
    client.force_login(matrix.users["prov_editor_4"])
    assert client.post(answer_url, {"accepted": "0", "answer": ""}).status_code == 400
    assert client.post(answer_url, {"accepted": "0", "answer": "数据无误"}).status_code == 302
    correction.refresh_from_db()
    assert correction.status == Correction.Status.REJECTED


def test_correction_can_be_filed_only_on_readable_resources(client, matrix):
    client.force_login(matrix.users["other_staff_3"])
    url = reverse("sharing:correction_new")
    assert client.get(url, {"resource": matrix.resources["pub_cond_3"].pk}).status_code == 403
    # An entry it sees but cannot read: refused; one limited to its provider: not there.
    assert client.get(url, {"resource": matrix.resources["pub_cond_4"].pk}).status_code == 403
    assert client.get(url, {"resource": matrix.resources["provider_cond_2"].pk}).status_code == 404
    response = client.get(url, {"resource": matrix.resources["pub_unc_3"].pk})
    assert response.status_code == 200
    response = client.post(
        f"{url}?resource={matrix.resources['pub_unc_3'].pk}", {"description": "", "evidence": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Correction.objects.exists()
    response = client.post(
        f"{url}?resource={matrix.resources['pub_unc_3'].pk}", {"description": "地址错误"}
    )
    assert response.status_code == 302
    assert Correction.objects.get().department == matrix.departments["other"]


def test_negotiation_queue_is_the_coordinators(client, world):
    request = world.requests["r_cons_1"]
    services.share_request_decide(
        actor=world.user("prov_approver_4"), request=request, decision="reject", reason="否"
    )
    services.share_request_escalate(
        actor=world.user("cons_staff_3"), request=request, reason="请协调"
    )
    for user_key, spec in world.matrix.user_specs.items():
        if not spec.active:
            continue
        listed = _pks(_get(client, world.user(user_key), reverse("sharing:negotiation_list")))
        assert listed == ({request.pk} if Role.COORDINATOR in spec.roles else set()), user_key
    client.force_login(world.user("coordinator_4"))
    url = reverse("sharing:request_settle", args=[request.pk])
    response = client.post(url, {"settle-decision": "approve", "settle-reason": ""})
    assert response.status_code == 400 and "reason" in response.context["settle_form"].errors
    line = request.lines.get()
    response = client.post(
        url,
        {
            "settle-decision": "approve",
            "settle-reason": "依法应当共享",
            f"settle-items_{line.resource_id}": [i.pk for i in line.items.all()],
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED


def test_basket_pages(client, matrix):
    user = matrix.users["cons_staff_3"]
    client.force_login(user)
    add = reverse("sharing:basket_add")
    hidden = matrix.resources["provider_cond_2"]  # limited to its provider
    assert client.post(add, {"resource_id": hidden.pk}).status_code == 404
    assert client.post(add, {"resource_id": "x"}).status_code == 404
    response = client.post(add, {"resource_id": matrix.resources["pub_unc_1"].pk}, follow=True)
    assert not response.context["entries"]
    assert any(
        "unconditionally" in str(m) or "无条件" in str(m) for m in response.context["messages"]
    )
    page = client.get(
        reverse("sharing:request_new"), {"resource": matrix.resources["pub_cond_1"].pk}
    )
    assert page.status_code == 200 and page.context["problem"] is None
    client.post(add, {"resource_id": matrix.resources["pub_cond_1"].pk})
    # An entry above the user's L3 that every department sees may be asked for too.
    client.post(add, {"resource_id": matrix.resources["pub_cond_4"].pk})
    response = client.get(reverse("sharing:basket"))
    assert {e.resource for e in response.context["entries"]} == {
        matrix.resources["pub_cond_1"],
        matrix.resources["pub_cond_4"],
    }
    response = client.post(reverse("sharing:basket"), {"legal_basis": "", "purpose": "reference"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ShareRequest.objects.exists()


def test_notifications_are_private_and_counted_in_the_nav(client, world):
    approver = world.user("prov_approver_4")
    mine = set(Notification.objects.filter(recipient=approver).values_list("pk", flat=True))
    assert mine  # three requests arrived
    response = _get(client, approver, reverse("sharing:notification_list"))
    assert _pks(response) == mine
    nav = {item.label: item.count for item in response.context["nav_items"]}
    assert len(mine) in nav.values()
    other = world.user("other_staff_3")
    assert _pks(_get(client, other, reverse("sharing:notification_list"))).isdisjoint(mine)
    client.force_login(other)
    client.post(reverse("sharing:notifications_read"))
    assert Notification.objects.filter(recipient=approver, read_at__isnull=True).count() == len(
        mine
    )
    client.force_login(approver)
    client.post(reverse("sharing:notifications_read"))
    assert not Notification.objects.filter(recipient=approver, read_at__isnull=True).exists()
