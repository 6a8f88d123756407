"""Make valid national identifiers for demo and benchmark data."""

from __future__ import annotations

from stdnum.cn import uscc

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def organization_code(body: str) -> str:
    """Return the nine-character GB 11714 organization code for an eight-character body."""
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def government_uscc(region_code: str, sequence: int) -> str:
    """Return a valid USCC of a government body (机关: ``11``) in a region, unique per sequence."""
    first17 = "11" + region_code + organization_code(f"{sequence:08d}")
    return first17 + uscc.calc_check_digit(first17)
