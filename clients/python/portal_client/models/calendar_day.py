from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.calendar_day_kind_enum import CalendarDayKindEnum

T = TypeVar("T", bound="CalendarDay")


@_attrs_define
class CalendarDay:
    """
    Attributes:
        date (datetime.date):
        kind (CalendarDayKindEnum): * `holiday` - 放假（机关停止办公）
            * `workday` - 调休上班
        name (str): The holiday's name, e.g. 春节.
    """

    date: datetime.date
    kind: CalendarDayKindEnum
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        kind = self.kind.value

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "kind": kind,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))

        kind = CalendarDayKindEnum(d.pop("kind"))

        name = d.pop("name")

        calendar_day = cls(
            date=date,
            kind=kind,
            name=name,
        )

        calendar_day.additional_properties = d
        return calendar_day

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
