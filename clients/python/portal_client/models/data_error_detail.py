from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.data_error_detail_fields import DataErrorDetailFields
    from ..models.row_error import RowError


T = TypeVar("T", bound="DataErrorDetail")


@_attrs_define
class DataErrorDetail:
    """
    Attributes:
        code (str):
        message (str):
        fields (DataErrorDetailFields): `rows.<index from 0>.<item name>` → reasons, for field-aware clients.
        rows (list[RowError] | Unset):
        total (int | Unset): All problems, including omitted.
    """

    code: str
    message: str
    fields: DataErrorDetailFields
    rows: list[RowError] | Unset = UNSET
    total: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        fields = self.fields.to_dict()

        rows: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.rows, Unset):
            rows = []
            for rows_item_data in self.rows:
                rows_item = rows_item_data.to_dict()
                rows.append(rows_item)

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "fields": fields,
            }
        )
        if rows is not UNSET:
            field_dict["rows"] = rows
        if total is not UNSET:
            field_dict["total"] = total

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.data_error_detail_fields import DataErrorDetailFields  # noqa: PLC0415
        from ..models.row_error import RowError  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        fields = DataErrorDetailFields.from_dict(d.pop("fields"))

        _rows = d.pop("rows", UNSET)
        rows: list[RowError] | Unset = UNSET
        if _rows is not UNSET:
            rows = []
            for rows_item_data in _rows:
                rows_item = RowError.from_dict(rows_item_data)

                rows.append(rows_item)

        total = d.pop("total", UNSET)

        data_error_detail = cls(
            code=code,
            message=message,
            fields=fields,
            rows=rows,
            total=total,
        )

        data_error_detail.additional_properties = d
        return data_error_detail

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
