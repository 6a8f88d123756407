from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.purpose_enum import PurposeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="NeedCreateRequest")


@_attrs_define
class NeedCreateRequest:
    """
    Attributes:
        title (str): What data is needed.
        description (str):
        data_items (list[str]): The data items wanted, as the requesting department names them.
        legal_basis (str):
        purpose (PurposeEnum): * `administrative` - 行政依据
            * `reference` - 工作参考
            * `verification` - 数据校核
            * `collaboration` - 业务协同
            * `other` - 其他
        business (str): The business the data serves.
        purpose_other (str | Unset):
        suggested_provider (int | Unset): The id of the department believed to hold the data.
    """

    title: str
    description: str
    data_items: list[str]
    legal_basis: str
    purpose: PurposeEnum
    business: str
    purpose_other: str | Unset = UNSET
    suggested_provider: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        description = self.description

        data_items = self.data_items

        legal_basis = self.legal_basis

        purpose = self.purpose.value

        business = self.business

        purpose_other = self.purpose_other

        suggested_provider = self.suggested_provider

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
                "description": description,
                "data_items": data_items,
                "legal_basis": legal_basis,
                "purpose": purpose,
                "business": business,
            }
        )
        if purpose_other is not UNSET:
            field_dict["purpose_other"] = purpose_other
        if suggested_provider is not UNSET:
            field_dict["suggested_provider"] = suggested_provider

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        description = d.pop("description")

        data_items = cast(list[str], d.pop("data_items"))

        legal_basis = d.pop("legal_basis")

        purpose = PurposeEnum(d.pop("purpose"))

        business = d.pop("business")

        purpose_other = d.pop("purpose_other", UNSET)

        suggested_provider = d.pop("suggested_provider", UNSET)

        need_create_request = cls(
            title=title,
            description=description,
            data_items=data_items,
            legal_basis=legal_basis,
            purpose=purpose,
            business=business,
            purpose_other=purpose_other,
            suggested_provider=suggested_provider,
        )

        return need_create_request
