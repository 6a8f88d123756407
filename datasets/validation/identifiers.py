"""The check digits of the two national identifiers a data item may hold: the citizen ID number
(GB 11643) and the unified social credit code (GB 32100), checked fast enough for the row loop."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_RIC_FORMAT = re.compile(r"\d{17}[\dX]\Z")


@lru_cache(maxsize=8192)
def _birth_place_valid(region_and_year: str) -> bool:
    # Keyed by the first ten characters (region code and birth year), one string: cheaper to
    # hash than a pair, and a file has few distinct ones.
    try:
        ric.get_birth_place(f"{region_and_year}0101000X")
    except StdnumError:
        return False
    return True


@lru_cache(maxsize=65536)
def _birth_date_valid(yyyymmdd: str) -> bool:
    # A file's birth dates repeat (one per day of a century at most): one dict lookup each.
    try:
        dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return True


# The check character for each remainder of the weighted sum: (1 - 2 * sum) mod 11, 10 as X.
_RIC_CHECK = tuple("X" if c == 10 else str(c) for c in ((1 - 2 * r) % 11 for r in range(11)))


def citizen_id_valid(number: str) -> bool:
    """Return whether a GB 11643 citizen ID number is valid (stdnum.cn.ric.validate's rules)."""
    if not _RIC_FORMAT.match(number):
        return False
    # The weights are 2**(17 - i) mod 11, and 2 is 13 mod 11: reading the first 17 digits as a
    # base-13 number gives the weighted sum modulo 11.
    return (
        number[17] == _RIC_CHECK[int(number[:17], 13) % 11]
        and _birth_date_valid(number[6:14])
        and _birth_place_valid(number[:10])
    )


# USCC characters as digits of base 34, and every other ASCII character (letters, but also the
# sign, underscore and spaces int() would accept) as one int() refuses.
# The weights are 3**i mod 31 and 34 is 3 mod 31, so reading the first 17 characters reversed
# as a base-34 number gives the weighted sum modulo 31.
_USCC_BASE34 = str.maketrans(
    {
        **{chr(c): "#" for c in range(128)},
        **{c: "0123456789abcdefghijklmnopqrstu"[i] for i, c in enumerate(_USCC_ALPHABET)},
    }
)


def uscc_valid(number: str) -> bool:
    """Return whether a GB 32100 USCC is valid (stdnum.cn.uscc.validate's rules)."""
    if len(number) != 18 or not number.isascii() or not number[:8].isdigit():
        return False
    try:
        weighted = int(number[16::-1].translate(_USCC_BASE34), 34)
    except ValueError:
        return False
    last = _USCC_VALUE.get(number[17])
    return last is not None and last == (31 - weighted) % 31
