"""A grant's row scope: the region-code prefixes an approver may limit rows to (数据回流).

An approver limits the rows of a grant to a prefix of the requesting department's own GB/T 2260
region code: its county/district, its city or its province, or leaves every row. A district's
request to a city (or province) department above it defaults to the district's own rows: the
data it collected for the city comes back to it, and no other district's rows go with it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Department
from accounts.validators import region_name

LOWER_LEVELS = frozenset({Department.AdminLevel.DISTRICT, Department.AdminLevel.TOWNSHIP})
UPPER_LEVELS = frozenset({Department.AdminLevel.CITY, Department.AdminLevel.PROVINCE})


def _significant(code: str) -> str:
    """Return a six-digit region code without its trailing ``00`` pairs: 340100 → 3401."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def prefixes(code: str) -> list[str]:
    """Return the region prefixes a code lies in, narrowest first: 340102 → 340102, 3401, 34."""
    narrowest = _significant(code)
    return [p for p in (code[:6], code[:4], code[:2]) if len(p) <= len(narrowest)]


def prefix_name(prefix: str) -> str:
    """Return the current GB/T 2260 name of a region prefix (340102 → 瑶海区), or ''."""
    name = region_name(prefix.ljust(6, "0")) or ""
    # The table keeps former names: "[1983-2001]东市区,[2002-]瑶海区"; the last one is current.
    return name.rsplit(",", 1)[-1].rsplit("]", 1)[-1]


def describe(prefix: str) -> str:
    """Return a row scope as a person reads it: "瑶海区 (340102)", or "all rows"."""
    if not prefix:
        return _("All rows")
    name = prefix_name(prefix)
    return f"{name} ({prefix})" if name else prefix


def choices(requester: Department) -> list[tuple[str, str]]:
    """Return the scopes an approver may choose for the department's grant: its areas, then all."""
    return [(p, describe(p)) for p in prefixes(requester.region_code)] + [("", describe(""))]


def default_scope(requester: Department, provider: Department) -> str:
    """Return the row scope an approval takes when the approver does not choose one.

    A district (or township) department asking a city or province department whose area holds
    it gets back its own region's rows; any other request gets every row.
    """
    if requester.admin_level not in LOWER_LEVELS or provider.admin_level not in UPPER_LEVELS:
        return ""
    if not requester.region_code.startswith(_significant(provider.region_code)):
        return ""
    return _significant(requester.region_code)


def is_allowed(prefix: str, requester: Department) -> bool:
    """Return whether a row scope may be set on the department's grant."""
    return prefix == "" or (
        2 <= len(prefix) <= 6 and prefix.isdigit() and requester.region_code.startswith(prefix)
    )
