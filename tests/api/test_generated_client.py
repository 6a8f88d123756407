"""The generated Python client (clients/python) against a running portal, over real HTTP.

The share-request flow of docs/api.md § 3, as an integrator runs it with ``portal_client``:
the answers are the client's typed objects, so a schema the client misreads fails here. And the
committed client must be what the committed schema generates (``make client``).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from portal_client import AuthenticatedClient
from portal_client.api.data import resources_rows_list
from portal_client.api.share_requests import (
    share_requests_approve,
    share_requests_create,
    share_requests_list,
)
from portal_client.api.sharing import grants_list
from portal_client.models import (
    ApproveRequest,
    ErrorResponse,
    GrantStatusEnum,
    PaginatedGrantList,
    PaginatedShareRequestList,
    PurposeEnum,
    RowPage,
    ShareRequest,
    ShareRequestCreateRequest,
    ShareRequestsListSide,
    ShareRequestsListStatus,
    ShareStatusEnum,
)

from accounts.models import Department, Level, Role
from catalog.models import Resource
from datasets import services as data_services
from tests import builders

ROOT = Path(__file__).resolve().parents[2]


def test_committed_client_is_generated_from_the_committed_schema():
    result = subprocess.run(  # noqa: S603 - the project's own script, fixed arguments
        [sys.executable, ROOT / "scripts" / "generate_client.py", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_share_request_flow_through_the_generated_client(live_server):
    provider = builders.department("提供部门")
    consumer = builders.department("使用部门")
    requester = builders.user(consumer, clearance=Level.L2)
    approver = builders.user(provider, clearance=Level.L4, roles=(Role.APPROVER,))
    editor = builders.user(provider, clearance=Level.L4, roles=(Role.EDITOR,))
    resource = builders.resource(
        provider,
        level=2,
        items=[
            builders.item("编号", level=1, is_key=True),
            builders.item("名称", level=1, length=50),
            builders.item("地址", level=2, length=100),
        ],
    )
    data_services.dataset_push(
        actor=editor,
        resource=resource,
        rows=[
            {"编号": "A1", "名称": "甲", "地址": "蜀山区一号"},
            {"编号": "A2", "名称": "乙", "地址": "包河区二号"},
        ],
        mode="replace",
        batch_id="client-1",
    )
    # Closed at the end (the `with`): an open keep-alive connection would keep the live
    # server's thread, and its database connection, past the test.
    with (
        AuthenticatedClient(
            base_url=live_server.url,
            token=builders.api_key(requester),
            raise_on_unexpected_status=True,
        ) as as_requester,
        AuthenticatedClient(
            base_url=live_server.url,
            token=builders.api_key(approver),
            raise_on_unexpected_status=True,
        ) as as_approver,
    ):
        _run_the_flow(as_requester, as_approver, resource, consumer, provider)


def _run_the_flow(
    as_requester: AuthenticatedClient,
    as_approver: AuthenticatedClient,
    resource: Resource,
    consumer: Department,
    provider: Department,
) -> None:
    items = {item.name: item.pk for item in resource.items.all()}

    # No grant yet: the data is refused, in the error shape the client parses.
    refused_rows = resources_rows_list.sync_detailed(resource.pk, client=as_requester)
    assert refused_rows.status_code == 403 and isinstance(refused_rows.parsed, ErrorResponse)
    assert refused_rows.parsed.error.code == "permission_denied"

    until = timezone.localdate() + timedelta(days=60)
    created = share_requests_create.sync(
        client=as_requester,
        body=ShareRequestCreateRequest(
            resources=[resource.pk],
            legal_basis="《社会救助暂行办法》第十一条",
            purpose=PurposeEnum.VERIFICATION,
            scenario="低保资格核查",
            valid_until=until,
        ),
    )
    assert isinstance(created, list) and len(created) == 1
    request = created[0]
    assert isinstance(request, ShareRequest)
    assert request.status == ShareStatusEnum.SUBMITTED and request.resource == resource.pk
    assert request.provider_department == provider.pk and request.valid_until == until
    assert sorted(request.items) == sorted(items.values())

    # The requester cannot decide its own request.
    self_approval = share_requests_approve.sync_detailed(
        request.id, client=as_requester, body=ApproveRequest()
    )
    assert self_approval.status_code == 403 and isinstance(self_approval.parsed, ErrorResponse)

    inbox = share_requests_list.sync(
        client=as_approver,
        side=ShareRequestsListSide.RECEIVED,
        status=ShareRequestsListStatus.SUBMITTED,
    )
    assert isinstance(inbox, PaginatedShareRequestList)
    assert [row.id for row in inbox.results] == [request.id]
    approved = share_requests_approve.sync(
        request.id,
        client=as_approver,
        body=ApproveRequest(items=[items["编号"], items["名称"]], reason="同意核查使用"),
    )
    assert isinstance(approved, ShareRequest)
    assert (
        approved.status == ShareStatusEnum.APPROVED and approved.decision_reason == "同意核查使用"
    )

    grants = grants_list.sync(client=as_requester, resource=resource.pk)
    assert isinstance(grants, PaginatedGrantList) and len(grants.results) == 1
    grant = grants.results[0]
    assert grant.status == GrantStatusEnum.ACTIVE and grant.in_force
    # The grant runs through the request's last day: it ends as the next one begins.
    assert grant.department == consumer.pk and grant.valid_until.tzinfo is not None
    assert grant.valid_until.date() == until + timedelta(days=1)
    assert (grant.valid_until.hour, grant.valid_until.minute) == (0, 0)
    assert sorted(item.name for item in grant.items) == ["名称", "编号"]

    # The rows carry the granted items only: the address was asked for and not granted.
    page = resources_rows_list.sync(resource.pk, client=as_requester)
    assert isinstance(page, RowPage)
    assert page.columns == ["编号", "名称"] and page.next_cursor is None
    assert [row.to_dict() for row in page.results] == [
        {"编号": "A1", "名称": "甲"},
        {"编号": "A2", "名称": "乙"},
    ]
