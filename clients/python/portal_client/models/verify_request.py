from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.verify_request_keys import VerifyRequestKeys
    from ..models.verify_request_values import VerifyRequestValues


T = TypeVar("T", bound="VerifyRequest")


@_attrs_define
class VerifyRequest:
    """
    Attributes:
        keys (VerifyRequestKeys): Every key item → its value.
        values (VerifyRequestValues | Unset): Optional item → value pairs to compare with the stored record.
    """

    keys: VerifyRequestKeys
    values: VerifyRequestValues | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        keys = self.keys.to_dict()

        values: dict[str, Any] | Unset = UNSET
        if not isinstance(self.values, Unset):
            values = self.values.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "keys": keys,
            }
        )
        if values is not UNSET:
            field_dict["values"] = values

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.verify_request_keys import VerifyRequestKeys  # noqa: PLC0415
        from ..models.verify_request_values import VerifyRequestValues  # noqa: PLC0415

        d = dict(src_dict)
        keys = VerifyRequestKeys.from_dict(d.pop("keys"))

        _values = d.pop("values", UNSET)
        values: VerifyRequestValues | Unset
        if isinstance(_values, Unset):
            values = UNSET
        else:
            values = VerifyRequestValues.from_dict(_values)

        verify_request = cls(
            keys=keys,
            values=values,
        )

        verify_request.additional_properties = d
        return verify_request

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
