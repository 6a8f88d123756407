from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.call_result_results_item import CallResultResultsItem


T = TypeVar("T", bound="CallResult")


@_attrs_define
class CallResult:
    """
    Attributes:
        fields (list[str]): The output fields returned: the granted, readable data items, by name.
        masked (list[str]): The returned fields whose values are masked.
        results (list[CallResultResultsItem]): The upstream's records within the grant's row scope, with only `fields`.
        latency_ms (float): The upstream's time, retries included.
    """

    fields: list[str]
    masked: list[str]
    results: list[CallResultResultsItem]
    latency_ms: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        masked = self.masked

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        latency_ms = self.latency_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fields": fields,
                "masked": masked,
                "results": results,
                "latency_ms": latency_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_result_results_item import CallResultResultsItem  # noqa: PLC0415

        d = dict(src_dict)
        fields = cast(list[str], d.pop("fields"))

        masked = cast(list[str], d.pop("masked"))

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = CallResultResultsItem.from_dict(results_item_data)

            results.append(results_item)

        latency_ms = d.pop("latency_ms")

        call_result = cls(
            fields=fields,
            masked=masked,
            results=results,
            latency_ms=latency_ms,
        )

        call_result.additional_properties = d
        return call_result

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
