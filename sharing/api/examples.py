"""Examples of the sharing API's answers along the share-request flow, shown in the schema
(tests/api/test_schema.py checks each against its response schema)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

from catalog.api.examples import ITEMS

# What status each stage of the workflow shows (ShareRequest.status and .stage).
_REQUEST: dict[str, Any] = {
    "id": 41,
    "number": "GX-2026-000041",
    "status": "submitted",
    "stage": "submitted",
    "resource": 912,
    "resources": [12],
    "items": [301, 302],
    "requester_department": 7,
    "provider_department": 3,
    "deadline": "2026-03-24",
    "deadline_provisional": False,
    "purpose": "verification",
    "purpose_other": "",
    "legal_basis": "《A市社会救助办法》第十二条",
    "scenario": "低保申请人身份核验",
    "valid_from": "2026-03-10",
    "valid_until": "2026-12-31",
    "created_at": "2026-03-10T09:30:00+08:00",
    "submitted_at": "2026-03-10T09:30:00+08:00",
    "decided_at": None,
    "decision_reason": "",
    "changes_comment": "",
}


def share_request(**changes: Any) -> dict[str, Any]:
    """Return the example request as it stands after a step of the flow."""
    return {**_REQUEST, **changes}


def _example(name: str, value: Any, code: int = 200, description: str = "") -> OpenApiExample:
    return OpenApiExample(
        name, value=value, description=description, response_only=True, status_codes=[code]
    )


DECIDED = "2026-03-17T15:00:00+08:00"

CREATED = _example(
    "Submitted to the provider",
    share_request(),
    201,
    "One request per provider; a request needing the requesting department's sign-off is "
    "`draft` at stage `signoff` until its approver submits it.",
)
SHOWN = _example("A submitted request", share_request())
SUBMITTED = _example("Submitted (signed off, or resubmitted with changes)", share_request())
WITHDRAWN = _example("Withdrawn", share_request(status="withdrawn", stage="withdrawn"))
APPROVED = _example(
    "Approved: the grants exist",
    share_request(status="approved", stage="approved", decided_at=DECIDED),
)
REJECTED = _example(
    "Rejected",
    share_request(
        status="rejected",
        stage="rejected",
        decided_at=DECIDED,
        decision_reason="申请用途与共享条件不符。",
    ),
)
CHANGES_REQUESTED = _example(
    "Changes asked",
    share_request(
        status="changes_requested",
        stage="changes",
        changes_comment="请补充申请依据的具体条款。",
    ),
)
ESCALATED = _example(
    "Escalated to the coordinator",
    share_request(
        status="escalated",
        stage="negotiation",
        decided_at=DECIDED,
        decision_reason="申请用途与共享条件不符。",
    ),
)

SETTLED = _example(
    "Settled by the coordinator: approved, the grants exist",
    share_request(
        status="approved",
        stage="approved",
        decided_at=DECIDED,
        decision_reason="经协调，按最小必要原则共享所列数据项。",
    ),
)

_GRANT: dict[str, Any] = {
    "id": 88,
    "resource": 912,
    "resource_name": "常住人口基础信息",
    "resource_code": "101/000912",
    "department": 7,
    "department_name": "A市民政局",
    "items": ITEMS[:2],
    "valid_from": "2026-03-17T00:00:00+08:00",
    "valid_until": "2026-12-31T23:59:59+08:00",
    "status": "active",
    "in_force": True,
    "row_scope_region": "340102",
    "clear_items": [301],
    "clear_reason": "依据《居民身份证法》第十五条，核验辖区居民身份须完整号码。",
    "purpose": "数据校核",
    "created_at": DECIDED,
    "revoked_at": None,
    "revoke_reason": "",
}
GRANT = _example("An active grant", _GRANT)
REVOKED_GRANT = _example(
    "Revoked",
    {
        **_GRANT,
        "status": "revoked",
        "in_force": False,
        "revoked_at": "2026-06-01T11:00:00+08:00",
        "revoke_reason": "使用部门已完成核验工作。",
    },
)
