from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

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

    def to_dict(self) -> dict[str, Any]:
        keys = self.keys.to_dict()

        values: dict[str, Any] | Unset = UNSET
        if not isinstance(self.values, Unset):
            values = self.values.to_dict()

        field_dict: dict[str, Any] = {}

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

        return verify_request
