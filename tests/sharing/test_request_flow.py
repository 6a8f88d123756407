"""The request workflow through the services: submission, decisions, grants, coordination."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from sharing import policies as sharing_policies
from sharing import services
from sharing.models import BasketEntry, Grant, RequestStatus, ShareRequest
from tests import builders

from .conftest import submit, terms


def test_submitted_request_waits_for_provider_with_a_deadline(world):
    request = world.requests["r_cons_1"]
    assert request.status == RequestStatus.SUBMITTED
    assert request.due_date is not None and request.due_date > timezone.localdate()
    assert AuditEvent.objects.filter(
        action="share_request.submit", object_id=str(request.pk)
    ).exists()


def test_basket_splits_per_provider_and_sends_not_shared_to_coordination(matrix):
    res = matrix.resources
    cons = matrix.users["cons_staff_4"]
    other_res = builders.resource(matrix.departments["other"], level=1)
    requests = submit(cons, res["pub_cond_1"], res["pub_none_1"], other_res)
    by_provider = {(r.provider_id, r.to_coordinator): r for r in requests}
    assert len(requests) == 3
    assert by_provider[(matrix.departments["prov"].pk, False)].status == RequestStatus.SUBMITTED
    assert by_provider[(matrix.departments["prov"].pk, True)].status == RequestStatus.NEGOTIATION
    assert by_provider[(matrix.departments["other"].pk, False)].status == RequestStatus.SUBMITTED
    assert not BasketEntry.objects.filter(user=cons).exists()


def test_unconditional_resource_needs_no_request(matrix):
    user = matrix.users["cons_staff_1"]
    with pytest.raises(ValidationError, match=r"unconditionally|无条件"):
        services.basket_add(actor=user, resource=matrix.resources["pub_unc_1"])
    assert not BasketEntry.objects.filter(user=user).exists()


def test_own_department_resource_cannot_be_requested(matrix):
    with pytest.raises(ValidationError):
        services.basket_add(
            actor=matrix.users["prov_staff_4"], resource=matrix.resources["pub_cond_1"]
        )


def test_invisible_resource_does_not_exist_for_the_basket(matrix):
    from catalog.models import Resource

    with pytest.raises(Resource.DoesNotExist):
        services.basket_add(
            actor=matrix.users["cons_staff_1"], resource=matrix.resources["cleared_cond_3"]
        )


def test_items_default_to_all_within_clearance_and_foreign_items_are_refused(matrix):
    user = matrix.users["cons_staff_3"]
    resource = matrix.resources["pub_cond_1"]
    services.basket_add(actor=user, resource=resource)
    foreign = matrix.resources["pub_cond_4"].items.get(name="敏感项")  # L4, another resource
    with pytest.raises(ValidationError):
        services.share_requests_submit(actor=user, items={resource.pk: [foreign.pk]}, **terms())
    assert not ShareRequest.objects.filter(requested_by=user).exists()
    (request,) = services.share_requests_submit(actor=user, **terms())
    assert {i.name for i in request.lines.get().items.all()} == {"编号", "名称", "敏感项"}


def test_bad_terms_change_nothing(matrix):
    user = matrix.users["cons_staff_3"]
    services.basket_add(actor=user, resource=matrix.resources["pub_cond_1"])
    with pytest.raises(ValidationError) as caught:
        services.share_requests_submit(
            actor=user,
            **terms(legal_basis=" ", valid_until=timezone.localdate() - timedelta(days=1)),
        )
    assert {"legal_basis", "valid_until"} <= set(caught.value.error_dict)
    assert not ShareRequest.objects.exists()
    assert BasketEntry.objects.filter(user=user).count() == 1


def test_approval_creates_grant_in_same_transaction(world):
    approver = world.user("prov_approver_4")
    request = world.requests["r_cons_1"]
    services.share_request_decide(actor=approver, request=request, decision="approve")
    request.refresh_from_db()
    grant = Grant.objects.get(request=request)
    assert request.status == RequestStatus.APPROVED and grant.status == Grant.Status.ACTIVE
    reader = world.user("cons_staff_1")
    resource = world.matrix.resources["pub_cond_1"]
    assert sharing_policies.can_read_resource_data(reader, resource)
    assert {i.name for i in sharing_policies.readable_items(reader, resource)} == {
        i.name for i in grant.items.all()
    }


def test_approval_may_narrow_but_never_widen(world):
    approver = world.user("prov_approver_4")
    request = world.requests["r_cons_1"]
    line = request.lines.get()
    asked = list(line.items.order_by("id"))
    with pytest.raises(ValidationError):
        services.share_request_decide(
            actor=approver,
            request=request,
            decision="approve",
            valid_until=request.valid_until + timedelta(days=1),
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED and not Grant.objects.filter(request=request)
    services.share_request_decide(
        actor=approver,
        request=request,
        decision="approve",
        items={line.resource_id: [asked[0].pk]},
        valid_until=request.valid_from + timedelta(days=10),
    )
    grant = Grant.objects.get(request=request)
    assert list(grant.items.all()) == [asked[0]]
    assert timezone.localtime(grant.valid_until).date() == request.valid_from + timedelta(days=11)


def test_rejection_needs_a_reason(world):
    approver = world.user("prov_approver_4")
    request = world.requests["r_cons_1"]
    with pytest.raises(ValidationError):
        services.share_request_decide(
            actor=approver, request=request, decision="reject", reason=" "
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    services.share_request_decide(
        actor=approver, request=request, decision="reject", reason="依据不足"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED and request.decision_reason == "依据不足"
    assert not Grant.objects.filter(request=request).exists()


def test_nobody_decides_for_their_own_department(world):
    # cons_delegate_3 may decide pub_cond_2 by delegation, but not a request from cons.
    request = submit(world.user("cons_staff_4"), world.matrix.resources["pub_cond_2"])[0]
    with pytest.raises(PermissionDenied):
        services.share_request_decide(
            actor=world.user("cons_delegate_3"), request=request, decision="reject", reason="x"
        )
    services.share_request_decide(
        actor=world.user("cons_delegate_3"),
        request=world.requests["r_other_2"],
        decision="reject",
        reason="用途不明",
    )


def test_second_decision_gets_a_clear_message(world):
    request = world.requests["r_cons_1"]
    services.share_request_decide(
        actor=world.user("prov_approver_4"), request=request, decision="approve"
    )
    with pytest.raises(ValidationError, match="prov_approver_4"):
        services.share_request_decide(
            actor=world.user("prov_approver_2"), request=request, decision="reject", reason="x"
        )
    assert Grant.objects.filter(request=request).count() == 1


def test_changes_then_resubmit_restarts_the_clock(world, monkeypatch):
    request = world.requests["r_cons_1"]
    services.share_request_decide(
        actor=world.user("prov_approver_4"), request=request, decision="changes", reason="补充依据"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.CHANGES_REQUESTED and request.due_date is None
    later = timezone.now() + timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    services.share_request_resubmit(
        actor=world.user("cons_staff_1"), request=request, **terms(legal_basis="新依据")
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert request.submitted_at == later and request.legal_basis == "新依据"
    assert request.due_date is not None and request.due_date > timezone.localdate(later)


def test_outgoing_signoff(matrix):
    cons = matrix.departments["cons"]
    cons.requires_outgoing_signoff = True
    cons.save()
    (request,) = submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_1"])
    assert request.status == RequestStatus.SIGNOFF and request.due_date is None
    with pytest.raises(PermissionDenied):
        services.share_request_signoff(
            actor=matrix.users["prov_approver_4"], request=request, approve=True
        )
    with pytest.raises(ValidationError):  # the provider cannot decide before the sign-off
        services.share_request_decide(
            actor=matrix.users["prov_approver_4"], request=request, decision="approve"
        )
    services.share_request_signoff(
        actor=matrix.users["cons_approver_4"], request=request, approve=True
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED and request.due_date is not None


def test_rejected_request_goes_to_coordinator_who_can_grant(world):
    request = world.requests["r_cons_1"]
    services.share_request_decide(
        actor=world.user("prov_approver_4"), request=request, decision="reject", reason="不同意"
    )
    with pytest.raises(ValidationError):
        services.share_request_escalate(
            actor=world.user("cons_staff_3"), request=request, reason=""
        )
    services.share_request_escalate(
        actor=world.user("cons_staff_3"), request=request, reason="依法应当共享"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.NEGOTIATION
    with pytest.raises(PermissionDenied):
        services.share_request_settle(
            actor=world.user("prov_approver_4"), request=request, approve=True, reason="x"
        )
    services.share_request_settle(
        actor=world.user("coordinator_4"), request=request, approve=True, reason="协调同意"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert Grant.objects.get(request=request).granted_by == world.user("coordinator_4")


def test_stale_expired_grant_does_not_block_a_new_approval(matrix):
    # cons holds an "active" grant on pub_cond_2 that ended yesterday; no sweep ran.
    (request,) = submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_2"])
    services.share_request_decide(
        actor=matrix.users["prov_approver_4"], request=request, decision="approve"
    )
    statuses = sorted(
        Grant.objects.filter(
            resource=matrix.resources["pub_cond_2"], department=matrix.departments["cons"]
        ).values_list("status", flat=True)
    )
    assert statuses == ["active", "expired"]


def test_withdraw(world):
    request = world.requests["r_cons_1"]
    with pytest.raises(PermissionDenied):
        services.share_request_withdraw(actor=world.user("prov_staff_4"), request=request)
    services.share_request_withdraw(actor=world.user("cons_staff_1"), request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
