"""Keyset pagination for lists that grow without bound (the audit trail).

A page is found by the key it starts after (``before``: older rows) or before (``after``: newer
rows), never by an OFFSET: the last page of a million rows costs what the first does. The total
is counted up to a cap ("more than 10,000"), so no request counts a whole table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, QuerySet, Window
from django.utils.functional import cached_property

T = TypeVar("T", bound=Model)

COUNT_CAP = 10_000


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """One page, newest first, with the cursors of the pages beside it."""

    items: list[T] = field(default_factory=list)
    # ``?after=<newer>`` shows the page before this one; None on the newest page.
    newer: int | None = None
    # ``?before=<older>`` shows the page after this one; None on the oldest page.
    older: int | None = None
    total: int = 0
    total_capped: bool = False

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None


def cursor(params: Mapping[str, Any], name: str) -> int | None:
    """Return a positive integer cursor from the query string, or None (ignored when malformed)."""
    value = params.get(name)
    # ASCII digits only: "²" and other Unicode digits pass isdigit() but not int().
    if value is None or not (str(value).isascii() and str(value).isdigit()):
        return None
    number = int(value)
    return number if 0 < number < 2**63 else None


def capped_count(queryset: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Return ``(count, capped)``: the number of rows up to ``cap``, and whether there are more."""
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


class CappedPaginator(Paginator):
    """Numbered pages of a list whose total is counted up to a cap ("more than 10,000").

    For lists in an order an index serves (a page reads its own rows) but with no unique
    integer key to page by: no request counts, or skips over, more than ``cap`` rows; what
    lies past the cap is reached by narrowing the list. ``capped`` says whether there is more
    (``includes/pagination.html`` shows "of more than N").
    """

    def __init__(self, object_list: Any, per_page: int, *, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.cap = cap

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        # A list that is not one query (rows filtered in Python) counts itself, up to the cap.
        counter = getattr(self.queryset, "capped_count", None)
        return counter(self.cap) if counter is not None else capped_count(self.queryset, self.cap)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def capped(self) -> bool:
        return self._counted[1]


def keyset_page(
    queryset: QuerySet[T],
    *,
    key: str,
    size: int,
    before: int | None = None,
    after: int | None = None,
    count_cap: int = COUNT_CAP,
) -> KeysetPage[T]:
    """Return the page of ``queryset`` (newest first by the unique integer ``key``).

    ``before``: the rows older than that key; ``after``: the rows newer than it (the page just
    before it, still shown newest first); neither: the newest page. Three queries at most:
    the page, one look on the other side of it, the capped count.
    """
    total, capped = capped_count(queryset, count_cap)
    if after is not None:
        rows = list(queryset.filter(**{f"{key}__gt": after}).order_by(key)[: size + 1])
        more_newer = len(rows) > size
        items = rows[:size][::-1]
        newer = getattr(items[0], key) if items and more_newer else None
        older = getattr(items[-1], key) if items else None
        if older is not None and not queryset.filter(**{f"{key}__lt": older}).exists():
            older = None
        return KeysetPage(items, newer, older, total, capped)
    page = queryset.order_by(f"-{key}")
    if before is not None:
        page = page.filter(**{f"{key}__lt": before})
    rows = list(page[: size + 1])
    items = rows[:size]
    older = getattr(items[-1], key) if len(rows) > size else None
    newer = None
    if before is not None and items:
        first = getattr(items[0], key)
        if queryset.filter(**{f"{key}__gt": first}).exists():
            newer = first
    return KeysetPage(items, newer, older, total, capped)


class WindowCountPaginator(Paginator):
    """Numbered pages of a list whose every row must be read to be ordered, counted on the way.

    When no index yields a list's order (the rows are filtered row by row first, as the
    approver's inbox checks each request's lines), the page's query reads and sorts every
    matching row anyway, and a separate ``COUNT`` read them all a second time. Here the page's
    ids come with ``COUNT(*) OVER ()`` (the count of the rows before the page is cut), and the
    page's rows are then read by id, with their relations, in that order: one pass over the
    matches instead of two, and the relations joined for one page instead of every match.
    A page out of range is answered as Django's ``get_page`` does: the last page.
    """

    def __init__(self, object_list: QuerySet[Any], per_page: int) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list

    def _window(self, number: int) -> tuple[list[int], int | None]:
        bottom = (number - 1) * self.per_page
        rows = list(
            self.queryset.annotate(_list_total=Window(Count("pk"))).values_list(
                "pk", "_list_total"
            )[bottom : bottom + self.per_page]
        )
        return [pk for pk, _total in rows], (rows[0][1] if rows else None)

    def get_page(self, number: Any) -> Any:
        """The page ``number`` names; page 1 for a malformed one, the last past the end."""
        return self.page(number)

    def page(self, number: Any) -> Any:
        number = _page_number(number)
        ids, total = self._window(number) if number >= 1 else ([], None)
        counted = total is None  # an empty list, or a page out of range: count, then the last
        self.__dict__["count"] = self.queryset.order_by().count() if counted else total
        if counted and not 1 <= number <= max(self.num_pages, 1):
            number = max(self.num_pages, 1)
            ids = self._window(number)[0] if self.count else []
        by_id = {row.pk: row for row in self.queryset.filter(pk__in=ids)} if ids else {}
        return Page([by_id[pk] for pk in ids if pk in by_id], number, self)


def _page_number(number: Any) -> int:
    """A page number as ``Paginator.get_page`` reads it: 1 when malformed (out of range is
    the caller's: the last page, as Django answers)."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        return int(number)
    except (TypeError, ValueError):
        return 1
