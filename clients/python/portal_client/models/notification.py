from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.notification_kind_enum import NotificationKindEnum

T = TypeVar("T", bound="Notification")


@_attrs_define
class Notification:
    """
    Attributes:
        id (int):
        kind (NotificationKindEnum): * `request_submitted` - 收到共享申请
            * `signoff_needed` - 待本部门审核
            * `changes_asked` - 退回修改
            * `request_decided` - 申请已审核
            * `deadline_soon` - 2个工作日内到期
            * `overdue` - 已超期
            * `negotiation` - 申请协调
            * `grant_expiring` - 授权即将到期
            * `grant_revoked` - 授权已撤销
            * `correction_filed` - 收到校核纠错
            * `correction_answered` - 校核纠错已答复
            * `deadline_moved` - 期限已重新计算
            * `calendar_missing` - 工作日历尚未正式发布
            * `import_failed` - 数据导入失败
            * `resource_returned` - 资源被退回
            * `need_filed` - 数据需求已提出
            * `need_routed` - 数据需求已分派
            * `need_answered` - 数据需求已答复
            * `resource_retired` - 资源已下架
            * `resource_changed` - 资源已变更
            * `resource_new_data` - 数据已更新
            * `catalog_import_failed` - 目录导入失败
            * `system_approved` - 信息系统备案已通过
            * `system_returned` - 信息系统备案被退回
            * `resource_quality_drop` - 数据质量下降
            * `conflicts_found` - 与其他部门数据不一致
            * `interface_down` - 接口故障
        text (str): In the caller's language.
        url (str):
        created_at (datetime.datetime):
        read_at (datetime.datetime | None):
    """

    id: int
    kind: NotificationKindEnum
    text: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        text = self.text

        url = self.url

        created_at = self.created_at.isoformat()

        read_at: None | str
        if isinstance(self.read_at, datetime.datetime):
            read_at = self.read_at.isoformat()
        else:
            read_at = self.read_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "text": text,
                "url": url,
                "created_at": created_at,
                "read_at": read_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = NotificationKindEnum(d.pop("kind"))

        text = d.pop("text")

        url = d.pop("url")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_read_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                read_at_type_0 = datetime.datetime.fromisoformat(data)

                return read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        read_at = _parse_read_at(d.pop("read_at"))

        notification = cls(
            id=id,
            kind=kind,
            text=text,
            url=url,
            created_at=created_at,
            read_at=read_at,
        )

        notification.additional_properties = d
        return notification

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
