"""The error contract of writes: 400 malformed, 404 a missing reference, 409 a state, 422 a rule.

Each refusal answers in the one error shape, in the caller's language, changes nothing, and
does not tell anyone more than the access model lets them know: who may not see the object
still gets a 404, who may not act on it a 403, before any state or rule is looked at.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone

from audit.models import AuditEvent
from catalog.models import Resource
from kernel.errors import ReferenceNotFound, RuleViolation, StateConflict
from sharing.models import Correction, Grant, ShareRequest

from .sharing_matrix import TERMS

pytestmark = pytest.mark.django_db


def _state() -> tuple:
    """What a refused call must leave as it was."""
    return (
        sorted(ShareRequest.objects.values_list("pk", "status")),
        sorted(Grant.objects.values_list("pk", "status", "revoke_reason")),
        Correction.objects.count(),
        Resource.objects.count(),
        AuditEvent.objects.count(),
    )


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def _request_body(**fields) -> dict:
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    return {**TERMS, "valid_until": until, **fields}


def _revoked_grant(matrix) -> Grant:
    return Grant.objects.get(
        resource=matrix.resources["pub_cond_4"], department=matrix.departments["cons"]
    )


# --- 409: the object's state -------------------------------------------------------------------


def test_a_state_that_refuses_the_action_is_409_in_the_callers_language(matrix, call):
    grant = _revoked_grant(matrix)
    assert grant.status == Grant.Status.REVOKED
    path = f"grants/{grant.pk}/revoke/"
    before = _state()

    english = _error(
        call("prov_approver_4", "post", path, {"reason": "再次撤销"}, HTTP_ACCEPT_LANGUAGE="en"),
        409,
        "conflict",
    )
    assert english == {
        "code": "conflict",
        "message": "Only an active grant can be revoked.",
        "fields": {},
    }
    chinese = _error(call("prov_approver_4", "post", path, {"reason": "再次撤销"}), 409, "conflict")
    assert chinese["message"] == "只有生效中的授权才能撤销。"
    # The access model first: the holder may not revoke (403), an outsider does not see it.
    _error(call("cons_approver_4", "post", path, {"reason": "x"}), 403, "permission_denied")
    _error(call("other_staff_3", "post", path, {"reason": "x"}), 404, "not_found")
    # A malformed body stays a 400, whatever the state.
    _error(call("prov_approver_4", "post", path, {"reason": 5, "x": 1}), 400, "invalid")
    assert _state() == before


def test_a_request_the_department_already_holds_is_a_409(matrix, call):
    before = _state()
    # pub_cond_3: the consumer holds a grant in force on it.
    body = _request_body(resources=[matrix.resources["pub_cond_3"].pk])
    error = _error(call("cons_staff_3", "post", "share-requests/", body), 409, "conflict")
    assert matrix.resources["pub_cond_3"].name in error["message"]
    assert _state() == before


# --- 404: an object named in the body ------------------------------------------------------


def test_a_missing_or_hidden_object_named_in_the_body_is_404_naming_the_field(matrix, call):
    before = _state()
    hidden = matrix.resources["provider_cond_2"].pk  # limited to its provider
    for resources in ([hidden], [10**9], [matrix.resources["pub_cond_1"].pk, hidden]):
        body = _request_body(resources=resources)
        error = _error(call("cons_staff_3", "post", "share-requests/", body), 404, "not_found")
        assert list(error["fields"]) == ["resources"]
    # Hidden and missing are one answer.
    assert (
        call("cons_staff_3", "post", "share-requests/", _request_body(resources=[hidden])).json()
        == call("cons_staff_3", "post", "share-requests/", _request_body(resources=[10**9])).json()
    )
    body = _request_body(resources=[matrix.resources["pub_cond_1"].pk], items=[10**9])
    error = _error(call("cons_staff_3", "post", "share-requests/", body), 404, "not_found")
    assert list(error["fields"]) == ["items"]

    body = {"resource": 10**9, "description": "数据有误"}
    error = _error(call("cons_staff_3", "post", "corrections/", body), 404, "not_found")
    assert list(error["fields"]) == ["resource"]
    assert _state() == before


def test_a_related_field_naming_nothing_is_404_unless_the_body_is_also_malformed(matrix, call):
    resource = matrix.resources["draft_2"]
    path = f"resources/{resource.pk}/"
    before = _state()
    error = _error(call("prov_editor_4", "patch", path, {"category": 10**9}), 404, "not_found")
    assert list(error["fields"]) == ["category"]
    # Another reason beside it: the body is malformed, a 400 naming both.
    error = _error(
        call("prov_editor_4", "patch", path, {"category": 10**9, "name": "x" * 51}), 400, "invalid"
    )
    assert {"category", "name"} <= set(error["fields"])
    # An id outside the schema's bounds is malformed.
    body = _request_body(resources=[10**18])
    _error(call("cons_staff_3", "post", "share-requests/", body), 400, "invalid")
    resource.refresh_from_db()
    assert resource.category_id == matrix.resources["draft_2"].category_id
    assert _state() == before


# --- 422: a rule the schema cannot state -----------------------------------------------------


def test_a_cross_field_rule_is_422_naming_the_field(matrix, call):
    before = _state()
    body = _request_body(resources=[matrix.resources["pub_cond_1"].pk], purpose="other")
    response = call("cons_staff_3", "post", "share-requests/", body, HTTP_ACCEPT_LANGUAGE="en")
    error = _error(response, 422, "unprocessable")
    assert error["fields"] == {"purpose_other": ["Describe the other purpose."]}
    assert error["message"] == "The request breaks a rule; see the fields."
    chinese = _error(call("cons_staff_3", "post", "share-requests/", body), 422, "unprocessable")
    assert chinese["message"] == "请求违反了业务规则，请查看各字段的说明。"
    # The same body with the purpose described is accepted.
    described = {**body, "purpose_other": "统计分析"}
    assert call("cons_staff_3", "post", "share-requests/", described).status_code == 201
    assert ShareRequest.objects.count() == len(before[0]) + 1


def test_a_date_order_is_422(matrix, call):
    before = _state()
    today = timezone.localdate()
    body = {
        **TERMS,
        "resources": [matrix.resources["pub_cond_1"].pk],
        "valid_from": (today + timedelta(days=10)).isoformat(),
        "valid_until": (today + timedelta(days=5)).isoformat(),
    }
    error = _error(call("cons_staff_3", "post", "share-requests/", body), 422, "unprocessable")
    assert list(error["fields"]) == ["valid_until"]
    assert _state() == before


# --- the kinds are still ValidationErrors for the web pages ------------------------------------


@pytest.mark.parametrize("kind", [ReferenceNotFound, StateConflict, RuleViolation])
def test_the_kinds_are_form_errors_as_before(kind):
    """The web views add a service's ValidationError to their form: the kinds are ones."""

    class Form(forms.Form):
        reason = forms.CharField(required=False)

    form = Form(data={})
    assert form.is_valid()
    form.add_error(None, kind("整体的问题"))
    form.add_error(None, kind({"reason": "字段的问题"}))
    assert form.errors == {"__all__": ["整体的问题"], "reason": ["字段的问题"]}
