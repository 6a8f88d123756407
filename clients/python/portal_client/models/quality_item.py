from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QualityItem")


@_attrs_define
class QualityItem:
    """
    Attributes:
        name (str): The data item.
        filled (int): Rows with a non-empty value.
        completeness (float): Share of rows with a value, 0–1.
        distinct (int): Distinct non-empty values.
        checked (bool): Whether the item has a validity rule (check digits, date range).
        valid (int | None): Values passing the rule.
        validity (float | None): Share of values passing, 0–1.
        min_ (Any): Smallest number or earliest date.
        max_ (Any): Largest number or latest date.
        top (list[list[Any]]): The most frequent values with their counts; never for personal items.
    """

    name: str
    filled: int
    completeness: float
    distinct: int
    checked: bool
    valid: int | None
    validity: float | None
    min_: Any
    max_: Any
    top: list[list[Any]]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        filled = self.filled

        completeness = self.completeness

        distinct = self.distinct

        checked = self.checked

        valid: int | None
        valid = self.valid

        validity: float | None
        validity = self.validity

        min_ = self.min_

        max_ = self.max_

        top = []
        for top_item_data in self.top:
            top_item = top_item_data

            top.append(top_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "filled": filled,
                "completeness": completeness,
                "distinct": distinct,
                "checked": checked,
                "valid": valid,
                "validity": validity,
                "min": min_,
                "max": max_,
                "top": top,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        filled = d.pop("filled")

        completeness = d.pop("completeness")

        distinct = d.pop("distinct")

        checked = d.pop("checked")

        def _parse_valid(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        valid = _parse_valid(d.pop("valid"))

        def _parse_validity(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        validity = _parse_validity(d.pop("validity"))

        min_ = d.pop("min")

        max_ = d.pop("max")

        top = []
        _top = d.pop("top")
        for top_item_data in _top:
            top_item = cast(list[Any], top_item_data)

            top.append(top_item)

        quality_item = cls(
            name=name,
            filled=filled,
            completeness=completeness,
            distinct=distinct,
            checked=checked,
            valid=valid,
            validity=validity,
            min_=min_,
            max_=max_,
            top=top,
        )

        quality_item.additional_properties = d
        return quality_item

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
