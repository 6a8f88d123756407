"""Item links (数据打架 checked by values): the coordinator's report, suggestions, and each owner
department's conflict lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from catalog.models import DataItem, Resource
from catalog.policies import can_view_resource
from catalog.selectors import resources_visible_to

from ..models import ItemLink
from ..policies import (
    can_manage_item_links,
    can_open_conflict_correction,
    can_see_link_item,
    can_view_link_conflicts,
    links_with_conflicts_visible_q,
)
from ..rules import normalise_item_name
from .duplicates import report_groups, stored_report

# Normalised names of the items a link may match rows on (rules.NAME_SYNONYMS folds variants).
KEY_NAMES = ("身份证号", "统一社会信用代码")
SUGGESTIONS = 20

_RELATED = (
    "left_resource__provider",
    "right_resource__provider",
    "left_key",
    "left_item",
    "right_key",
    "right_item",
    "last_run",
)


# A list's links join their resources, departments and last comparison; their four data items
# are read in one query per page (``with_items``), not joined: with statistics that called the
# item table empty, PostgreSQL once planned the four item joins as nested loops over the whole
# table, a cross product that took minutes on a few thousand items.
_LIST_RELATED = ("left_resource__provider", "right_resource__provider", "last_run")
_ITEM_SIDES = ("left_key", "left_item", "right_key", "right_item")
# The resources' search columns: large, and no list shows them.
_UNSHOWN = tuple(
    f"{side}_resource__{name}"
    for side in ("left", "right")
    for name in ("search_document", "search_vector")
)


def with_items(links: Iterable[ItemLink]) -> list[ItemLink]:
    """Return the links with their four data items attached, read in one query."""
    links = list(links)
    wanted = {getattr(link, f"{side}_id") for link in links for side in _ITEM_SIDES}
    items = DataItem.objects.in_bulk(wanted) if wanted else {}
    for link in links:
        for side in _ITEM_SIDES:
            setattr(link, side, items[getattr(link, f"{side}_id")])
    return links


def _within(max_level: int) -> Q:
    """Return the links whose two resources and four items are within the clearance.

    The items' levels are asked of one ``EXISTS`` by primary key, not joined: four item joins
    were what statistics calling the item table empty turned into a cross product.
    """
    above = DataItem.objects.filter(
        Q(pk=OuterRef("left_key_id"))
        | Q(pk=OuterRef("left_item_id"))
        | Q(pk=OuterRef("right_key_id"))
        | Q(pk=OuterRef("right_item_id")),
        level__gt=max_level,
    )
    return Q(left_resource__level__lte=max_level, right_resource__level__lte=max_level) & ~Q(
        Exists(above)
    )


def item_links_for(*, user: User) -> QuerySet[ItemLink]:
    """Every link within the coordinator's clearance, with its last comparison (one query).

    Its items are read per page (``with_items``).
    """
    if not can_manage_item_links(user):
        raise PermissionDenied(_("Only the platform coordinator sees every item link."))
    return (
        ItemLink.objects.filter(_within(user.clearance))
        .select_related(*_LIST_RELATED)
        .defer(*_UNSHOWN)
    )


def item_link_get(*, user: User, pk: int) -> ItemLink:
    """Return one link for the coordinator, or raise ObjectDoesNotExist."""
    if not can_manage_item_links(user):
        raise ObjectDoesNotExist
    return ItemLink.objects.select_related(*_RELATED).get(_within(user.clearance), pk=pk)


@dataclass
class Suggestion:
    """A pair from the duplicate report: the proposed authority's item and another's."""

    name: str
    left: DataItem
    right: DataItem
    left_key: DataItem
    right_key: DataItem


def link_suggestions(*, user: User, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Return up to ``limit`` unlinked pairs from the stored duplicate report's groups.

    Each pairs the group's proposed authority with every other stored collector (their first
    resource each), where both resources hold a key item of the same kind. The report's first
    groups are read until enough pairs are found, then the candidate resources' item names, the
    links already made and the chosen items: five queries whatever the city's size. None while
    the report is computed.
    """
    report = stored_report(user=user)
    if report is None:
        return []
    wanted: list[tuple[str, int, int]] = []
    # Each group gives a pair at least: the first ``limit * 4`` groups give enough.
    groups = report_groups(report).exclude(key__in=KEY_NAMES).only("key", "collectors")
    for group in groups[: limit * 4]:
        first = group.collectors[0][1]
        wanted.extend((group.key, first, stored[1]) for stored in group.collectors[1:])
    wanted = wanted[: limit * 4]
    resource_ids = {pk for _k, a, b in wanted for pk in (a, b)}
    # The candidates' items as (id, name) to choose from; only the chosen are read in full.
    items: dict[int, list[_Named]] = {}
    for pk, resource_id, name in (
        DataItem.objects.filter(resource_id__in=resource_ids, level__lte=user.clearance)
        .order_by("resource_id", "position", "id")
        .values_list("pk", "resource_id", "name")
    ):
        items.setdefault(resource_id, []).append(_Named(pk, normalise_item_name(name)))
    linked = set(
        ItemLink.objects.filter(
            Q(left_resource_id__in=resource_ids) | Q(right_resource_id__in=resource_ids)
        ).values_list("left_item_id", "right_item_id")
    )
    chosen: list[tuple[int, int, int, int]] = []
    for key, left_id, right_id in wanted:
        left = _named(items.get(left_id, []), key)
        right = _named(items.get(right_id, []), key)
        if left is None or right is None or (left.pk, right.pk) in linked:
            continue
        keys = _keys(items.get(left_id, []), items.get(right_id, []))
        if keys is None:
            continue
        chosen.append((left.pk, right.pk, keys[0].pk, keys[1].pk))
        if len(chosen) >= limit:
            break
    full = (
        DataItem.objects.select_related("resource__provider")
        .defer("resource__search_document", "resource__search_vector")
        .in_bulk({pk for pks in chosen for pk in pks})
    )
    return [
        Suggestion(full[left].name, full[left], full[right], full[left_key], full[right_key])
        for left, right, left_key, right_key in chosen
    ]


class _Named(NamedTuple):
    pk: int
    key: str  # the item's normalised name


def _named(items: list[_Named], key: str) -> _Named | None:
    return next((i for i in items if i.key == key), None)


def _keys(left: list[_Named], right: list[_Named]) -> tuple[_Named, _Named] | None:
    for name in KEY_NAMES:
        a, b = _named(left, name), _named(right, name)
        if a is not None and b is not None:
            return a, b
    return None


@dataclass(frozen=True)
class LinkSides:
    """A link as a member of one of its owner departments sees it: their side in full, of the
    other side the department, and the entry's and item's names only if they may see that entry
    (a ``cleared`` or ``provider`` entry above their clearance stays unknown to them)."""

    side: str
    own_resource: Resource
    own_key: DataItem
    own_item: DataItem
    other_department: str
    other_resource_name: str | None
    other_item_name: str | None

    @property
    def other_label(self) -> str:
        """The other side's ``entry.item``, or a placeholder that names nothing."""
        if self.other_resource_name is None:
            return _("an entry you may not see")
        return f"{self.other_resource_name}.{self.other_item_name}"


def link_sides(user: User, link: ItemLink) -> LinkSides:
    """Return the link as the user's department sees it (the left side if it owns both)."""
    side = link.side_of(user.department_id) or ItemLink.Side.LEFT
    other = ItemLink.Side.RIGHT if side == ItemLink.Side.LEFT else ItemLink.Side.LEFT
    other_resource: Resource = getattr(link, f"{other}_resource")
    named = can_view_resource(user, other_resource)
    return LinkSides(
        side=str(side),
        own_resource=getattr(link, f"{side}_resource"),
        own_key=getattr(link, f"{side}_key"),
        own_item=getattr(link, f"{side}_item"),
        other_department=other_resource.provider.name,
        other_resource_name=other_resource.name if named else None,
        other_item_name=getattr(link, f"{other}_item").name if named else None,
    )


def conflict_links_for(*, user: User) -> QuerySet[ItemLink]:
    """The links one of the user's department's resources is a side of (its conflict lists).

    Without their data items: pass a page through ``with_items``.
    """
    return (
        ItemLink.objects.filter(links_with_conflicts_visible_q(user))
        .select_related(*_LIST_RELATED)
        .defer(*_UNSHOWN)
        .order_by("id")
    )


def conflict_link_get(*, user: User, pk: int) -> ItemLink:
    """Return the link if the user sees its conflicts; otherwise raise ObjectDoesNotExist."""
    link = ItemLink.objects.select_related(*_RELATED).filter(pk=pk).first()
    if link is None or not can_view_link_conflicts(user, link):
        raise ObjectDoesNotExist
    return link


@dataclass
class ConflictRow:
    index: int
    key: str
    left: str | None  # None: above the viewer's clearance
    right: str | None


@dataclass
class ConflictList:
    link: ItemLink
    rows: list[ConflictRow]
    show_left: bool
    show_right: bool
    can_correct: bool
    own_side: str


def conflict_list(*, user: User, link: ItemLink, start: int, stop: int) -> ConflictList:
    """Return one page of the link's last conflicts as the user may see them, and audit the view.

    Keys are masked (``services.mask_key``); a side's values appear only if its item and
    resource are within the viewer's clearance.
    """
    from ..services import mask_key

    if not can_view_link_conflicts(user, link):
        raise ObjectDoesNotExist
    show_left = can_see_link_item(user, link.left_resource, link.left_item)
    show_right = can_see_link_item(user, link.right_resource, link.right_item)
    stored = link.last_run.conflict_rows if link.last_run is not None else []
    rows = [
        ConflictRow(
            index,
            mask_key(link, key),
            left if show_left else None,
            right if show_right else None,
        )
        for index, (key, left, right) in enumerate(stored[start:stop], start)
    ]
    record(
        actor=user,
        action="item_link.conflicts_view",
        obj=link,
        details={
            "run": link.last_run_id,
            "rows": len(rows),
            "from": start,
            "left_values": show_left,
            "right_values": show_right,
        },
    )
    return ConflictList(
        link,
        rows,
        show_left,
        show_right,
        can_open_conflict_correction(user, link),
        str(link.side_of(user.department_id) or ""),
    )


def consistency_by_department(*, max_level: int) -> dict[int, tuple[int, int]]:
    """Return (agreements, conflicts) summed per department over the last comparison of every
    link one of its resources is a side of (one query; docs/evaluation.md gives the formula)."""
    totals: dict[int, tuple[int, int]] = {}
    rows = (
        ItemLink.objects.filter(_within(max_level), last_run__isnull=False)
        .filter(
            left_resource__status=Resource.Status.PUBLISHED,
            right_resource__status=Resource.Status.PUBLISHED,
        )
        .values_list(
            "left_resource__provider_id",
            "right_resource__provider_id",
            "last_run__agreements",
            "last_run__conflicts",
        )
    )
    for left, right, agreements, conflicts in rows:
        for department_id in {left, right}:
            a, c = totals.get(department_id, (0, 0))
            totals[department_id] = (a + agreements, c + conflicts)
    return totals


def link_candidates(
    *, user: User, left_item_id: int, right_item_id: int
) -> tuple[list[DataItem], list[DataItem], DataItem, DataItem]:
    """Return the items of the two compared items' resources the coordinator may name.

    Raise ObjectDoesNotExist if either item is not in a published resource the user sees.
    """
    if not can_manage_item_links(user):
        raise ObjectDoesNotExist
    visible = resources_visible_to(user=user).filter(status=Resource.Status.PUBLISHED)
    items = {
        i.pk: i
        for i in DataItem.objects.filter(
            pk__in=[left_item_id, right_item_id],
            level__lte=user.clearance,
            resource__in=visible,
        ).select_related("resource__provider")
    }
    if left_item_id not in items or right_item_id not in items:
        raise ObjectDoesNotExist
    left, right = items[left_item_id], items[right_item_id]
    siblings: dict[int, list[DataItem]] = {left.resource_id: [], right.resource_id: []}
    for item in DataItem.objects.filter(
        resource_id__in=list(siblings), level__lte=user.clearance
    ).order_by("position", "id"):
        siblings[item.resource_id].append(item)
    return siblings[left.resource_id], siblings[right.resource_id], left, right
