from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.auth_kind_enum import AuthKindEnum
from ..models.method_enum import MethodEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.parameter_input_request import ParameterInputRequest


T = TypeVar("T", bound="InterfaceCreateRequest")


@_attrs_define
class InterfaceCreateRequest:
    """
    Attributes:
        resource (int):
        name (str):
        base_url (str):
        method (MethodEnum): * `GET` - GET
            * `POST` - POST
        parameters (list[ParameterInputRequest]):
        description (str | Unset):
        timeout_ms (int | Unset):
        auth_kind (AuthKindEnum | Unset): * `none` - 无
            * `header` - 请求头密钥
            * `bearer` - Bearer 令牌
        auth_header (str | Unset):
        secret (str | Unset): Sent to the upstream as the bearer token or header value; stored encrypted, never shown
            again.
    """

    resource: int
    name: str
    base_url: str
    method: MethodEnum
    parameters: list[ParameterInputRequest]
    description: str | Unset = UNSET
    timeout_ms: int | Unset = UNSET
    auth_kind: AuthKindEnum | Unset = UNSET
    auth_header: str | Unset = UNSET
    secret: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        resource = self.resource

        name = self.name

        base_url = self.base_url

        method = self.method.value

        parameters = []
        for parameters_item_data in self.parameters:
            parameters_item = parameters_item_data.to_dict()
            parameters.append(parameters_item)

        description = self.description

        timeout_ms = self.timeout_ms

        auth_kind: str | Unset = UNSET
        if not isinstance(self.auth_kind, Unset):
            auth_kind = self.auth_kind.value

        auth_header = self.auth_header

        secret = self.secret

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resource": resource,
                "name": name,
                "base_url": base_url,
                "method": method,
                "parameters": parameters,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if timeout_ms is not UNSET:
            field_dict["timeout_ms"] = timeout_ms
        if auth_kind is not UNSET:
            field_dict["auth_kind"] = auth_kind
        if auth_header is not UNSET:
            field_dict["auth_header"] = auth_header
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.parameter_input_request import ParameterInputRequest  # noqa: PLC0415

        d = dict(src_dict)
        resource = d.pop("resource")

        name = d.pop("name")

        base_url = d.pop("base_url")

        method = MethodEnum(d.pop("method"))

        parameters = []
        _parameters = d.pop("parameters")
        for parameters_item_data in _parameters:
            parameters_item = ParameterInputRequest.from_dict(parameters_item_data)

            parameters.append(parameters_item)

        description = d.pop("description", UNSET)

        timeout_ms = d.pop("timeout_ms", UNSET)

        _auth_kind = d.pop("auth_kind", UNSET)
        auth_kind: AuthKindEnum | Unset
        if isinstance(_auth_kind, Unset):
            auth_kind = UNSET
        else:
            auth_kind = AuthKindEnum(_auth_kind)

        auth_header = d.pop("auth_header", UNSET)

        secret = d.pop("secret", UNSET)

        interface_create_request = cls(
            resource=resource,
            name=name,
            base_url=base_url,
            method=method,
            parameters=parameters,
            description=description,
            timeout_ms=timeout_ms,
            auth_kind=auth_kind,
            auth_header=auth_header,
            secret=secret,
        )

        return interface_create_request
