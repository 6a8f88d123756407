"""Request resources' data, as the requesting department's system (a write token of staff).

    PORTAL_URL=https://portal.example.gov.cn PORTAL_KEY=gdp_… \
        python request_access.py 2 --until 2027-06-30 --basis "《社会救助暂行办法》第十一条" \
        --scenario "低保申请人户籍核查"

One request is made per provider; each goes to the provider's approvers (or first to your own
department's approver, where it requires an outgoing sign-off: status `draft`).
"""

from __future__ import annotations

import argparse
from datetime import date

from _connect import client, ok

from portal_client.api.share_requests import share_requests_create
from portal_client.models import PurposeEnum, ShareRequestCreateRequest
from portal_client.types import UNSET


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("resources", type=int, nargs="+", help="resource ids")
    parser.add_argument("--until", type=date.fromisoformat, required=True, help="last day of use")
    parser.add_argument("--basis", required=True, help="the legal basis (使用依据)")
    parser.add_argument("--scenario", required=True, help="what the data is used for")
    parser.add_argument("--purpose", type=PurposeEnum, default=PurposeEnum.VERIFICATION)
    parser.add_argument("--items", type=int, nargs="*", help="only these data item ids")
    args = parser.parse_args()

    with client() as portal:
        made = ok(
            share_requests_create.sync(
                client=portal,
                body=ShareRequestCreateRequest(
                    resources=args.resources,
                    legal_basis=args.basis,
                    purpose=args.purpose,
                    scenario=args.scenario,
                    valid_until=args.until,
                    items=args.items or UNSET,
                ),
            )
        )
    for request in made:
        print(f"{request.number} (id {request.id}) to department {request.provider_department}:")
        print(f"  {request.status}, reply due {request.deadline or '-'}, items {request.items}")


if __name__ == "__main__":
    main()
