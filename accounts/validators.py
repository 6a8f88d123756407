"""Validators for the national identifiers the portal stores, and the password length rule.

Check digits are computed by python-stdnum, which implements GB 32100 (USCC) and GB 11643
(citizen ID numbers); region codes are looked up in the GB/T 2260 table that stdnum ships.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


def validate_uscc(value: str) -> None:
    """Refuse a unified social credit code whose format or check digit is wrong."""
    try:
        uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid unified social credit code (18 characters, GB 32100 check digit)."
            ),
            code="invalid_uscc",
            params={"value": value},
        ) from exc
    if value != uscc.compact(value):
        raise ValidationError(
            _("Write the unified social credit code without spaces or dashes."), code="invalid_uscc"
        )


def region_name(code: str) -> str | None:
    """Return the GB/T 2260 name of a six-digit region code, or None if it is unknown."""
    if len(code) != 6 or not code.isdigit():
        return None
    parts = numdb.get("cn/loc").info(code)
    # info() returns the province prefix and the rest; an unknown code has an empty second part.
    if len(parts) < 2 or not parts[0][1] or not parts[1][1]:
        return None
    return str(parts[1][1].get("county") or parts[0][1].get("province"))


def _region_codes() -> list[str]:
    """Every code region_name() knows: the GB/T 2260 table stdnum ships, walked once."""
    codes = set()
    for _length, low, high, province, counties in numdb.get("cn/loc").prefixes:
        if not province:
            continue
        for prefix in range(int(low), int(high) + 1):
            for length, county_low, county_high, county, _rest in counties:
                if county:
                    for suffix in range(int(county_low), int(county_high) + 1):
                        codes.add(f"{prefix:02d}{suffix:0{length}d}")
    return sorted(codes)


def _alternation(codes: list[str]) -> str:
    """A regular expression matching exactly ``codes`` (equal lengths), as a digit trie."""
    if len(codes[0]) == 1:
        if len(codes) == 1:
            return codes[0]
        # Runs of consecutive digits as ranges: [0-46-9].
        runs: list[list[str]] = []
        for digit in codes:
            if runs and int(digit) == int(runs[-1][-1]) + 1:
                runs[-1].append(digit)
            else:
                runs.append([digit])
        return "[" + "".join(r[0] if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs) + "]"
    branches: dict[str, list[str]] = {}
    for code in codes:
        branches.setdefault(code[0], []).append(code[1:])
    parts = [digit + _alternation(rest) for digit, rest in branches.items()]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


@cache
def region_code_pattern() -> str:
    """The regular expression (ECMA and Python alike) of exactly the codes the validator takes.

    For the API's schema: a bare ``^[0-9]{6}$`` would promise codes the validator refuses.
    """
    return f"^{_alternation(_region_codes())}$"


def validate_region_code(value: str) -> None:
    """Refuse a region code that is not a six-digit GB/T 2260 code."""
    if region_name(value) is None:
        raise ValidationError(
            _("“%(value)s” is not a GB/T 2260 administrative region code (six digits)."),
            code="invalid_region_code",
            params={"value": value},
        )


def validate_citizen_id(value: str) -> None:
    """Refuse a citizen ID number whose format, birth date or check digit is wrong."""
    try:
        ric.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid citizen ID number (GB 11643)."),
            code="invalid_citizen_id",
            params={"value": value},
        ) from exc


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with a message the portal's catalogs translate.

    Django 5.2 reworded the message and its Chinese catalog does not have the new wording yet,
    so the error appeared in English on a Chinese page.
    """

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
