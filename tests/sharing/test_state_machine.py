"""The request state machine as a property: random action sequences through the services.

The model below is written from the brief, not from ``sharing.models.TRANSITIONS``. After every
step: each request is in the state the model predicts (an illegal action changed nothing), a grant
exists iff the request was approved and it is active unless revoked, and the guardian rows match
the active grants exactly.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.models import Role
from catalog.models import ResourceGroupObjectPermission
from sharing import services
from sharing.models import Grant, RequestStatus, ShareRequest
from tests import builders
from tests.sampling import examples

from .conftest import terms

S = RequestStatus
OPEN = {S.SIGNOFF, S.SUBMITTED, S.CHANGES_REQUESTED, S.NEGOTIATION}
MODEL = {
    "signoff": {S.SIGNOFF: S.SUBMITTED},
    "return": {S.SIGNOFF: S.CHANGES_REQUESTED},
    "approve": {S.SUBMITTED: S.APPROVED},
    "reject": {S.SUBMITTED: S.REJECTED},
    "changes": {S.SUBMITTED: S.CHANGES_REQUESTED},
    "resubmit": {S.CHANGES_REQUESTED: None},  # to sign-off or to the provider
    "escalate": {S.REJECTED: S.NEGOTIATION},
    "settle_approve": {S.NEGOTIATION: S.APPROVED},
    "settle_refuse": {S.NEGOTIATION: S.REFUSED},
    "withdraw": {
        S.SIGNOFF: S.WITHDRAWN,
        S.SUBMITTED: S.WITHDRAWN,
        S.CHANGES_REQUESTED: S.WITHDRAWN,
    },
}


@pytest.fixture
def people(db):
    prov = builders.department("状态机提供方")
    cons = builders.department("状态机申请方")
    coord = builders.department("状态机数据局")
    return {
        "prov": prov,
        "cons": cons,
        "requester": builders.user(cons, clearance=4),
        "cons_approver": builders.user(cons, clearance=4, roles=(Role.STAFF, Role.APPROVER)),
        "approver": builders.user(prov, clearance=4, roles=(Role.STAFF, Role.APPROVER)),
        "coordinator": builders.user(coord, clearance=4, roles=(Role.STAFF, Role.COORDINATOR)),
    }


def _machine(people):
    class RequestMachine(RuleBasedStateMachine):
        @initialize(signoff=st.booleans())
        def setup(self, signoff):
            self.p = people
            cons = people["cons"]
            cons.requires_outgoing_signoff = signoff
            cons.save()
            people["requester"].department.refresh_from_db()
            self.signoff = signoff
            self.resources = [builders.resource(people["prov"]) for _ in range(2)]
            self.expected: dict[int, str] = {}
            self.resource_of: dict[int, int] = {}
            self.revoked: set[int] = set()

        def _active_grant(self, resource_pk):
            return Grant.objects.filter(
                resource_id=resource_pk, department=self.p["cons"], status=Grant.Status.ACTIVE
            ).exists()

        @rule(which=st.integers(0, 1))
        def submit(self, which):
            resource = self.resources[which]
            blocked = self._active_grant(resource.pk) or any(
                self.resource_of[pk] == resource.pk and status in OPEN
                for pk, status in self.expected.items()
            )
            requester = self.p["requester"]
            if blocked:
                with pytest.raises(ValidationError):
                    services.basket_add(actor=requester, resource=resource)
                return
            services.basket_add(actor=requester, resource=resource)
            (request,) = services.share_requests_submit(actor=requester, **terms())
            self.expected[request.pk] = S.SIGNOFF if self.signoff else S.SUBMITTED
            self.resource_of[request.pk] = resource.pk

        @precondition(lambda self: self.expected)
        @rule(data=st.data(), action=st.sampled_from(sorted(MODEL)))
        def act(self, data, action):
            pk = data.draw(st.sampled_from(sorted(self.expected)))
            request = ShareRequest.objects.get(pk=pk)
            before = self.expected[pk]
            allowed = before in MODEL[action]
            call = self._call(action, request)
            if not allowed:
                with pytest.raises(ValidationError):
                    call()
                return
            call()
            target = MODEL[action][before]
            if target is None:
                target = S.SIGNOFF if self.signoff else S.SUBMITTED
            self.expected[pk] = target

        def _call(self, action, request):
            p = self.p
            calls = {
                "signoff": lambda: services.share_request_signoff(
                    actor=p["cons_approver"], request=request, approve=True
                ),
                "return": lambda: services.share_request_signoff(
                    actor=p["cons_approver"], request=request, approve=False, comment="补充"
                ),
                "approve": lambda: services.share_request_decide(
                    actor=p["approver"], request=request, decision="approve"
                ),
                "reject": lambda: services.share_request_decide(
                    actor=p["approver"], request=request, decision="reject", reason="不符合条件"
                ),
                "changes": lambda: services.share_request_decide(
                    actor=p["approver"], request=request, decision="changes", reason="补充依据"
                ),
                "resubmit": lambda: services.share_request_resubmit(
                    actor=p["requester"], request=request, **terms()
                ),
                "escalate": lambda: services.share_request_escalate(
                    actor=p["requester"], request=request, reason="请求协调"
                ),
                "settle_approve": lambda: services.share_request_settle(
                    actor=p["coordinator"], request=request, approve=True, reason="同意"
                ),
                "settle_refuse": lambda: services.share_request_settle(
                    actor=p["coordinator"], request=request, approve=False, reason="不同意"
                ),
                "withdraw": lambda: services.share_request_withdraw(
                    actor=p["requester"], request=request
                ),
            }
            return calls[action]

        @precondition(lambda self: self.expected)
        @rule(data=st.data())
        def revoke(self, data):
            active = list(
                Grant.objects.filter(
                    request_id__in=self.expected, status=Grant.Status.ACTIVE
                ).values_list("pk", flat=True)
            )
            if not active:
                return
            pk = data.draw(st.sampled_from(active))
            services.grant_revoke(
                actor=self.p["approver"], grant=Grant.objects.get(pk=pk), reason="撤销"
            )
            self.revoked.add(pk)

        @invariant()
        def states_match_the_model(self):
            actual = dict(
                ShareRequest.objects.filter(pk__in=self.expected).values_list("pk", "status")
            )
            assert actual == self.expected
            for status in actual.values():
                assert status in S.values

        @invariant()
        def grant_iff_approved_and_active_unless_revoked(self):
            for pk, status in self.expected.items():
                grants = list(Grant.objects.filter(request_id=pk))
                if status == S.APPROVED:
                    assert len(grants) == 1
                    want = (
                        Grant.Status.REVOKED
                        if grants[0].pk in self.revoked
                        else Grant.Status.ACTIVE
                    )
                    assert grants[0].status == want
                else:
                    assert grants == []

        @invariant()
        def guardian_rows_match_active_grants(self):
            for resource in self.resources:
                has_row = ResourceGroupObjectPermission.objects.filter(
                    content_object=resource,
                    group=self.p["cons"].group,
                    permission__codename="read_resource_data",
                ).exists()
                assert has_row == self._active_grant(resource.pk)

    return RequestMachine


def test_request_state_machine(people):
    run_state_machine_as_test(
        _machine(people),
        settings=settings(
            max_examples=examples(20),
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
