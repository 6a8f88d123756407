from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_delivery_state_enum import WebhookDeliveryStateEnum
from ..models.webhook_event_enum import WebhookEventEnum

T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """One event's delivery to the subscription, with where its attempts stand.

    Attributes:
        id (int):
        event_id (UUID):
        kind (WebhookEventEnum): * `request.decided` - 共享申请已决定
            * `request.returned` - 共享申请被退回修改
            * `grant.created` - 授权已生成
            * `grant.expiring` - 授权即将到期
            * `grant.revoked` - 授权已撤销
            * `resource.changed` - 资源已变更
            * `resource.retired` - 资源已下架
            * `data.version` - 数据新版本
            * `correction.answered` - 纠错已答复
            * `interface.down` - 接口不可用
            * `interface.up` - 接口已恢复
        state (WebhookDeliveryStateEnum): * `pending` - 待投递
            * `delivered` - 已投递
            * `failed` - 失败，将重试
            * `gave_up` - 已放弃
        attempts (int):
        created_at (datetime.datetime):
        next_attempt_at (datetime.datetime | None):
        delivered_at (datetime.datetime | None):
        last_status_code (int | None):
        last_error (str):
        payload (Any):
    """

    id: int
    event_id: UUID
    kind: WebhookEventEnum
    state: WebhookDeliveryStateEnum
    attempts: int
    created_at: datetime.datetime
    next_attempt_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    last_status_code: int | None
    last_error: str
    payload: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event_id = str(self.event_id)

        kind = self.kind.value

        state = self.state.value

        attempts = self.attempts

        created_at = self.created_at.isoformat()

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        delivered_at: None | str
        if isinstance(self.delivered_at, datetime.datetime):
            delivered_at = self.delivered_at.isoformat()
        else:
            delivered_at = self.delivered_at

        last_status_code: int | None
        last_status_code = self.last_status_code

        last_error = self.last_error

        payload = self.payload

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "event_id": event_id,
                "kind": kind,
                "state": state,
                "attempts": attempts,
                "created_at": created_at,
                "next_attempt_at": next_attempt_at,
                "delivered_at": delivered_at,
                "last_status_code": last_status_code,
                "last_error": last_error,
                "payload": payload,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        event_id = UUID(d.pop("event_id"))

        kind = WebhookEventEnum(d.pop("kind"))

        state = WebhookDeliveryStateEnum(d.pop("state"))

        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        def _parse_delivered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivered_at_type_0 = datetime.datetime.fromisoformat(data)

                return delivered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at"))

        def _parse_last_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status_code = _parse_last_status_code(d.pop("last_status_code"))

        last_error = d.pop("last_error")

        payload = d.pop("payload")

        delivery = cls(
            id=id,
            event_id=event_id,
            kind=kind,
            state=state,
            attempts=attempts,
            created_at=created_at,
            next_attempt_at=next_attempt_at,
            delivered_at=delivered_at,
            last_status_code=last_status_code,
            last_error=last_error,
            payload=payload,
        )

        delivery.additional_properties = d
        return delivery

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
