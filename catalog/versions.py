"""What changed between two published versions of a resource: a pure, field-by-field diff."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from accounts.models import Level

from .models import DataItem, Resource

# Snapshot keys compared for the resource, in the order the detail page lists them.
RESOURCE_KEYS = (
    "category",
    "name",
    "summary",
    "format_class",
    "format_type",
    "share_type",
    "share_condition",
    "share_method",
    "open_type",
    "open_condition",
    "update_cycle",
    "level",
    "source_system",
    "region_code",
    "valid_until",
    "related",
)
ITEM_KEYS = ("data_type", "length", "level", "kind", "is_key", "description", "code_list")


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class VersionDiff:
    fields: list[FieldChange] = field(default_factory=list)
    items_added: list[str] = field(default_factory=list)
    items_removed: list[str] = field(default_factory=list)
    items_changed: list[tuple[str, list[FieldChange]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.items_added or self.items_removed or self.items_changed)


def _label(model: type[models.Model], name: str) -> str:
    if name == "related":
        return _("related resources")
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _display(
    model: type[models.Model], name: str, value: Any, snapshot: Mapping[str, Any] | None
) -> str:
    """Return a value as a person reads it: choice labels, names next to codes, yes/no."""
    if value in (None, ""):
        return "—"
    if name == "category" and snapshot is not None:
        return f"{value} {snapshot.get('category_name', '')}".strip()
    if name == "source_system" and snapshot is not None:
        return f"{snapshot.get('source_system_name', '')} ({value})"
    if name == "related":
        return "、".join(value) if value else "—"
    if name == "level":
        return str(Level(value).label)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = dict(getattr(model._meta.get_field(name), "choices", None) or [])
    return str(choices.get(value, value))


def _compare(
    model: type[models.Model],
    keys: tuple[str, ...],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    whole_old: Mapping[str, Any] | None = None,
    whole_new: Mapping[str, Any] | None = None,
) -> list[FieldChange]:
    return [
        FieldChange(
            _label(model, key),
            _display(model, key, old.get(key), whole_old),
            _display(model, key, new.get(key), whole_new),
        )
        for key in keys
        if old.get(key) != new.get(key)
    ]


def snapshot_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> VersionDiff:
    """Return what changed from the ``old`` snapshot to the ``new`` one."""
    diff = VersionDiff(
        fields=_compare(Resource, RESOURCE_KEYS, old, new, whole_old=old, whole_new=new)
    )
    old_items = {item["name"]: item for item in old.get("items", [])}
    new_items = {item["name"]: item for item in new.get("items", [])}
    diff.items_added = [name for name in new_items if name not in old_items]
    diff.items_removed = [name for name in old_items if name not in new_items]
    for name, item in new_items.items():
        if name in old_items:
            changes = _compare(DataItem, ITEM_KEYS, old_items[name], item)
            if changes:
                diff.items_changed.append((name, changes))
    return diff
