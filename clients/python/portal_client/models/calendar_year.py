from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.calendar_day import CalendarDay


T = TypeVar("T", bound="CalendarYear")


@_attrs_define
class CalendarYear:
    """
    Attributes:
        year (int):
        official (bool): The schedule is the State Council's. When false, `days` are the holidays of the national
            regulation and deadlines counted over them are provisional.
        source (str):
        notice (str):
        days (list[CalendarDay]): Every day that differs from the plain week (Monday to Friday worked).
    """

    year: int
    official: bool
    source: str
    notice: str
    days: list[CalendarDay]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        official = self.official

        source = self.source

        notice = self.notice

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "year": year,
                "official": official,
                "source": source,
                "notice": notice,
                "days": days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.calendar_day import CalendarDay  # noqa: PLC0415

        d = dict(src_dict)
        year = d.pop("year")

        official = d.pop("official")

        source = d.pop("source")

        notice = d.pop("notice")

        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = CalendarDay.from_dict(days_item_data)

            days.append(days_item)

        calendar_year = cls(
            year=year,
            official=official,
            source=source,
            notice=notice,
            days=days,
        )

        calendar_year.additional_properties = d
        return calendar_year

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
