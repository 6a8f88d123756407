from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PushResult")


@_attrs_define
class PushResult:
    """
    Attributes:
        batch_id (str):
        mode (str):
        version (int): The active dataset version after the batch.
        rows (int): Rows in the batch.
        inserted (int):
        updated (int): Rows replaced by key (upsert).
        row_count (int): Rows in the active version now.
        replayed (bool): True if this batch id was stored before.
    """

    batch_id: str
    mode: str
    version: int
    rows: int
    inserted: int
    updated: int
    row_count: int
    replayed: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        batch_id = self.batch_id

        mode = self.mode

        version = self.version

        rows = self.rows

        inserted = self.inserted

        updated = self.updated

        row_count = self.row_count

        replayed = self.replayed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "batch_id": batch_id,
                "mode": mode,
                "version": version,
                "rows": rows,
                "inserted": inserted,
                "updated": updated,
                "row_count": row_count,
                "replayed": replayed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        batch_id = d.pop("batch_id")

        mode = d.pop("mode")

        version = d.pop("version")

        rows = d.pop("rows")

        inserted = d.pop("inserted")

        updated = d.pop("updated")

        row_count = d.pop("row_count")

        replayed = d.pop("replayed")

        push_result = cls(
            batch_id=batch_id,
            mode=mode,
            version=version,
            rows=rows,
            inserted=inserted,
            updated=updated,
            row_count=row_count,
            replayed=replayed,
        )

        push_result.additional_properties = d
        return push_result

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
