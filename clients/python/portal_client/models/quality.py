from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.view_enum import ViewEnum

if TYPE_CHECKING:
    from ..models.quality_item import QualityItem


T = TypeVar("T", bound="Quality")


@_attrs_define
class Quality:
    """
    Attributes:
        view (ViewEnum): * `details` - details
            * `summary` - summary
        version (int): The active data version profiled.
        score (int): Quality score 0–100 (docs/data-quality.md).
        completeness (float): Mean completeness of the items, percent.
        fresh (bool | None): On its update cycle now; null for irregular resources.
        data_updated_at (datetime.datetime | None):
        profiled_at (datetime.datetime):
        row_count (int | None):
        validity (float | None): 0–1, details only.
        uniqueness (float | None): 0–1, details only.
        duplicate_keys (int | None):
        missing_keys (int | None):
        on_cycle (bool | None): This version came within the cycle after the last one.
        items (list[QualityItem]): Per item; empty in a summary.
    """

    view: ViewEnum
    version: int
    score: int
    completeness: float
    fresh: bool | None
    data_updated_at: datetime.datetime | None
    profiled_at: datetime.datetime
    row_count: int | None
    validity: float | None
    uniqueness: float | None
    duplicate_keys: int | None
    missing_keys: int | None
    on_cycle: bool | None
    items: list[QualityItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        view = self.view.value

        version = self.version

        score = self.score

        completeness = self.completeness

        fresh: bool | None
        fresh = self.fresh

        data_updated_at: None | str
        if isinstance(self.data_updated_at, datetime.datetime):
            data_updated_at = self.data_updated_at.isoformat()
        else:
            data_updated_at = self.data_updated_at

        profiled_at = self.profiled_at.isoformat()

        row_count: int | None
        row_count = self.row_count

        validity: float | None
        validity = self.validity

        uniqueness: float | None
        uniqueness = self.uniqueness

        duplicate_keys: int | None
        duplicate_keys = self.duplicate_keys

        missing_keys: int | None
        missing_keys = self.missing_keys

        on_cycle: bool | None
        on_cycle = self.on_cycle

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "view": view,
                "version": version,
                "score": score,
                "completeness": completeness,
                "fresh": fresh,
                "data_updated_at": data_updated_at,
                "profiled_at": profiled_at,
                "row_count": row_count,
                "validity": validity,
                "uniqueness": uniqueness,
                "duplicate_keys": duplicate_keys,
                "missing_keys": missing_keys,
                "on_cycle": on_cycle,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quality_item import QualityItem  # noqa: PLC0415

        d = dict(src_dict)
        view = ViewEnum(d.pop("view"))

        version = d.pop("version")

        score = d.pop("score")

        completeness = d.pop("completeness")

        def _parse_fresh(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        fresh = _parse_fresh(d.pop("fresh"))

        def _parse_data_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                data_updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return data_updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        data_updated_at = _parse_data_updated_at(d.pop("data_updated_at"))

        profiled_at = datetime.datetime.fromisoformat(d.pop("profiled_at"))

        def _parse_row_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        row_count = _parse_row_count(d.pop("row_count"))

        def _parse_validity(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        validity = _parse_validity(d.pop("validity"))

        def _parse_uniqueness(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        uniqueness = _parse_uniqueness(d.pop("uniqueness"))

        def _parse_duplicate_keys(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duplicate_keys = _parse_duplicate_keys(d.pop("duplicate_keys"))

        def _parse_missing_keys(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        missing_keys = _parse_missing_keys(d.pop("missing_keys"))

        def _parse_on_cycle(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        on_cycle = _parse_on_cycle(d.pop("on_cycle"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = QualityItem.from_dict(items_item_data)

            items.append(items_item)

        quality = cls(
            view=view,
            version=version,
            score=score,
            completeness=completeness,
            fresh=fresh,
            data_updated_at=data_updated_at,
            profiled_at=profiled_at,
            row_count=row_count,
            validity=validity,
            uniqueness=uniqueness,
            duplicate_keys=duplicate_keys,
            missing_keys=missing_keys,
            on_cycle=on_cycle,
            items=items,
        )

        quality.additional_properties = d
        return quality

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
