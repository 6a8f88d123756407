from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConflictRow")


@_attrs_define
class ConflictRow:
    """
    Attributes:
        index (int): The conflict's place in the last comparison.
        key (str): The key, masked.
        own_value (None | str): The caller's side's value; null above the caller's clearance.
        other_value (None | str): The other side's value; null above the caller's clearance.
    """

    index: int
    key: str
    own_value: None | str
    other_value: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        key = self.key

        own_value: None | str
        own_value = self.own_value

        other_value: None | str
        other_value = self.other_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "key": key,
                "own_value": own_value,
                "other_value": other_value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        key = d.pop("key")

        def _parse_own_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        own_value = _parse_own_value(d.pop("own_value"))

        def _parse_other_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        other_value = _parse_other_value(d.pop("other_value"))

        conflict_row = cls(
            index=index,
            key=key,
            own_value=own_value,
            other_value=other_value,
        )

        conflict_row.additional_properties = d
        return conflict_row

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
