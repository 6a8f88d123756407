from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.conflict_row import ConflictRow


T = TypeVar("T", bound="ConflictRows")


@_attrs_define
class ConflictRows:
    """
    Attributes:
        link (int):
        comparison (int | None):
        own_values_shown (bool):
        other_values_shown (bool):
        results (list[ConflictRow]):
    """

    link: int
    comparison: int | None
    own_values_shown: bool
    other_values_shown: bool
    results: list[ConflictRow]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        link = self.link

        comparison: int | None
        comparison = self.comparison

        own_values_shown = self.own_values_shown

        other_values_shown = self.other_values_shown

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "link": link,
                "comparison": comparison,
                "own_values_shown": own_values_shown,
                "other_values_shown": other_values_shown,
                "results": results,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conflict_row import ConflictRow  # noqa: PLC0415

        d = dict(src_dict)
        link = d.pop("link")

        def _parse_comparison(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        comparison = _parse_comparison(d.pop("comparison"))

        own_values_shown = d.pop("own_values_shown")

        other_values_shown = d.pop("other_values_shown")

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = ConflictRow.from_dict(results_item_data)

            results.append(results_item)

        conflict_rows = cls(
            link=link,
            comparison=comparison,
            own_values_shown=own_values_shown,
            other_values_shown=other_values_shown,
            results=results,
        )

        conflict_rows.additional_properties = d
        return conflict_rows

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
