from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OtherSide")


@_attrs_define
class OtherSide:
    """
    Attributes:
        department (str): The other department's name.
        resource_name (None | str): The other department's entry; null when the caller may not see that entry (a
            `cleared` entry above the caller's clearance, or a `provider` entry).
        item (None | str): Null with `resource_name`.
    """

    department: str
    resource_name: None | str
    item: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        department = self.department

        resource_name: None | str
        resource_name = self.resource_name

        item: None | str
        item = self.item

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "department": department,
                "resource_name": resource_name,
                "item": item,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        department = d.pop("department")

        def _parse_resource_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resource_name = _parse_resource_name(d.pop("resource_name"))

        def _parse_item(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        item = _parse_item(d.pop("item"))

        other_side = cls(
            department=department,
            resource_name=resource_name,
            item=item,
        )

        other_side.additional_properties = d
        return other_side

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
