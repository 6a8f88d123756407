from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.direction_enum import DirectionEnum

T = TypeVar("T", bound="InterfaceParameter")


@_attrs_define
class InterfaceParameter:
    """
    Attributes:
        data_item (int):
        data_item_name (str):
        direction (DirectionEnum): * `input` - 输入
            * `output` - 输出
        upstream_name (str):
    """

    data_item: int
    data_item_name: str
    direction: DirectionEnum
    upstream_name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data_item = self.data_item

        data_item_name = self.data_item_name

        direction = self.direction.value

        upstream_name = self.upstream_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data_item": data_item,
                "data_item_name": data_item_name,
                "direction": direction,
                "upstream_name": upstream_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data_item = d.pop("data_item")

        data_item_name = d.pop("data_item_name")

        direction = DirectionEnum(d.pop("direction"))

        upstream_name = d.pop("upstream_name")

        interface_parameter = cls(
            data_item=data_item,
            data_item_name=data_item_name,
            direction=direction,
            upstream_name=upstream_name,
        )

        interface_parameter.additional_properties = d
        return interface_parameter

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
