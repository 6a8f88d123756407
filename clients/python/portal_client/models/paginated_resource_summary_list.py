from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.resource_summary import ResourceSummary


T = TypeVar("T", bound="PaginatedResourceSummaryList")


@_attrs_define
class PaginatedResourceSummaryList:
    """
    Attributes:
        next_ (None | str):  Example: https://portal.example.gov.cn/api/v1/resources/?cursor=cD0xMg%3D%3D.
        previous (None | str):  Example: https://portal.example.gov.cn/api/v1/resources/?cursor=cj0xJnA9MTE%3D.
        results (list[ResourceSummary]):
    """

    next_: None | str
    previous: None | str
    results: list[ResourceSummary]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        next_: None | str
        next_ = self.next_

        previous: None | str
        previous = self.previous

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "next": next_,
                "previous": previous,
                "results": results,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.resource_summary import ResourceSummary  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_next_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_ = _parse_next_(d.pop("next"))

        def _parse_previous(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous = _parse_previous(d.pop("previous"))

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = ResourceSummary.from_dict(results_item_data)

            results.append(results_item)

        paginated_resource_summary_list = cls(
            next_=next_,
            previous=previous,
            results=results,
        )

        paginated_resource_summary_list.additional_properties = d
        return paginated_resource_summary_list

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
