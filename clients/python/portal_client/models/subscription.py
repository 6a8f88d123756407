from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_event_enum import WebhookEventEnum

T = TypeVar("T", bound="Subscription")


@_attrs_define
class Subscription:
    """A subscription as its department's administrators see it (without its secret).

    Attributes:
        id (int):
        department (int):
        target_url (str):
        kinds (list[WebhookEventEnum]): The events the endpoint receives.
        active (bool):
        disabled_reason (str):
        consecutive_failures (int):
        created_by (None | str):
        created_at (datetime.datetime):
        secret_rotated_at (datetime.datetime | None):
    """

    id: int
    department: int
    target_url: str
    kinds: list[WebhookEventEnum]
    active: bool
    disabled_reason: str
    consecutive_failures: int
    created_by: None | str
    created_at: datetime.datetime
    secret_rotated_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        department = self.department

        target_url = self.target_url

        kinds = []
        for kinds_item_data in self.kinds:
            kinds_item = kinds_item_data.value
            kinds.append(kinds_item)

        active = self.active

        disabled_reason = self.disabled_reason

        consecutive_failures = self.consecutive_failures

        created_by: None | str
        created_by = self.created_by

        created_at = self.created_at.isoformat()

        secret_rotated_at: None | str
        if isinstance(self.secret_rotated_at, datetime.datetime):
            secret_rotated_at = self.secret_rotated_at.isoformat()
        else:
            secret_rotated_at = self.secret_rotated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "department": department,
                "target_url": target_url,
                "kinds": kinds,
                "active": active,
                "disabled_reason": disabled_reason,
                "consecutive_failures": consecutive_failures,
                "created_by": created_by,
                "created_at": created_at,
                "secret_rotated_at": secret_rotated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        department = d.pop("department")

        target_url = d.pop("target_url")

        kinds = []
        _kinds = d.pop("kinds")
        for kinds_item_data in _kinds:
            kinds_item = WebhookEventEnum(kinds_item_data)

            kinds.append(kinds_item)

        active = d.pop("active")

        disabled_reason = d.pop("disabled_reason")

        consecutive_failures = d.pop("consecutive_failures")

        def _parse_created_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_by = _parse_created_by(d.pop("created_by"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_secret_rotated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                secret_rotated_at_type_0 = datetime.datetime.fromisoformat(data)

                return secret_rotated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        secret_rotated_at = _parse_secret_rotated_at(d.pop("secret_rotated_at"))

        subscription = cls(
            id=id,
            department=department,
            target_url=target_url,
            kinds=kinds,
            active=active,
            disabled_reason=disabled_reason,
            consecutive_failures=consecutive_failures,
            created_by=created_by,
            created_at=created_at,
            secret_rotated_at=secret_rotated_at,
        )

        subscription.additional_properties = d
        return subscription

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
