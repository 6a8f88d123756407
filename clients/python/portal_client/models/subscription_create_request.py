from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.webhook_event_enum import WebhookEventEnum

T = TypeVar("T", bound="SubscriptionCreateRequest")


@_attrs_define
class SubscriptionCreateRequest:
    """
    Attributes:
        target_url (str): Where deliveries are POSTed; must resolve into a network the coordinator allows.
        kinds (list[WebhookEventEnum]): The events to receive.
    """

    target_url: str
    kinds: list[WebhookEventEnum]

    def to_dict(self) -> dict[str, Any]:
        target_url = self.target_url

        kinds = []
        for kinds_item_data in self.kinds:
            kinds_item = kinds_item_data.value
            kinds.append(kinds_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "target_url": target_url,
                "kinds": kinds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        target_url = d.pop("target_url")

        kinds = []
        _kinds = d.pop("kinds")
        for kinds_item_data in _kinds:
            kinds_item = WebhookEventEnum(kinds_item_data)

            kinds.append(kinds_item)

        subscription_create_request = cls(
            target_url=target_url,
            kinds=kinds,
        )

        return subscription_create_request
