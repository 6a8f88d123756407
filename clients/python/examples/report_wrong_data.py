"""Report wrong data in a resource you may read (校核纠错), and follow your reports.

    PORTAL_URL=… PORTAL_KEY=gdp_… python report_wrong_data.py 2 "A001 的名称应为 甲公司" --item 7
    PORTAL_URL=… PORTAL_KEY=gdp_… python report_wrong_data.py                # your reports

The provider's editors answer (accept or reject) by the due date.
"""

from __future__ import annotations

import argparse

from _connect import client, ok

from portal_client.api.corrections import corrections_create, corrections_list
from portal_client.models import CorrectionCreateRequest
from portal_client.types import UNSET


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("resource", type=int, nargs="?", help="the resource's id")
    parser.add_argument("description", nargs="?", help="what is wrong")
    parser.add_argument("--item", type=int, help="the data item's id, if one is wrong")
    parser.add_argument("--evidence", default="", help="where the right value comes from")
    args = parser.parse_args()
    # Closed at the end: the connection it keeps open is released.
    with client() as portal:
        if args.resource is None:
            for report in ok(corrections_list.sync(client=portal)).results:
                print(
                    f"{report.id}\tresource {report.resource}\t{report.status}\tdue {report.due_date}"
                )
                if report.answer:
                    print(f"\tanswer: {report.answer}")
            return
        if not args.description:
            parser.error("say what is wrong")
        report = ok(
            corrections_create.sync(
                client=portal,
                body=CorrectionCreateRequest(
                    resource=args.resource,
                    description=args.description,
                    item=args.item if args.item is not None else UNSET,
                    evidence=args.evidence or UNSET,
                ),
            )
        )
        print(f"report {report.id}: {report.status}, answer due {report.due_date}")


if __name__ == "__main__":
    main()
