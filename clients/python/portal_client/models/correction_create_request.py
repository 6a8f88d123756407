from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CorrectionCreateRequest")


@_attrs_define
class CorrectionCreateRequest:
    """
    Attributes:
        resource (int):
        description (str):
        item (int | Unset):
        evidence (str | Unset):
    """

    resource: int
    description: str
    item: int | Unset = UNSET
    evidence: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        resource = self.resource

        description = self.description

        item = self.item

        evidence = self.evidence

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resource": resource,
                "description": description,
            }
        )
        if item is not UNSET:
            field_dict["item"] = item
        if evidence is not UNSET:
            field_dict["evidence"] = evidence

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resource = d.pop("resource")

        description = d.pop("description")

        item = d.pop("item", UNSET)

        evidence = d.pop("evidence", UNSET)

        correction_create_request = cls(
            resource=resource,
            description=description,
            item=item,
            evidence=evidence,
        )

        return correction_create_request
