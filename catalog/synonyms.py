"""The synonym dictionary as the search reads it: every term mapped to the terms of its group.

The coordinator keeps the groups (``catalog.services.synonyms``); the search expands each query
term to its group (``catalog.search``). The whole dictionary is a few hundred short strings, so
it is read in one query and cached for ``PORTAL_SYNONYM_CACHE_SECONDS`` (default 60): the
services drop the cached copy on every change (at once and again on commit), other processes
see the change within that time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from .models import SynonymTerm

CACHE_KEY = "catalog:synonyms:v1"
# A term is one run of Chinese characters or of letters and digits, as a query's runs are.
TERM_RE = re.compile(r"^(?:[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+)$")
TERM_MAX_LENGTH = 30
GROUP_MAX_TERMS = 20
# What separates terms where the coordinator types a group: "/", commas, 、, spaces, new lines.
_SEPARATORS = re.compile(r"[/／,，、;；\s]+")


def normalize_term(text: str) -> str:
    """Return a term as the search compares it: NFKC (full-width folded), lower case, trimmed."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def split_terms(text: str) -> list[str]:
    """Return the terms typed in one field, normalised, in order, blanks dropped."""
    return [t for t in (normalize_term(p) for p in _SEPARATORS.split(text)) if t]


@dataclass
class Dictionary:
    """Each term's group (its own term included), and the longest term's length."""

    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    longest: int = 0

    def group_of(self, term: str) -> tuple[str, ...]:
        return self.groups.get(term, ())


def _load() -> Dictionary:
    by_group: dict[int, list[str]] = {}
    for group_id, term in SynonymTerm.objects.order_by("group_id", "position", "id").values_list(
        "group_id", "term"
    ):
        by_group.setdefault(group_id, []).append(term)
    groups: dict[str, tuple[str, ...]] = {}
    for terms in by_group.values():
        group = tuple(terms)
        for term in terms:
            groups[term] = group
    return Dictionary(groups, max((len(t) for t in groups), default=0))


def cache_seconds() -> int:
    return int(getattr(settings, "PORTAL_SYNONYM_CACHE_SECONDS", 60))


def dictionary() -> Dictionary:
    """Return the synonym dictionary: from the cache, or one query."""
    seconds = cache_seconds()
    found = cache.get(CACHE_KEY) if seconds > 0 else None
    if found is None:
        found = _load()
        if seconds > 0:
            cache.set(CACHE_KEY, found, seconds)
    return found


def forget() -> None:
    """Drop the cached dictionary (the services call this when a group changes)."""
    cache.delete(CACHE_KEY)
