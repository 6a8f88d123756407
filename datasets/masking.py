"""Mask personal data (DOMAIN.md convention): keep a few leading and trailing characters.

``PORTAL_DATA_MASKING`` maps a data item kind to ``(keep_first, keep_last)``; a kind without a
rule is delivered as it is. The defaults: ID number 6 + 4 (``110105********1234``), mobile 3 + 4
(``138****1234``), name the first character (``张*``),
bank card 6 + 4, address its first six characters (province and city).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from catalog.detection import detect_value

MASK = "*"
DEFAULT_RULES: dict[str, tuple[int, int]] = {
    "id_number": (6, 4),
    "mobile": (3, 4),
    "name": (1, 0),
    "bank_card": (6, 4),
    "address": (6, 0),
}


def rules() -> dict[str, tuple[int, int]]:
    return dict(getattr(settings, "PORTAL_DATA_MASKING", DEFAULT_RULES))


def mask(value: str | None, keep_first: int, keep_last: int) -> str | None:
    """Return the value with all but the kept characters replaced by ``*``."""
    if value is None:
        return None
    hidden = len(value) - keep_first - keep_last
    if hidden <= 0:
        # Too short to keep both ends and still hide something: hide all but the first.
        return value[:1] + MASK * (len(value) - 1) if len(value) > 1 else MASK
    return value[:keep_first] + MASK * hidden + (value[-keep_last:] if keep_last else "")


def masker_for(kind: str) -> Callable[[str | None], str | None] | None:
    """Return the masking function for a data item kind, or None if it is delivered in clear."""
    rule = rules().get(kind)
    if rule is None:
        return None
    keep_first, keep_last = rule
    return lambda value: mask(value, keep_first, keep_last)


def mask_detected(value: str | None) -> str | None:
    """Mask a value that is personal data by its shape and check digits, whatever its item says.

    The safety net for items tagged "not personal" (``catalog.detection.detect_value``): an ID
    number, mobile, bank card or sole trader's USCC is masked by its kind's rule. A value that is
    none of these (most are rejected by one regular expression) is returned as it is.
    """
    if not value:
        return value
    found = detect_value(value)
    if found is None:
        return value
    rule = rules().get(found.kind)
    return mask(value, *rule) if rule else value
