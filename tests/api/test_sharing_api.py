"""Share requests, corrections, notifications and versions through the access matrix."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from sharing import services
from sharing.models import Correction, Grant, Notification, ShareRequest

from .. import builders
from ..sampling import page_pair_sampled
from .conftest import ids
from .sharing_matrix import (
    ACTIONS,
    REQUESTS,
    TERMS,
    build_requests,
    expect_action_status,
    expect_request_visible,
)
from .test_access_matrix_api import INACTIVE, attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(matrix) -> dict[str, ShareRequest]:
    return build_requests(matrix)


def _active_users(matrix):
    return [key for key in matrix.users if key != INACTIVE]


def _state() -> tuple:
    """What a refused call must leave as it was."""
    return (
        sorted(ShareRequest.objects.values_list("pk", "status")),
        Grant.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


# --- share requests ---------------------------------------------------------------------------


def test_request_list_and_detail_follow_the_parties_rule(matrix, requests, call):
    for u, user_key in enumerate(_active_users(matrix)):
        expected = {
            requests[key].pk for key in REQUESTS if expect_request_visible(matrix, user_key, key)
        }
        assert ids(call(user_key, "get", "share-requests/?page_size=200")) == expected, user_key
        for r, (key, request) in enumerate(requests.items()):
            if not page_pair_sampled(u, r):
                continue
            response = call(user_key, "get", f"share-requests/{request.pk}/")
            assert response.status_code == (200 if request.pk in expected else 404), (user_key, key)
    assert call(INACTIVE, "get", "share-requests/").status_code == 401


def test_side_splits_made_and_received(matrix, requests, call):
    made = ids(call("cons_staff_4", "get", "share-requests/?side=made&page_size=200"))
    assert made == {requests[k].pk for k in ("r_cond_1", "r_cond_4", "r_none_1", "r_rejected")}
    received = ids(call("prov_approver_4", "get", "share-requests/?side=received"))
    # The other department's draft has not left it yet.
    assert received == {requests[k].pk for k in ("r_cond_1", "r_cond_4", "r_none_1", "r_rejected")}
    assert ids(call("prov_approver_4", "get", "share-requests/?side=made")) == set()
    submitted = ids(call("prov_approver_4", "get", "share-requests/?status=submitted"))
    assert submitted == {requests["r_cond_1"].pk, requests["r_cond_4"].pk}


def test_status_names_are_the_stable_ones(matrix, requests, call):
    shown = {
        key: call("coordinator_4", "get", f"share-requests/{request.pk}/").json()
        for key, request in requests.items()
    }
    assert {key: row["status"] for key, row in shown.items()} == {
        "r_cond_1": "submitted",
        "r_cond_4": "submitted",
        "r_other_draft": "draft",
        "r_none_1": "escalated",
        "r_rejected": "rejected",
    }
    row = shown["r_cond_1"]
    assert row["resource"] == matrix.resources["pub_cond_1"].pk
    assert row["resources"] == [matrix.resources["pub_cond_1"].pk]
    assert row["requester_department"] == matrix.departments["cons"].pk
    assert row["provider_department"] == matrix.departments["prov"].pk
    assert row["deadline"] and row["legal_basis"] == TERMS["legal_basis"]
    assert shown["r_rejected"]["decision_reason"] == "用途不明确"


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_actions_follow_the_workflow_rules(matrix, requests, call, action):
    body = ACTIONS[action][0]
    for u, user_key in enumerate(_active_users(matrix)):
        for r, (key, request) in enumerate(requests.items()):
            expected = expect_action_status(matrix, user_key, key, action)
            # Every success; the refusals on a sample (tests/sampling.py).
            if expected != 200 and not page_pair_sampled(u, r):
                continue
            path = f"share-requests/{request.pk}/{action}/"
            if expected == 200:
                response = attempt(call, user_key, "post", path, body)
            else:
                before = _state()
                response = call(user_key, "post", path, body)
                assert _state() == before, (user_key, key, action)
            assert response.status_code == expected, (user_key, key, action, response.json())
            if expected != 200:
                assert set(response.json()) == {"error"}


def test_submit_signs_off_a_draft_and_resubmits_after_changes(matrix, requests, call, keys):
    draft = requests["r_other_draft"]
    response = call("other_staff_3", "post", f"share-requests/{draft.pk}/submit/", {})
    assert response.status_code == 403  # only the department's approver signs off
    approver = User.objects.get(pk=matrix.users["other_editor_3"].pk)
    from accounts.models import Role
    from accounts.services import role_assign

    role_assign(actor=None, user=approver, role=Role.APPROVER)
    # Becoming an approver revoked the editor's token (made without the second factor): the new
    # approver makes one after passing it.
    assert call("other_editor_3", "get", "share-requests/").status_code == 401
    keys["other_editor_3"] = builders.api_key(approver)
    response = call("other_editor_3", "post", f"share-requests/{draft.pk}/submit/", {})
    assert response.status_code == 200 and response.json()["status"] == "submitted"

    asked = requests["r_cond_1"]
    response = call(
        "prov_approver_4",
        "post",
        f"share-requests/{asked.pk}/request-changes/",
        {"comment": "补充"},
    )
    assert response.json()["status"] == "changes_requested"
    assert response.json()["changes_comment"] == "补充"
    response = call(
        "cons_staff_3", "post", f"share-requests/{asked.pk}/submit/", {"scenario": "新的场景"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted" and response.json()["scenario"] == "新的场景"


def _create(call, user_key, **fields):
    today = timezone.localdate()
    body = {**TERMS, "valid_until": (today + timedelta(days=30)).isoformat(), **fields}
    return call(user_key, "post", "share-requests/", body)


def test_create_splits_per_provider(matrix, call):
    resources = [matrix.resources["pub_cond_1"].pk, matrix.resources["other_cond_2"].pk]
    response = _create(call, "cons_staff_3", resources=resources)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert {row["provider_department"] for row in created} == {
        matrix.departments["prov"].pk,
        matrix.departments["other"].pk,
    }
    assert sorted(r for row in created for r in row["resources"]) == sorted(resources)
    assert all(row["status"] == "submitted" for row in created)


def test_create_narrows_items(matrix, call):
    resource = matrix.resources["pub_cond_1"]
    item = resource.items.order_by("pk").first()
    response = _create(call, "cons_staff_3", resources=[resource.pk], items=[item.pk])
    assert response.status_code == 201
    assert response.json()[0]["items"] == [item.pk]


@pytest.mark.parametrize(
    ("fields", "field", "status", "code"),
    [
        ({"resources": []}, "resources", 400, "invalid"),
        ({"resources": ["x"]}, "resources.0", 400, "invalid"),
        ({"purpose": "fun"}, "purpose", 400, "invalid"),
        ({"legal_basis": "  "}, "legal_basis", 400, "invalid"),
        # Well-formed dates the rules refuse: an end before the start, a start in the past.
        ({"valid_until": "2000-01-01"}, "valid_until", 422, "unprocessable"),
        ({"valid_from": "2000-01-01"}, "valid_from", 422, "unprocessable"),
    ],
)
def test_create_bad_input_is_refused_and_changes_nothing(matrix, call, fields, field, status, code):
    before = _state()
    response = _create(
        call, "cons_staff_3", **{"resources": [matrix.resources["pub_cond_1"].pk], **fields}
    )
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and field in error["fields"], error
    assert _state() == before


@pytest.mark.parametrize(
    "resource_key",
    [
        "provider_cond_2",  # limited to its provider: does not exist for them
        "draft_2",  # another department's draft: does not exist for them
    ],
)
def test_create_with_an_invisible_resource_says_it_does_not_exist(matrix, call, resource_key):
    before = _state()
    response = _create(call, "cons_staff_3", resources=[matrix.resources[resource_key].pk])
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["fields"]["resources"] == ["Some resources do not exist."] or (
        response.json()["error"]["fields"]["resources"] == ["部分资源不存在。"]
    )
    nonexistent = _create(call, "cons_staff_3", resources=[10**9])
    assert nonexistent.json() == response.json()
    assert _state() == before


def test_create_refuses_what_the_portal_refuses(matrix, call):
    before = _state()
    # Held in force already (a conflict with the grant); unconditional; own department (rules).
    for user_key, resource_key, status in [
        ("cons_staff_3", "pub_cond_3", 409),
        ("cons_staff_3", "pub_unc_1", 422),
        ("prov_staff_4", "pub_cond_1", 422),
    ]:
        response = _create(call, user_key, resources=[matrix.resources[resource_key].pk])
        assert response.status_code == status, (user_key, resource_key)
        assert response.json()["error"]["message"], response.json()
    assert _state() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "reason"), ({"reason": ""}, "reason")],
)
def test_reject_needs_a_reason(matrix, requests, call, body, field):
    before = _state()
    response = call(
        "prov_approver_4", "post", f"share-requests/{requests['r_cond_1'].pk}/reject/", body
    )
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert _state() == before


def test_approve_cannot_widen(matrix, requests, call):
    request = requests["r_cond_1"]
    before = _state()
    too_long = (request.valid_until + timedelta(days=1)).isoformat()
    response = call(
        "prov_approver_4",
        "post",
        f"share-requests/{request.pk}/approve/",
        {"valid_until": too_long},
    )
    assert response.status_code == 422 and response.json()["error"]["message"]
    other_item = matrix.resources["pub_cond_2"].items.first()
    response = call(
        "prov_approver_4",
        "post",
        f"share-requests/{request.pk}/approve/",
        {"items": [other_item.pk]},
    )
    assert response.status_code == 422 and "items" in response.json()["error"]["fields"]
    assert _state() == before


# --- corrections --------------------------------------------------------------------------


def _file(matrix, user_key="cons_staff_3", resource_key="pub_cond_3") -> Correction:
    return services.correction_file(
        actor=User.objects.get(pk=matrix.users[user_key].pk),
        resource=matrix.resources[resource_key],
        description="电话号码有误",
    )


def test_correction_create_needs_read_access(matrix, call):
    for user_key in _active_users(matrix):
        for resource_key in ("pub_cond_3", "pub_cond_1", "pub_cond_4"):
            body = {
                "resource": matrix.resources[resource_key].pk,
                "description": "数据有误",
            }
            if not matrix.expect_view(user_key, resource_key):
                expected = 404  # the resource does not exist for the caller
            elif (
                matrix.expect_read(user_key, resource_key)
                and matrix.user_specs[user_key].department is not None
                # corrections may quote values: filed only within the resource's level
                and matrix.resource_specs[resource_key].level
                <= matrix.user_specs[user_key].clearance
            ):
                expected = 201
            else:
                expected = 403
            if expected == 201:
                response = attempt(call, user_key, "post", "corrections/", body)
            else:
                before = _state()
                response = call(user_key, "post", "corrections/", body)
                assert _state() == before
            assert response.status_code == expected, (user_key, resource_key, response.json())


def test_correction_bad_input(matrix, call):
    before = _state()
    response = call("cons_staff_3", "post", "corrections/", {"resource": "x"})
    assert response.status_code == 400
    assert {"resource", "description"} <= set(response.json()["error"]["fields"])
    other_item = matrix.resources["pub_cond_1"].items.first()
    response = call(
        "cons_staff_3",
        "post",
        "corrections/",
        {
            "resource": matrix.resources["pub_cond_3"].pk,
            "item": other_item.pk,
            "description": "数据有误",
        },
    )
    # The item exists but is another resource's: a rule, not a malformed body.
    assert response.status_code == 422 and "item" in response.json()["error"]["fields"]
    assert _state() == before


def test_correction_list_detail_and_answer(matrix, call):
    correction = _file(matrix)
    for user_key in _active_users(matrix):
        visible = ids(call(user_key, "get", "corrections/"))
        user = matrix.user_specs[user_key]
        expected = (
            user.clearance >= 3
            and user.department is not None
            and (user.department in ("cons", "prov") or "coordinator" in user.roles)
        )
        assert visible == ({correction.pk} if expected else set()), user_key
        detail = call(user_key, "get", f"corrections/{correction.pk}/")
        assert detail.status_code == (200 if expected else 404)
    body = {"decision": "accept", "answer": "已更正"}
    before = _state()
    for refused in ("cons_staff_3", "prov_staff_4"):
        assert (
            call(refused, "post", f"corrections/{correction.pk}/answer/", body).status_code == 403
        )
    assert (
        call("other_staff_3", "post", f"corrections/{correction.pk}/answer/", body).status_code
        == 404
    )
    bad = call(
        "prov_editor_4", "post", f"corrections/{correction.pk}/answer/", {"decision": "maybe"}
    )
    assert bad.status_code == 400 and {"decision", "answer"} <= set(bad.json()["error"]["fields"])
    assert _state() == before
    response = call("prov_editor_4", "post", f"corrections/{correction.pk}/answer/", body)
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    again = call("prov_editor_4", "post", f"corrections/{correction.pk}/answer/", body)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


# --- notifications ------------------------------------------------------------------------


def test_notifications_are_the_callers_own(matrix, requests, call):
    mine = Notification.objects.filter(recipient=matrix.users["prov_approver_4"])
    assert mine.exists()
    response = call("prov_approver_4", "get", "notifications/?page_size=200")
    assert ids(response) == set(mine.values_list("pk", flat=True))
    theirs = Notification.objects.exclude(recipient=matrix.users["prov_approver_4"]).first()
    assert theirs is not None
    assert call("prov_approver_4", "get", f"notifications/{theirs.pk}/").status_code == 404
    before = _state()
    refused = call("prov_approver_4", "post", f"notifications/{theirs.pk}/mark-read/")
    assert refused.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None and _state() == before

    one = mine.first()
    response = call("prov_approver_4", "post", f"notifications/{one.pk}/mark-read/")
    assert response.status_code == 200 and response.json()["read_at"]
    unread = ids(call("prov_approver_4", "get", "notifications/?unread=true"))
    assert one.pk not in unread and unread
    response = call("prov_approver_4", "post", "notifications/mark-all-read/")
    assert response.json()["marked"] == len(unread)
    assert ids(call("prov_approver_4", "get", "notifications/?unread=true")) == set()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


# --- versions -----------------------------------------------------------------------------


def test_versions_are_visible_only(matrix, call):
    shown = 0
    for user_key, resource_key in matrix.cases():
        if user_key == INACTIVE:
            continue
        response = call(user_key, "get", f"resources/{matrix.resources[resource_key].pk}/versions/")
        expected = 200 if matrix.expect_view(user_key, resource_key) else 404
        assert response.status_code == expected, (user_key, resource_key)
        if expected == 200:
            clearance = matrix.user_specs[user_key].clearance
            assert all(v["level"] <= clearance for v in response.json())
            shown += len(response.json())
    assert shown  # published resources have versions: the check above saw real rows


# --- settlement by the coordinator ----------------------------------------------------------


def test_settle_approves_with_the_approvals_choices(matrix, requests, call):
    request = requests["r_none_1"]
    item = request.lines.get().items.order_by("pk").first()
    response = call(
        "coordinator_4",
        "post",
        f"share-requests/{request.pk}/settle/",
        {
            "decision": "approve",
            "reason": "经协调，按最小必要原则共享",
            "items": [item.pk],
            "row_scope_region": "3401",
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    grant = Grant.objects.get(request=request)
    assert list(grant.items.values_list("pk", flat=True)) == [item.pk]
    assert grant.row_scope_region == "3401"
    event = AuditEvent.objects.get(action="share_request.settle_approve", object_id=str(request.pk))
    assert event.actor_username == matrix.users["coordinator_4"].username


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        # A refusal takes only a reason: a rule across the fields.
        ({"decision": "refuse", "reason": "不予共享", "items": []}, "items", 422),
        (
            {"decision": "refuse", "reason": "不予共享", "row_scope_region": "34"},
            "row_scope_region",
            422,
        ),
        ({"decision": "refuse", "reason": ""}, "reason", 400),
        ({"decision": "grant", "reason": "x"}, "decision", 400),
        ({"reason": "x"}, "decision", 400),
    ],
)
def test_settle_bad_input_is_refused_and_changes_nothing(
    matrix, requests, call, body, field, status
):
    before = _state()
    response = call(
        "coordinator_4", "post", f"share-requests/{requests['r_none_1'].pk}/settle/", body
    )
    assert response.status_code == status and field in response.json()["error"]["fields"]
    assert _state() == before


def test_settle_refuses_for_good(matrix, requests, call):
    request = requests["r_none_1"]
    response = call(
        "coordinator_4",
        "post",
        f"share-requests/{request.pk}/settle/",
        {"decision": "refuse", "reason": "用途与共享条件不符"},
    )
    # Public status "rejected" (final); the stage says it was refused after coordination.
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["stage"]) == ("rejected", "refused")
    assert not Grant.objects.filter(request=request).exists()
    # Refused is final: neither party nor the coordinator can reopen it.
    again = call(
        "coordinator_4",
        "post",
        f"share-requests/{request.pk}/settle/",
        {"decision": "approve", "reason": "再议"},
    )
    assert again.status_code == 409
