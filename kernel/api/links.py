"""OpenAPI links: how the id an answer carries feeds the next operation (create → read → act).

drf-spectacular (0.30) has no way to declare a response's ``links``, so the post-processing hook
``add_links`` (SPECTACULAR_SETTINGS) adds them from this table. They document the flows for an
integrator (Swagger UI and ReDoc show them under each answer) and drive the stateful contract
test (tests/api/test_schemathesis.py), which chains the linked operations.

Each entry: (operationId, status) → {link name: (target operationId, {parameter: expression})}.
Parameters are named with their location (``path.id``, ``query.resource``); expressions are
OpenAPI runtime expressions into the answer's body.
"""

from __future__ import annotations

from typing import Any

Links = dict[str, tuple[str, dict[str, str]]]

BODY_ID = "$response.body#/id"


def _acts(target_ids: list[str], expression: str = BODY_ID) -> Links:
    return {_link_name(op): (op, {"path.id": expression}) for op in target_ids}


def _link_name(operation_id: str) -> str:
    # share_requests_request_changes → ShareRequestsRequestChanges
    return "".join(part.capitalize() for part in operation_id.split("_"))


SHARE_REQUEST_ACTIONS = [
    "share_requests_retrieve",
    "share_requests_submit",
    "share_requests_withdraw",
    "share_requests_approve",
    "share_requests_reject",
    "share_requests_request_changes",
    "share_requests_escalate",
    "share_requests_settle",
]
# The grants an approval creates: the requested resource's grants to the requesting department.
GRANTS_OF_APPROVAL = {
    "GrantsOfTheApproval": (
        "grants_list",
        {
            "query.resource": "$response.body#/resource",
            "query.department": "$response.body#/requester_department",
        },
    )
}
GRANT_ACTIONS = ["grants_retrieve", "grants_revoke"]
NEED_ACTIONS = [
    "needs_retrieve",
    "needs_claim",
    "needs_route",
    "needs_refuse",
    "needs_register",
    "needs_link",
    "needs_request",
]
CORRECTION_ACTIONS = ["corrections_retrieve", "corrections_answer"]
RESOURCE_ACTIONS = [
    "resources_retrieve",
    "resources_update",
    "resources_partial_update",
    "resources_submit",
    "resources_verify",
    "resources_publish",
    "resources_return",
    "resources_retire",
    "resources_scope",
    "resources_confirm_not_personal",
    "resources_versions",
    "resources_rows_list",
    "resources_rows_push",
]
# The answers that are the resource itself (verify, versions and rows answer something else).
RESOURCE_CHANGES = [
    op
    for op in RESOURCE_ACTIONS
    if op
    not in ("resources_verify", "resources_versions", "resources_rows_list", "resources_rows_push")
]


def _after_each(
    actions: list[str], links: Links, status: str = "200"
) -> dict[tuple[str, str], Links]:
    return {(op, status): links for op in actions}


LINKS: dict[tuple[str, str], Links] = {
    # Share requests: the create answers a list (one request per provider); the first one.
    ("share_requests_create", "201"): _acts(SHARE_REQUEST_ACTIONS, "$response.body#/0/id"),
    **_after_each(SHARE_REQUEST_ACTIONS, _acts(SHARE_REQUEST_ACTIONS)),
    ("share_requests_approve", "200"): {**_acts(SHARE_REQUEST_ACTIONS), **GRANTS_OF_APPROVAL},
    ("share_requests_settle", "200"): {**_acts(SHARE_REQUEST_ACTIONS), **GRANTS_OF_APPROVAL},
    ("grants_list", "200"): _acts(GRANT_ACTIONS, "$response.body#/results/0/id"),
    **_after_each(GRANT_ACTIONS, _acts(GRANT_ACTIONS)),
    # Needs: a need answered with a request leads to that request.
    ("needs_create", "201"): _acts(NEED_ACTIONS),
    **_after_each([op for op in NEED_ACTIONS if op != "needs_request"], _acts(NEED_ACTIONS)),
    ("needs_request", "201"): _acts(SHARE_REQUEST_ACTIONS, "$response.body#/share_request"),
    # Corrections.
    ("corrections_create", "201"): _acts(CORRECTION_ACTIONS),
    **_after_each(CORRECTION_ACTIONS, _acts(CORRECTION_ACTIONS)),
    # Resources: a draft is read, changed, submitted, reviewed, published, …
    ("resources_create", "201"): _acts(RESOURCE_ACTIONS),
    **_after_each(RESOURCE_CHANGES, _acts(RESOURCE_ACTIONS)),
}


def add_links(result: Any, generator: Any, request: Any, public: Any) -> Any:
    """drf-spectacular post-processing hook: add ``LINKS`` to the answers they start from."""
    by_id = {
        operation["operationId"]: operation
        for path in result.get("paths", {}).values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    for (operation_id, status), links in LINKS.items():
        operation = by_id.get(operation_id)
        if operation is None or status not in operation["responses"]:
            continue  # an operation this request's schema leaves out
        operation["responses"][status]["links"] = {
            name: {"operationId": target, "parameters": dict(parameters)}
            for name, (target, parameters) in sorted(links.items())
            if target in by_id
        }
    return result
