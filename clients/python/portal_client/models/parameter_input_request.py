from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.direction_enum import DirectionEnum

T = TypeVar("T", bound="ParameterInputRequest")


@_attrs_define
class ParameterInputRequest:
    """
    Attributes:
        data_item (int):
        direction (DirectionEnum): * `input` - 输入
            * `output` - 输出
        upstream_name (str):
    """

    data_item: int
    direction: DirectionEnum
    upstream_name: str

    def to_dict(self) -> dict[str, Any]:
        data_item = self.data_item

        direction = self.direction.value

        upstream_name = self.upstream_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data_item": data_item,
                "direction": direction,
                "upstream_name": upstream_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data_item = d.pop("data_item")

        direction = DirectionEnum(d.pop("direction"))

        upstream_name = d.pop("upstream_name")

        parameter_input_request = cls(
            data_item=data_item,
            direction=direction,
            upstream_name=upstream_name,
        )

        return parameter_input_request
