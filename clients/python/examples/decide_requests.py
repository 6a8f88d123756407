"""Decide the share requests waiting for your department, as the provider's approver.

    PORTAL_URL=… PORTAL_KEY=gdp_… python decide_requests.py             # list what waits
    PORTAL_URL=… PORTAL_KEY=gdp_… python decide_requests.py 31 --approve --reason "同意核查使用"
    PORTAL_URL=… PORTAL_KEY=gdp_… python decide_requests.py 31 --reject --reason "用途与条件不符"

Approving creates the grants; it may narrow the items (--items) and the period (--until).
The approver's token was created by the approver right after their second factor.
"""

from __future__ import annotations

import argparse
from datetime import date

from _connect import client, ok

from portal_client.api.share_requests import (
    share_requests_approve,
    share_requests_list,
    share_requests_reject,
)
from portal_client.models import (
    ApproveRequest,
    ReasonRequest,
    ShareRequestsListSide,
    ShareRequestsListStatus,
)
from portal_client.types import UNSET


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("request", type=int, nargs="?", help="the request's id")
    decision = parser.add_mutually_exclusive_group()
    decision.add_argument("--approve", action="store_true")
    decision.add_argument("--reject", action="store_true")
    parser.add_argument("--reason", default="", help="required to reject")
    parser.add_argument("--items", type=int, nargs="*", help="grant only these item ids")
    parser.add_argument("--until", type=date.fromisoformat, help="shorten the period")
    args = parser.parse_args()
    # Closed at the end: the connection it keeps open is released.
    with client() as portal:
        if args.request is None:
            waiting = ok(
                share_requests_list.sync(
                    client=portal,
                    side=ShareRequestsListSide.RECEIVED,
                    status=ShareRequestsListStatus.SUBMITTED,
                )
            )
            for request in waiting.results:
                print(
                    f"{request.id}\t{request.number}\tfrom department {request.requester_department}"
                    f"\tdue {request.deadline}\t{request.scenario}"
                )
            return
        if args.approve:
            decided = share_requests_approve.sync(
                args.request,
                client=portal,
                body=ApproveRequest(
                    items=args.items or UNSET,
                    valid_until=args.until or UNSET,
                    reason=args.reason or UNSET,
                ),
            )
        elif args.reject:
            decided = share_requests_reject.sync(
                args.request, client=portal, body=ReasonRequest(reason=args.reason)
            )
        else:
            parser.error("say --approve or --reject")
        request = ok(decided)
        print(f"{request.number}: {request.status} {request.decision_reason}")


if __name__ == "__main__":
    main()
