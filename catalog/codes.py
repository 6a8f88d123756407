"""The information system code (信息系统备案编号), assigned by the coordinator at approval.

Eighteen characters, all digits but the last::

    RRRRRR YYYY DDD SSSS C
    region year dept seq check

- ``RRRRRR``: the owner department's GB/T 2260 region code;
- ``YYYY``: the year of approval (local time);
- ``DDD``: the department's filing number within its region (``Department.filing_number``,
  given at its first approval and never changed);
- ``SSSS``: the sequence of approvals within the region and year (``SystemCodeCounter``);
- ``C``: the ISO 7064 MOD 11-2 check character over the 17 digits (``0``–``9`` or ``X``), the
  scheme of the citizen identity number (GB 11643), computed by python-stdnum.

The code never changes once assigned; docs/decisions.md says why it is built this way.
"""

from __future__ import annotations

import re

from stdnum.iso7064 import mod_11_2

CODE_RE = re.compile(r"^[0-9]{17}[0-9X]$")
MAX_DEPARTMENT_NUMBER = 999
MAX_SEQUENCE = 9999


def system_code(*, region_code: str, year: int, department_number: int, sequence: int) -> str:
    """Return the code of the ``sequence``-th system approved in the region and year."""
    if not (re.fullmatch(r"[0-9]{6}", region_code) and 1000 <= year <= 9999):
        raise ValueError(f"bad region or year: {region_code!r} {year!r}")
    if not (1 <= department_number <= MAX_DEPARTMENT_NUMBER and 1 <= sequence <= MAX_SEQUENCE):
        raise ValueError(f"bad department number or sequence: {department_number} {sequence}")
    body = f"{region_code}{year:04d}{department_number:03d}{sequence:04d}"
    return body + mod_11_2.calc_check_digit(body)


def is_valid_system_code(code: str) -> bool:
    """Return whether the text is a well-formed system code with a correct check character."""
    return bool(CODE_RE.match(code)) and mod_11_2.is_valid(code)
