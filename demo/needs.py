"""Demo data needs (需求清单), on top of ``manage.py load_demo``: one in each stage of its life.

A need still awaiting routing, one routed and awaiting its provider's answer, and one answered
with a resource of the catalog, which its requester can turn into a share request. Filed through
the services, as staff would; the loader runs once (a second call finds the needs and stops).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from catalog.models import Resource
from needs import services
from needs.models import Need

TERMS: dict[str, Any] = {
    "purpose": "verification",
}
# (filer, title, description, items, legal basis, business, provider's answerer, answer resource)
NEEDS: list[tuple[str, str, str, list[str], str, str, str | None, str | None]] = [
    (
        "mz_staff",
        "住房公积金缴存信息",
        "核定低保家庭收入时需核验家庭成员的公积金缴存基数和月缴存额",
        ["公民身份号码", "姓名", "缴存基数", "月缴存额", "缴存状态"],
        "《社会救助暂行办法》第十一条",
        "最低生活保障家庭经济状况核对",
        None,
        None,
    ),
    (
        "sj_staff",
        "企业职工参保人数",
        "企业年报核查时需比对企业在职职工的社会保险参保人数",
        ["统一社会信用代码", "参保人数", "参保险种"],
        "《企业信息公示暂行条例》第八条",
        "企业年度报告抽查",
        "rs_approver",
        None,
    ),
    (
        "rs_staff",
        "不动产权属信息",
        "审核灵活就业人员社会保险补贴时需核验申请人家庭的不动产情况",
        ["权利人", "证件号码", "不动产坐落", "权利类型"],
        "《就业补助资金管理办法》第七条",
        "灵活就业人员社会保险补贴审核",
        "zr_approver",
        "不动产登记信息",
    ),
]


@transaction.atomic
def load_needs_demo() -> bool:
    """File the demo needs and move them to their stages; False if already done."""
    if Need.objects.exists():
        return False
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    coordinator = users.get("coordinator")
    for filer, title, description, items, basis, business, answerer, answer in NEEDS:
        if filer not in users:
            continue
        need = services.need_file(
            actor=users[filer],
            title=title,
            description=description,
            data_items=items,
            legal_basis=basis,
            business=business,
            **TERMS,
        )
        if answerer is None or coordinator is None or answerer not in users:
            continue
        provider = users[answerer]
        assert provider.department_id is not None
        need = services.need_route(actor=coordinator, need=need, provider_id=provider.department_id)
        resource = (
            Resource.objects.filter(
                name=answer, provider_id=provider.department_id, status="published"
            ).first()
            if answer
            else None
        )
        if resource is not None:
            services.need_link(actor=provider, need=need, resource_id=resource.pk)
    return True
