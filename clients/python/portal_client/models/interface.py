from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.auth_kind_enum import AuthKindEnum
from ..models.method_enum import MethodEnum
from ..models.resource_status_enum import ResourceStatusEnum

if TYPE_CHECKING:
    from ..models.interface_parameter import InterfaceParameter


T = TypeVar("T", bound="Interface")


@_attrs_define
class Interface:
    """An interface as the caller sees it; its upstream address and header only for its
    editors and reviewers, its secret for nobody (``has_secret`` says whether one is set).

        Attributes:
            id (int):
            resource (int):
            resource_code (None | str):
            resource_name (str):
            provider (int):
            name (str):
            description (str):
            method (MethodEnum): * `GET` - GET
                * `POST` - POST
            timeout_ms (int):
            auth_kind (AuthKindEnum): * `none` - 无
                * `header` - 请求头密钥
                * `bearer` - Bearer 令牌
            has_secret (bool):
            base_url (None | str): The upstream address; null except for the resource's editors and reviewers.
            status (ResourceStatusEnum): * `draft` - 草稿
                * `submitted` - 待审核
                * `published` - 已发布
                * `retired` - 已下架
            review_comment (str):
            published_at (datetime.datetime | None):
            call_url (None | str): The stable path of the call (by resource code and interface name); null until the
                resource has a code.
            parameters (list[InterfaceParameter]):
    """

    id: int
    resource: int
    resource_code: None | str
    resource_name: str
    provider: int
    name: str
    description: str
    method: MethodEnum
    timeout_ms: int
    auth_kind: AuthKindEnum
    has_secret: bool
    base_url: None | str
    status: ResourceStatusEnum
    review_comment: str
    published_at: datetime.datetime | None
    call_url: None | str
    parameters: list[InterfaceParameter]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        resource = self.resource

        resource_code: None | str
        resource_code = self.resource_code

        resource_name = self.resource_name

        provider = self.provider

        name = self.name

        description = self.description

        method = self.method.value

        timeout_ms = self.timeout_ms

        auth_kind = self.auth_kind.value

        has_secret = self.has_secret

        base_url: None | str
        base_url = self.base_url

        status = self.status.value

        review_comment = self.review_comment

        published_at: None | str
        if isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        call_url: None | str
        call_url = self.call_url

        parameters = []
        for parameters_item_data in self.parameters:
            parameters_item = parameters_item_data.to_dict()
            parameters.append(parameters_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "resource": resource,
                "resource_code": resource_code,
                "resource_name": resource_name,
                "provider": provider,
                "name": name,
                "description": description,
                "method": method,
                "timeout_ms": timeout_ms,
                "auth_kind": auth_kind,
                "has_secret": has_secret,
                "base_url": base_url,
                "status": status,
                "review_comment": review_comment,
                "published_at": published_at,
                "call_url": call_url,
                "parameters": parameters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.interface_parameter import InterfaceParameter  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        resource = d.pop("resource")

        def _parse_resource_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resource_code = _parse_resource_code(d.pop("resource_code"))

        resource_name = d.pop("resource_name")

        provider = d.pop("provider")

        name = d.pop("name")

        description = d.pop("description")

        method = MethodEnum(d.pop("method"))

        timeout_ms = d.pop("timeout_ms")

        auth_kind = AuthKindEnum(d.pop("auth_kind"))

        has_secret = d.pop("has_secret")

        def _parse_base_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        base_url = _parse_base_url(d.pop("base_url"))

        status = ResourceStatusEnum(d.pop("status"))

        review_comment = d.pop("review_comment")

        def _parse_published_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)

                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        published_at = _parse_published_at(d.pop("published_at"))

        def _parse_call_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        call_url = _parse_call_url(d.pop("call_url"))

        parameters = []
        _parameters = d.pop("parameters")
        for parameters_item_data in _parameters:
            parameters_item = InterfaceParameter.from_dict(parameters_item_data)

            parameters.append(parameters_item)

        interface = cls(
            id=id,
            resource=resource,
            resource_code=resource_code,
            resource_name=resource_name,
            provider=provider,
            name=name,
            description=description,
            method=method,
            timeout_ms=timeout_ms,
            auth_kind=auth_kind,
            has_secret=has_secret,
            base_url=base_url,
            status=status,
            review_comment=review_comment,
            published_at=published_at,
            call_url=call_url,
            parameters=parameters,
        )

        interface.additional_properties = d
        return interface

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
