from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Activity")


@_attrs_define
class Activity:
    """One change of a resource the caller may see (``catalog.selectors.activity``).

    ``actor`` (the account) is given to the provider department and the coordinator only;
    everyone else receives null and the acting department.

        Attributes:
            id (int): The change's position in the audit trail.
            at (datetime.datetime):
            action (str): The audit action, e.g. `resource.publish`.
            summary (str):
            lines (list[str]):
            department (str):
            actor (None | str):
            version (int | None):
            changed_fields (list[str]):
            items_added (list[str]):
            items_removed (list[str]):
            items_changed (list[str]):
    """

    id: int
    at: datetime.datetime
    action: str
    summary: str
    lines: list[str]
    department: str
    actor: None | str
    version: int | None
    changed_fields: list[str]
    items_added: list[str]
    items_removed: list[str]
    items_changed: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        at = self.at.isoformat()

        action = self.action

        summary = self.summary

        lines = self.lines

        department = self.department

        actor: None | str
        actor = self.actor

        version: int | None
        version = self.version

        changed_fields = self.changed_fields

        items_added = self.items_added

        items_removed = self.items_removed

        items_changed = self.items_changed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "at": at,
                "action": action,
                "summary": summary,
                "lines": lines,
                "department": department,
                "actor": actor,
                "version": version,
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
        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        action = d.pop("action")

        summary = d.pop("summary")

        lines = cast(list[str], d.pop("lines"))

        department = d.pop("department")

        def _parse_actor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor = _parse_actor(d.pop("actor"))

        def _parse_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        version = _parse_version(d.pop("version"))

        changed_fields = cast(list[str], d.pop("changed_fields"))

        items_added = cast(list[str], d.pop("items_added"))

        items_removed = cast(list[str], d.pop("items_removed"))

        items_changed = cast(list[str], d.pop("items_changed"))

        activity = cls(
            id=id,
            at=at,
            action=action,
            summary=summary,
            lines=lines,
            department=department,
            actor=actor,
            version=version,
            changed_fields=changed_fields,
            items_added=items_added,
            items_removed=items_removed,
            items_changed=items_changed,
        )

        activity.additional_properties = d
        return activity

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
