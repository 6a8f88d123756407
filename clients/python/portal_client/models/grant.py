from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.grant_status_enum import GrantStatusEnum

if TYPE_CHECKING:
    from ..models.data_item import DataItem


T = TypeVar("T", bound="Grant")


@_attrs_define
class Grant:
    """A grant; ``items`` holds only the granted items within the caller's clearance.

    Attributes:
        id (int):
        resource (int):
        resource_name (str):
        resource_code (str):
        department (int):
        department_name (str):
        items (list[DataItem]):
        valid_from (datetime.datetime):
        valid_until (datetime.datetime):
        status (GrantStatusEnum): * `active` - 生效中
            * `expired` - 已过期
            * `revoked` - 已撤销 Default: GrantStatusEnum.ACTIVE.
        in_force (bool): Active and inside its period now; an active grant past its end is not.
        row_scope_region (str): Only rows whose region code starts with this GB/T 2260 prefix are delivered; empty:
            every row. Set at approval.
        clear_items (list[int]): Ids of the personal data items (among `items`) delivered unmasked; every other personal
            item is masked. Set at approval.
        clear_reason (str): Why the approver delivers `clear_items` unmasked.
        purpose (str):
        created_at (datetime.datetime):
        revoked_at (datetime.datetime | None):
        revoke_reason (str):
    """

    id: int
    resource: int
    resource_name: str
    resource_code: str
    department: int
    department_name: str
    items: list[DataItem]
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    in_force: bool
    row_scope_region: str
    clear_items: list[int]
    clear_reason: str
    purpose: str
    created_at: datetime.datetime
    revoked_at: datetime.datetime | None
    revoke_reason: str
    status: GrantStatusEnum = GrantStatusEnum.ACTIVE
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        resource = self.resource

        resource_name = self.resource_name

        resource_code = self.resource_code

        department = self.department

        department_name = self.department_name

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        valid_from = self.valid_from.isoformat()

        valid_until = self.valid_until.isoformat()

        status = self.status.value

        in_force = self.in_force

        row_scope_region = self.row_scope_region

        clear_items = self.clear_items

        clear_reason = self.clear_reason

        purpose = self.purpose

        created_at = self.created_at.isoformat()

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        revoke_reason = self.revoke_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "resource": resource,
                "resource_name": resource_name,
                "resource_code": resource_code,
                "department": department,
                "department_name": department_name,
                "items": items,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "status": status,
                "in_force": in_force,
                "row_scope_region": row_scope_region,
                "clear_items": clear_items,
                "clear_reason": clear_reason,
                "purpose": purpose,
                "created_at": created_at,
                "revoked_at": revoked_at,
                "revoke_reason": revoke_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.data_item import DataItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        resource = d.pop("resource")

        resource_name = d.pop("resource_name")

        resource_code = d.pop("resource_code")

        department = d.pop("department")

        department_name = d.pop("department_name")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = DataItem.from_dict(items_item_data)

            items.append(items_item)

        valid_from = datetime.datetime.fromisoformat(d.pop("valid_from"))

        valid_until = datetime.datetime.fromisoformat(d.pop("valid_until"))

        status = GrantStatusEnum(d.pop("status"))

        in_force = d.pop("in_force")

        row_scope_region = d.pop("row_scope_region")

        clear_items = cast(list[int], d.pop("clear_items"))

        clear_reason = d.pop("clear_reason")

        purpose = d.pop("purpose")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        revoke_reason = d.pop("revoke_reason")

        grant = cls(
            id=id,
            resource=resource,
            resource_name=resource_name,
            resource_code=resource_code,
            department=department,
            department_name=department_name,
            items=items,
            valid_from=valid_from,
            valid_until=valid_until,
            status=status,
            in_force=in_force,
            row_scope_region=row_scope_region,
            clear_items=clear_items,
            clear_reason=clear_reason,
            purpose=purpose,
            created_at=created_at,
            revoked_at=revoked_at,
            revoke_reason=revoke_reason,
        )

        grant.additional_properties = d
        return grant

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
