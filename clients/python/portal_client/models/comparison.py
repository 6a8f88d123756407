from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Comparison")


@_attrs_define
class Comparison:
    """
    Attributes:
        id (int):
        finished_at (datetime.datetime | None):
        matched (int):
        agreements (int):
        conflicts (int):
        gaps (int):
        conflict_rate (float | None): Conflicts per hundred keys whose values both sides hold; null if none do.
    """

    id: int
    finished_at: datetime.datetime | None
    matched: int
    agreements: int
    conflicts: int
    gaps: int
    conflict_rate: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        matched = self.matched

        agreements = self.agreements

        conflicts = self.conflicts

        gaps = self.gaps

        conflict_rate: float | None
        conflict_rate = self.conflict_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "finished_at": finished_at,
                "matched": matched,
                "agreements": agreements,
                "conflicts": conflicts,
                "gaps": gaps,
                "conflict_rate": conflict_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        matched = d.pop("matched")

        agreements = d.pop("agreements")

        conflicts = d.pop("conflicts")

        gaps = d.pop("gaps")

        def _parse_conflict_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        conflict_rate = _parse_conflict_rate(d.pop("conflict_rate"))

        comparison = cls(
            id=id,
            finished_at=finished_at,
            matched=matched,
            agreements=agreements,
            conflicts=conflicts,
            gaps=gaps,
            conflict_rate=conflict_rate,
        )

        comparison.additional_properties = d
        return comparison

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
