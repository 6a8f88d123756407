"""A resource with one data item of every type and personal-data kind, and valid rows for it."""

from __future__ import annotations

from accounts.identifiers import government_uscc
from accounts.models import Role

from .. import builders
from .conftest import citizen_id

HEADER = [
    "统一社会信用代码",
    "名称",
    "法定代表人",
    "身份证号",
    "手机号",
    "注册资本",
    "人数",
    "成立日期",
    "更新时间",
    "是否有效",
    "备注",
    "比率",
    "行政区划代码",
]


def typed_items() -> list[dict]:
    item = builders.item
    return [
        item("统一社会信用代码", is_key=True, kind="uscc"),
        item("名称", length=20),
        item("法定代表人", length=10, kind="name", level=2),
        item("身份证号", kind="id_number", level=3),
        item("手机号", length=11, kind="mobile", level=3),
        item("注册资本", data_type="Y", length=12),
        item("人数", data_type="I", length=6),
        item("成立日期", data_type="D", length=8),
        item("更新时间", data_type="T", length=19),
        item("是否有效", data_type="L", length=1),
        item("备注", data_type="M", length=200),
        item("比率", data_type="F", length=10),
        item("行政区划代码", length=6),
    ]


def valid_row(n: int, *, region: str = "340102") -> list[str]:
    home = region or "340102"  # identifiers need a region even when the row's is left blank
    return [
        government_uscc(home, 500 + n),
        f"企业{n}",
        "张三丰",
        citizen_id(n, home),
        f"138{n:08d}",
        "1000.5",
        str(n),
        "20200131",
        "2024-05-01 08:30:00",
        "是",
        "备注，含逗号",
        "0.25",
        region,
    ]


def typed_world():
    """Return (provider department, editor, resource) for the typed resource."""
    dept = builders.department("数据提供部门")
    editor = builders.user(dept, clearance=4, roles=(Role.STAFF, Role.EDITOR), username="editor")
    resource = builders.resource(
        dept, level=3, share_type="conditional", items=typed_items(), name="企业登记信息"
    )
    return dept, editor, resource
