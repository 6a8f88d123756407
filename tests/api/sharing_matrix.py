"""Share requests built on top of the access matrix, and what each matrix user may do with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import Department, Role, User
from sharing import services
from sharing.models import ShareRequest

from ..access_matrix import DELEGATIONS


@dataclass(frozen=True)
class RequestSpec:
    requester: str  # matrix user key
    resources: tuple[str, ...]  # matrix resource keys, all of one provider
    stage: str  # the workflow state the request is left in


# Every public status except approved/withdrawn (those are reached in the tests themselves).
REQUESTS = {
    "r_cond_1": RequestSpec("cons_staff_3", ("pub_cond_1",), "submitted"),
    "r_cond_4": RequestSpec("cons_staff_4", ("pub_cond_4",), "submitted"),  # level 4
    "r_other_draft": RequestSpec("other_staff_3", ("pub_cond_2",), "signoff"),
    "r_none_1": RequestSpec("cons_staff_3", ("pub_none_1",), "negotiation"),
    "r_rejected": RequestSpec("cons_staff_4", ("pub_cond_2",), "rejected"),
}

TERMS = {
    "legal_basis": "《政务信息资源共享管理暂行办法》",
    "purpose": "verification",
    "scenario": "业务核查",
}


def build_requests(matrix) -> dict[str, ShareRequest]:
    """Create the requests through the services, as the portal would."""
    # The other department's outgoing requests need its own approver's sign-off first.
    Department.objects.filter(pk=matrix.departments["other"].pk).update(
        requires_outgoing_signoff=True
    )
    today = timezone.localdate()
    built = {}
    for key, spec in REQUESTS.items():
        requester = User.objects.get(pk=matrix.users[spec.requester].pk)
        (request,) = services.share_requests_submit(
            actor=requester,
            resources=[matrix.resources[r] for r in spec.resources],
            valid_from=today,
            valid_until=today + timedelta(days=90),
            **TERMS,
        )
        if spec.stage == "rejected":
            services.share_request_decide(
                actor=User.objects.get(pk=matrix.users["prov_approver_4"].pk),
                request=request,
                decision="reject",
                reason="用途不明确",
            )
        request.refresh_from_db()
        assert request.status == spec.stage, (key, request.status)
        built[key] = request
    return built


def _provider(matrix, spec: RequestSpec) -> str:
    return matrix.resource_specs[spec.resources[0]].provider


def _requester_department(matrix, spec: RequestSpec) -> str | None:
    return matrix.user_specs[spec.requester].department


def expect_request_visible(matrix, user_key: str, request_key: str) -> bool:
    """The visibility rule written plainly: the two departments and the coordinator.

    A draft awaiting its own department's sign-off has not reached the provider yet; nobody sees
    a request naming a resource whose catalog entry's scope does not admit them.
    """
    user, spec = matrix.user_specs[user_key], REQUESTS[request_key]
    if not all(matrix.expect_in_scope(user_key, r) for r in spec.resources):
        return False
    if Role.COORDINATOR in user.roles or user.department == _requester_department(matrix, spec):
        return True
    if spec.stage == "signoff":
        return False
    if user.department is not None and user.department == _provider(matrix, spec):
        return True
    decides = {r for u, r, codename in DELEGATIONS if u == user_key and codename.startswith("dec")}
    return set(spec.resources) <= decides


def _provider_approver(matrix, user_key: str, spec: RequestSpec) -> bool:
    """The provider's approvers, cleared for every resource named (deciding needs clearance)."""
    user = matrix.user_specs[user_key]
    cleared = all(matrix.resource_specs[r].level <= user.clearance for r in spec.resources)
    return Role.APPROVER in user.roles and user.department == _provider(matrix, spec) and cleared


def _requester(matrix, user_key: str, spec: RequestSpec) -> bool:
    return matrix.user_specs[user_key].department == _requester_department(matrix, spec)


def _coordinator(matrix, user_key: str, spec: RequestSpec) -> bool:
    """The coordinator, outside both parties and cleared for every resource named."""
    user = matrix.user_specs[user_key]
    cleared = all(matrix.resource_specs[r].level <= user.clearance for r in spec.resources)
    parties = {_provider(matrix, spec), _requester_department(matrix, spec)}
    return Role.COORDINATOR in user.roles and user.department not in parties and cleared


# action -> (body, the stages it applies to, who may: (matrix, user_key, spec) -> bool,
#            whether the state is checked before the role)
ACTIONS = {
    "approve": ({}, {"submitted"}, _provider_approver, True),
    "reject": ({"reason": "不符合共享条件"}, {"submitted"}, _provider_approver, True),
    "request-changes": ({"comment": "请补充依据"}, {"submitted"}, _provider_approver, True),
    "withdraw": (None, {"signoff", "submitted", "changes"}, _requester, False),
    "escalate": ({"reason": "请协调"}, {"rejected"}, _requester, False),
    "settle": (
        {"decision": "refuse", "reason": "经协调不予共享"},
        {"negotiation"},
        _coordinator,
        True,
    ),
}


def expect_action_status(matrix, user_key: str, request_key: str, action: str) -> int:
    """Return the status an action must answer: 404 hidden, 409 wrong state, 403 wrong party."""
    if not expect_request_visible(matrix, user_key, request_key):
        return 404
    _body, stages, may, state_first = ACTIONS[action]
    spec = REQUESTS[request_key]
    allowed = may(matrix, user_key, spec)
    if action == "request-changes" and spec.stage == "signoff":
        # On a draft it is the requesting department's approver who returns it.
        stages = {"signoff"}
        allowed = _requester(matrix, user_key, spec) and (
            Role.APPROVER in matrix.user_specs[user_key].roles
        )
    if spec.stage not in stages and (state_first or allowed):
        return 409
    return 200 if allowed else 403
