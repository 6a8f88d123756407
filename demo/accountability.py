"""Demo data for the evaluation pages, on top of ``manage.py load_demo``.

``load_accountability_demo()`` is meant to be called after the catalog demo is loaded (for
instance at the end of ``load_demo``). It goes through the services, then dates the rows over
the current year so the scorecards, trends and drill-downs have something to show. It runs
once: a second call finds the demo service items and does nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accountability.models import ServiceItem, ServiceMaterial
from accountability.rules import CYCLE_LENGTHS, cycle_threshold
from accounts.models import User
from audit.services import record
from catalog.models import Resource, ShareType
from sharing import services as sharing_services
from sharing.models import Correction, ShareRequest
from workcalendar.workdays import add_working_days

# (requesting user, provider's approver): the demo's departments asking each other for data.
PAIRS = [
    ("rs_staff", "ga_approver"),
    ("sj_staff", "ga_approver"),
    ("rs_staff", "mz_approver"),
    ("sj_staff", "zr_approver"),
    ("mz_staff", "rs_approver"),
]
REASONS = [
    "依据《中华人民共和国个人信息保护法》第十三条，申请用途超出法定职责，不予提供",
    "数据正在整理",  # cites no law: the scorecard flags it
]
SERVICE_ITEMS = [
    ("DEMO-340100-001", "企业设立登记", "sj", ["营业执照", "法定代表人身份证明", "住所使用证明"]),
    (
        "DEMO-340100-002",
        "最低生活保障申请",
        "mz",
        ["户口簿", "居民身份证", "收入证明", "不动产登记证明"],
    ),
    ("DEMO-340100-003", "社会保险参保登记", "rs", ["居民身份证", "劳动合同", "营业执照"]),
]
# Material name -> words of the demo resource that holds its data.
MATERIAL_SOURCES = {
    "营业执照": "企业",
    "法定代表人身份证明": "人口",
    "居民身份证": "人口",
    "户口簿": "户籍",
    "不动产登记证明": "不动产",
    "收入证明": "社保",
}


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _due(day: date) -> date:
    return add_working_days(day, 10)


def _freshen(now: datetime) -> None:
    """Give published resources update times: most on cycle, some late, some missing."""
    for index, resource in enumerate(
        Resource.objects.filter(status=Resource.Status.PUBLISHED).order_by("pk")
    ):
        if resource.update_cycle not in CYCLE_LENGTHS:
            continue
        threshold = cycle_threshold(resource.update_cycle, now)
        if index % 7 == 3:
            updated = None  # 漏报
        elif index % 5 == 2:
            updated = threshold - timedelta(days=3)  # 迟报
        else:
            updated = now - (now - threshold) / 3
        Resource.objects.filter(pk=resource.pk).update(data_updated_at=updated)


def _requests(today: date) -> None:
    users = {u.username: u for u in User.objects.filter(username__in={n for p in PAIRS for n in p})}
    months = max(today.month - 1, 1)
    number = 0
    for requester_name, approver_name in PAIRS:
        requester, approver = users.get(requester_name), users.get(approver_name)
        if requester is None or approver is None or approver.department is None:
            continue
        candidates = Resource.objects.filter(
            provider=approver.department,
            status=Resource.Status.PUBLISHED,
            share_type=ShareType.CONDITIONAL,
            level__lte=min(requester.clearance, approver.clearance),
        ).order_by("pk")[:3]
        for resource in candidates:
            number += 1
            submitted = date(today.year, 1 + number % months, 3 + number * 2 % 20)
            try:
                sharing_services.basket_add(actor=requester, resource=resource)
                (request,) = sharing_services.share_requests_submit(
                    actor=requester,
                    legal_basis="《政务数据共享条例》第十条",
                    purpose="administrative",
                    scenario="一件事一次办",
                    valid_from=today,
                    valid_until=today + timedelta(days=365),
                )
                if number % 4 != 0:
                    decision = "reject" if number % 3 == 0 else "approve"
                    sharing_services.share_request_decide(
                        actor=approver,
                        request=request,
                        decision=decision,
                        reason=REASONS[number % 2] if decision == "reject" else "",
                    )
            except (ValidationError, PermissionDenied):
                continue
            answered = submitted + timedelta(days=3 + (number * 5) % 19)
            ShareRequest.objects.filter(pk=request.pk).update(
                submitted_at=_at(submitted),
                due_date=_due(submitted),
                decided_at=_at(answered) if number % 4 else None,
            )


def _corrections(today: date) -> None:
    filers = list(User.objects.filter(username__in=["rs_staff", "sj_staff"]))
    resources = Resource.objects.filter(
        status=Resource.Status.PUBLISHED, share_type=ShareType.UNCONDITIONAL, level__lte=2
    ).order_by("pk")[:4]
    for number, resource in enumerate(resources):
        filer = next((f for f in filers if f.department_id != resource.provider_id), None)
        if filer is None:
            continue
        try:
            correction = sharing_services.correction_file(
                actor=filer, resource=resource, description="地址字段与实际不符"
            )
        except (ValidationError, PermissionDenied):
            continue
        filed = today - timedelta(days=20 + 25 * number)
        answered = filed + timedelta(days=4 + 9 * number) if number % 2 == 0 else None
        Correction.objects.filter(pk=correction.pk).update(
            created_at=_at(filed),
            due_date=_due(filed),
            answered_at=_at(answered) if answered else None,
            status="accepted" if answered else "open",
            answer="已核实并更正" if answered else "",
        )


def _reads() -> None:
    from sharing.models import Grant

    for number, grant in enumerate(Grant.objects.in_force().select_related("resource")[:6]):
        reader = User.objects.filter(department=grant.department, is_active=True).first()
        for _ in range(1 + number % 3):
            record(
                actor=reader,
                action="data.read",
                obj=grant.resource,
                details={"provider": grant.resource.provider_id, "rows": 20},
            )


def _service_items() -> None:
    from accounts.models import Department

    for code, name, dept_short, materials in SERVICE_ITEMS:
        department = Department.objects.filter(users__username__startswith=f"{dept_short}_").first()
        if department is None:
            continue
        item = ServiceItem.objects.create(code=code, name=name, department=department)
        for position, material in enumerate(materials):
            words = MATERIAL_SOURCES.get(material)
            resource = (
                Resource.objects.filter(name__contains=words)
                .exclude(status="draft")
                .order_by("pk")
                .first()
                if words
                else None
            )
            ServiceMaterial.objects.create(
                item=item, position=position, name=material, resource=resource
            )


@transaction.atomic
def load_accountability_demo(*, now: datetime | None = None) -> bool:
    """Add update times, requests, corrections, reads and service items; False if already done."""
    if ServiceItem.objects.filter(code__startswith="DEMO-").exists():
        return False
    now = now or timezone.now()
    today = timezone.localdate(now)
    _freshen(now)
    _requests(today)
    _corrections(today)
    _reads()
    _service_items()
    return True
