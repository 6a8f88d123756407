from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.row_page_results_item import RowPageResultsItem


T = TypeVar("T", bound="RowPage")


@_attrs_define
class RowPage:
    """One page of rows: only the items the caller may read, personal data masked.

    Attributes:
        version (int | None): The dataset version read; null when no data is stored yet.
        columns (list[str]): The item names delivered, in order.
        results (list[RowPageResultsItem]): Rows as objects of item name → value (text, null when empty).
        next_cursor (None | str): Pass as `after` for the next page; null on the last page.
        next_ (None | str): The URL of the next page, or null.
    """

    version: int | None
    columns: list[str]
    results: list[RowPageResultsItem]
    next_cursor: None | str
    next_: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version: int | None
        version = self.version

        columns = self.columns

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        next_: None | str
        next_ = self.next_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "columns": columns,
                "results": results,
                "next_cursor": next_cursor,
                "next": next_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.row_page_results_item import RowPageResultsItem  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        version = _parse_version(d.pop("version"))

        columns = cast(list[str], d.pop("columns"))

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = RowPageResultsItem.from_dict(results_item_data)

            results.append(results_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        def _parse_next_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_ = _parse_next_(d.pop("next"))

        row_page = cls(
            version=version,
            columns=columns,
            results=results,
            next_cursor=next_cursor,
            next_=next_,
        )

        row_page.additional_properties = d
        return row_page

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
