"""Writes of the accountability app: importing service items from a workbook."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Department, User
from audit.services import record
from catalog.excel import Problem, SheetRow
from catalog.selectors import resources_visible_to

from .excel import KIND_TERMS, SERVICE_COLUMNS, SERVICE_SHEET
from .models import ServiceItem, ServiceMaterial
from .policies import can_import_service_items

HEADERS = dict(SERVICE_COLUMNS)
_CODE_SPLIT = re.compile(r"[\s,，、;；]+")


@dataclass
class PlannedItem:
    """A service item as the workbook describes it, checked and ready to store."""

    code: str
    name: str
    kind: str
    department: Department
    row: int
    materials: list[tuple[str, int | None, str]] = field(default_factory=list)
    produces: dict[int, str] = field(default_factory=dict)


def _problem(row: SheetRow, key: str, message: str) -> Problem:
    return Problem(SERVICE_SHEET, row.number, HEADERS[key], message)


def service_items_plan(
    *, actor: User, rows: Sequence[SheetRow]
) -> tuple[list[PlannedItem], list[Problem]]:
    """Check the rows of a service-item workbook; return the items to store and every problem.

    One row per required material; the item's columns repeat on each of its rows (the first
    row's name, kind and department count, later rows may leave them empty or must agree).
    Resource codes are looked up among the resources the importer may see, so a code above
    their clearance is "unknown", like one that does not exist.
    """
    if not can_import_service_items(actor):
        raise PermissionDenied(_("Only the platform coordinator imports service items."))
    problems: list[Problem] = []
    departments: dict[str, Department] = {}
    for candidate in Department.objects.filter(is_active=True):
        for key in (candidate.name, candidate.short_name, candidate.uscc):
            departments.setdefault(key, candidate)
    codes: set[str] = set()
    for row in rows:
        codes.update(c for c in _CODE_SPLIT.split(row.get("resource_code")) if c)
        codes.update(c for c in _CODE_SPLIT.split(row.get("produces")) if c)
    resources = dict(
        resources_visible_to(user=actor).filter(Q(code__in=codes)).values_list("code", "pk")
    )
    planned: dict[str, PlannedItem] = {}
    for row in rows:
        code = row.get("code")
        if not code:
            problems.append(_problem(row, "code", _("Enter the item code.")))
            continue
        item = planned.get(code)
        department = departments.get(row.get("department"))
        kind_text = row.get("kind")
        if kind_text and kind_text not in KIND_TERMS:
            problems.append(
                _problem(
                    row,
                    "kind",
                    _("Unknown kind “%(value)s”; write one of %(terms)s.")
                    % {"value": kind_text, "terms": "、".join(KIND_TERMS)},
                )
            )
        if row.get("department") and department is None:
            problems.append(
                _problem(
                    row,
                    "department",
                    _("No department is called “%(value)s”; write its full name or USCC.")
                    % {"value": row.get("department")},
                )
            )
        if item is None:
            if not row.get("name"):
                problems.append(_problem(row, "name", _("Enter the item name.")))
            elif len(row.get("name")) > 200:
                problems.append(_problem(row, "name", _("The name is longer than 200 characters.")))
            if not row.get("department"):
                problems.append(_problem(row, "department", _("Enter the handling department.")))
            if department is None or not row.get("name"):
                continue
            item = planned[code] = PlannedItem(
                code=code[:40],
                name=row.get("name"),
                kind=KIND_TERMS.get(kind_text, ServiceItem.Kind.SERVICE),
                department=department,
                row=row.number,
            )
        elif department is not None and department != item.department:
            problems.append(
                _problem(
                    row,
                    "department",
                    _("Item %(code)s is handled by %(department)s on row %(row)s.")
                    % {"code": code, "department": item.department.name, "row": item.row},
                )
            )
        material = row.get("material")
        if material:
            if any(name == material for name, _pk, _c in item.materials):
                problems.append(
                    _problem(row, "material", _("This material is listed twice for the item."))
                )
            resource_code = row.get("resource_code")
            if resource_code and resource_code not in resources:
                problems.append(
                    _problem(
                        row,
                        "resource_code",
                        _("No resource has the code “%(code)s”.") % {"code": resource_code},
                    )
                )
            item.materials.append((material[:200], resources.get(resource_code), resource_code))
        elif row.get("resource_code"):
            problems.append(
                _problem(row, "material", _("Name the material the resource code belongs to."))
            )
        for produced in (c for c in _CODE_SPLIT.split(row.get("produces")) if c):
            if produced not in resources:
                problems.append(
                    _problem(
                        row,
                        "produces",
                        _("No resource has the code “%(code)s”.") % {"code": produced},
                    )
                )
            else:
                item.produces[resources[produced]] = produced
    return list(planned.values()), problems


@transaction.atomic
def service_items_import(*, actor: User, rows: Sequence[SheetRow]) -> list[ServiceItem]:
    """Store the workbook's service items, all or none; an existing code is replaced."""
    planned, problems = service_items_plan(actor=actor, rows=rows)
    if problems:
        raise ValidationError([p.message for p in problems])
    stored = []
    for plan in planned:
        item, _created = ServiceItem.objects.update_or_create(
            code=plan.code,
            defaults={"name": plan.name, "kind": plan.kind, "department": plan.department},
        )
        item.materials.all().delete()
        ServiceMaterial.objects.bulk_create(
            ServiceMaterial(item=item, position=index, name=name, resource_id=resource_id)
            for index, (name, resource_id, _code) in enumerate(plan.materials)
        )
        item.produces.set(list(plan.produces))
        item.full_clean()
        stored.append(item)
    record(
        actor=actor,
        action="service_item.import",
        details={"codes": [item.code for item in stored], "count": len(stored)},
    )
    return stored
