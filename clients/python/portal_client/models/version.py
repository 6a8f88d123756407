from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Version")


@_attrs_define
class Version:
    """A published version the caller may see, with what changed since the previous visible one.

    Attributes:
        number (int):
        level (int):
        change_note (str):
        created_at (datetime.datetime):
        changed_fields (list[str]):
        items_added (list[str]):
        items_removed (list[str]):
        items_changed (list[str]):
    """

    number: int
    level: int
    change_note: str
    created_at: datetime.datetime
    changed_fields: list[str]
    items_added: list[str]
    items_removed: list[str]
    items_changed: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        level = self.level

        change_note = self.change_note

        created_at = self.created_at.isoformat()

        changed_fields = self.changed_fields

        items_added = self.items_added

        items_removed = self.items_removed

        items_changed = self.items_changed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "level": level,
                "change_note": change_note,
                "created_at": created_at,
                "changed_fields": changed_fields,
                "items_added": items_added,
                "items_removed": items_removed,
                "items_changed": items_changed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        level = d.pop("level")

        change_note = d.pop("change_note")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        changed_fields = cast(list[str], d.pop("changed_fields"))

        items_added = cast(list[str], d.pop("items_added"))

        items_removed = cast(list[str], d.pop("items_removed"))

        items_changed = cast(list[str], d.pop("items_changed"))

        version = cls(
            number=number,
            level=level,
            change_note=change_note,
            created_at=created_at,
            changed_fields=changed_fields,
            items_added=items_added,
            items_removed=items_removed,
            items_changed=items_changed,
        )

        version.additional_properties = d
        return version

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
