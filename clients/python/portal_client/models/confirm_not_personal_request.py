from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ConfirmNotPersonalRequest")


@_attrs_define
class ConfirmNotPersonalRequest:
    """
    Attributes:
        item (int): The id of the resource's data item.
        reason (str): Why the item is not personal data although its name says so.
    """

    item: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        item = self.item

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "item": item,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        item = d.pop("item")

        reason = d.pop("reason")

        confirm_not_personal_request = cls(
            item=item,
            reason=reason,
        )

        return confirm_not_personal_request
