"""What each page shows of the user's own work, kept a few seconds per user.

The navigation's badges and the home page's "My work" are built on every page from each
queue's access filter: more Python than most pages' own lists. They are kept
``PORTAL_WORK_KEPT_SECONDS`` per user (and language, for "My work"'s translated rows) in the
shared cache. A kept value may lag behind what *others* did by as long (a new request in the
inbox, a notification); what the user does clears it (``ForgetKeptWorkMiddleware``, after each
of the user's unsafe requests); the queues' own pages always read afresh. Zero turns the
keeping off (the tests run so, but for tests/sharing/test_nav_counts_kept.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")

# The kept values, by name; each is kept per user, and per language where it holds text.
KEPT = ("nav-counts", "my-work")


def _key(name: str, user_id: int, language: str) -> str:
    return f"kept:{name}:{user_id}:{language}"


def kept_seconds() -> int:
    return int(settings.PORTAL_WORK_KEPT_SECONDS)


def kept(
    name: str,
    user_id: int,
    compute: Callable[[], T],
    *,
    language: str = "",
    fits: Callable[[Any], bool] = lambda value: True,
) -> T:
    """Return the user's kept ``name``, or compute and keep it.

    ``fits``: whether a kept value still answers the question (a value kept for another set of
    links is computed again).
    """
    seconds = kept_seconds()
    if seconds <= 0:
        return compute()
    key = _key(name, user_id, language)
    value = cache.get(key)
    if value is not None and fits(value):
        return value
    value = compute()
    cache.set(key, value, seconds)
    return value


def forget_kept(user_id: int) -> None:
    """Drop everything kept for a user: the next page computes it afresh."""
    languages = ["", *(code for code, _name in settings.LANGUAGES)]
    cache.delete_many([_key(name, user_id, lang) for name in KEPT for lang in languages])
