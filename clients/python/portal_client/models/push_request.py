from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.mode_enum import ModeEnum

if TYPE_CHECKING:
    from ..models.push_request_rows_item import PushRequestRowsItem


T = TypeVar("T", bound="PushRequest")


@_attrs_define
class PushRequest:
    """
    Attributes:
        mode (ModeEnum): * `replace` - replace
            * `append` - append
            * `upsert` - upsert
        batch_id (str): Your id of this batch; sending the same id again stores nothing and replays the first answer.
        rows (list[PushRequestRowsItem]): Rows as objects of item name → value; every data item must be present.
    """

    mode: ModeEnum
    batch_id: str
    rows: list[PushRequestRowsItem]

    def to_dict(self) -> dict[str, Any]:
        mode = self.mode.value

        batch_id = self.batch_id

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mode": mode,
                "batch_id": batch_id,
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.push_request_rows_item import PushRequestRowsItem  # noqa: PLC0415

        d = dict(src_dict)
        mode = ModeEnum(d.pop("mode"))

        batch_id = d.pop("batch_id")

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = PushRequestRowsItem.from_dict(rows_item_data)

            rows.append(rows_item)

        push_request = cls(
            mode=mode,
            batch_id=batch_id,
            rows=rows,
        )

        return push_request
