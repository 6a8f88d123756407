from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NeedLinkRequest")


@_attrs_define
class NeedLinkRequest:
    """
    Attributes:
        resource (int): A published resource of the provider's.
        answer (str | Unset):
    """

    resource: int
    answer: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        resource = self.resource

        answer = self.answer

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resource": resource,
            }
        )
        if answer is not UNSET:
            field_dict["answer"] = answer

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resource = d.pop("resource")

        answer = d.pop("answer", UNSET)

        need_link_request = cls(
            resource=resource,
            answer=answer,
        )

        return need_link_request
