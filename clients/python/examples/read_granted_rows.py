"""List the grants your department holds and read a granted resource's rows, page by page.

    PORTAL_URL=… PORTAL_KEY=gdp_… python read_granted_rows.py            # grants in force
    PORTAL_URL=… PORTAL_KEY=gdp_… python read_granted_rows.py 2          # every row of resource 2
    PORTAL_URL=… PORTAL_KEY=gdp_… python read_granted_rows.py 2 --key 编号=A001

Rows hold only the granted items within your clearance, personal data masked unless the grant
delivers it in clear (docs/api.md § 3a). A read token is enough.
"""

from __future__ import annotations

import argparse

from _connect import client, ok

from portal_client.api.data import resources_rows_list
from portal_client.api.sharing import grants_list
from portal_client.models import GrantsListStatus
from portal_client.types import UNSET, Unset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("resource", type=int, nargs="?", help="read this resource's rows")
    parser.add_argument("--key", action="append", help="ITEM=VALUE on a key item (repeatable)")
    args = parser.parse_args()
    # Closed at the end: the connection it keeps open is released.
    with client() as portal:
        if args.resource is None:
            grants = ok(grants_list.sync(client=portal, status=GrantsListStatus.ACTIVE))
            for grant in grants.results:
                items = ", ".join(item.name for item in grant.items)
                print(f"resource {grant.resource} {grant.resource_name}: until {grant.valid_until}")
                print(f"  in force: {grant.in_force}; items: {items}")
            return

        # `key` filters on key items: `ITEM:VALUE`, as the API takes it.
        keys: list[str] | Unset = [k.replace("=", ":", 1) for k in args.key] if args.key else UNSET
        after: str | Unset = UNSET
        while True:
            page = ok(resources_rows_list.sync(args.resource, client=portal, key=keys, after=after))
            if after is UNSET:
                print("\t".join(page.columns))
            for row in page.results:
                print("\t".join(row[column] or "" for column in page.columns))
            if page.next_cursor is None:
                break
            after = page.next_cursor


if __name__ == "__main__":
    main()
