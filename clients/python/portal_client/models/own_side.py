from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OwnSide")


@_attrs_define
class OwnSide:
    """
    Attributes:
        resource (int): The caller's department's resource.
        resource_name (str):
        key (str): The key item the rows are matched on.
        item (str): The compared item.
    """

    resource: int
    resource_name: str
    key: str
    item: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resource = self.resource

        resource_name = self.resource_name

        key = self.key

        item = self.item

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "resource": resource,
                "resource_name": resource_name,
                "key": key,
                "item": item,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resource = d.pop("resource")

        resource_name = d.pop("resource_name")

        key = d.pop("key")

        item = d.pop("item")

        own_side = cls(
            resource=resource,
            resource_name=resource_name,
            key=key,
            item=item,
        )

        own_side.additional_properties = d
        return own_side

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
