"""Writes to the information system registry (备案): register, file, decide, re-confirm, retire.

The department registers a draft and files it; the coordinator approves it (assigning its code,
``catalog.codes``) or returns it with a reason; the department corrects a returned filing and
files it again, re-confirms an approved system once a year and retires it. Every step records an
audit event; approval and return also tell the filer (``catalog.signals.system_decided``).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from accounts.services import department_filing_number
from audit.services import record
from kernel.policies import require

from .. import policies
from ..codes import MAX_SEQUENCE, system_code
from ..models import InformationSystem, SystemCodeCounter
from ..signals import system_decided

Status = InformationSystem.Status
EDITABLE = (Status.DRAFT, Status.RETURNED, Status.APPROVED)


def _clean_stage(funding_stage: str) -> str:
    if funding_stage not in InformationSystem.FundingStage.values:
        raise ValidationError({"funding_stage": _("Choose a funding stage.")})
    return funding_stage


@transaction.atomic
def system_register(
    *,
    actor: User | None,
    department: Department,
    name: str,
    purpose: str = "",
    project_name: str = "",
    funding_stage: str = InformationSystem.FundingStage.INITIATION,
    legacy_code: str = "",
) -> InformationSystem:
    """Register a draft of a department's information system (not yet filed, no code)."""
    require(
        actor,
        policies.can_manage_systems_of,
        department.pk,
        message=_("You may not register systems for this department."),
    )
    system = InformationSystem(
        department=department,
        legacy_code=legacy_code.strip(),
        name=name.strip(),
        purpose=purpose.strip(),
        project_name=project_name.strip(),
        funding_stage=_clean_stage(funding_stage),
        status=Status.DRAFT,
    )
    system.full_clean()
    system.save()
    record(actor=actor, action="system.register", obj=system)
    return system


def _locked(system: InformationSystem) -> InformationSystem:
    return InformationSystem.objects.select_for_update().get(pk=system.pk)


@transaction.atomic
def system_update(
    *,
    actor: User | None,
    system: InformationSystem,
    name: str,
    purpose: str = "",
    project_name: str = "",
    funding_stage: str = InformationSystem.FundingStage.INITIATION,
) -> InformationSystem:
    """Correct a system's name, purpose, project or funding stage; its code never changes.

    A draft, a returned filing or an approved system can be corrected; a filing awaiting the
    coordinator's decision and a retired system cannot.
    """
    locked = _locked(system)
    require(
        actor,
        policies.can_manage_systems_of,
        locked.department_id,
        message=_("You may not change this department's systems."),
    )
    if locked.status == Status.RETIRED:
        raise ValidationError(_("A retired system cannot be changed."))
    if locked.status == Status.FILED:
        raise ValidationError(_("A filing awaiting approval cannot be changed."))
    before = {
        "name": locked.name,
        "project_name": locked.project_name,
        "funding_stage": locked.funding_stage,
    }
    locked.name = name.strip()
    locked.purpose = purpose.strip()
    locked.project_name = project_name.strip()
    locked.funding_stage = _clean_stage(funding_stage)
    locked.full_clean()
    locked.save()
    record(actor=actor, action="system.update", obj=locked, details={"before": before})
    return locked


@transaction.atomic
def system_file(*, actor: User | None, system: InformationSystem) -> InformationSystem:
    """File (备案) a draft or returned system with the coordinator: the department's act."""
    locked = _locked(system)
    require(
        actor,
        policies.can_file_systems_of,
        locked.department_id,
        message=_("Only the system's department files it."),
    )
    if locked.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("Only a draft or a returned filing can be filed."))
    if not locked.project_name:
        raise ValidationError({"project_name": _("Name the project before filing.")})
    locked.status = Status.FILED
    locked.filed_at = timezone.now()
    locked.filed_by = actor
    locked.return_reason = ""
    locked.save(update_fields=["status", "filed_at", "filed_by", "return_reason"])
    record(actor=actor, action="system.file", obj=locked)
    return locked


def _next_code(system: InformationSystem, now: datetime) -> str:
    """Return the next code of the system's region and year; the counter row stays locked."""
    department = system.department
    number = department_filing_number(department=department)
    year = timezone.localtime(now).year
    counter, _created = SystemCodeCounter.objects.get_or_create(
        region_code=department.region_code, year=year
    )
    counter = SystemCodeCounter.objects.select_for_update().get(pk=counter.pk)
    if counter.last >= MAX_SEQUENCE:
        raise ValidationError(_("No system code is left for this region this year."))
    counter.last += 1
    counter.save(update_fields=["last"])
    return system_code(
        region_code=department.region_code,
        year=year,
        department_number=number,
        sequence=counter.last,
    )


@transaction.atomic
def system_approve(*, actor: User | None, system: InformationSystem) -> InformationSystem:
    """Approve a filing: the coordinator assigns the system's code, which never changes after."""
    locked = _locked(system)
    require(
        actor,
        policies.can_decide_system,
        locked.filed_by_id,
        message=_("Only the coordinator approves a filing, and not one they filed."),
    )
    if locked.status != Status.FILED:
        raise ValidationError(_("Only a filed system can be approved."))
    now = timezone.now()
    if locked.code is None:  # a system approved, retired... never gets a second code
        locked.code = _next_code(locked, now)
    locked.status = Status.APPROVED
    locked.decided_at = now
    locked.decided_by = actor
    locked.confirmed_at = now  # approval is the first confirmation
    locked.save(update_fields=["code", "status", "decided_at", "decided_by", "confirmed_at"])
    record(
        actor=actor,
        action="system.approve",
        obj=locked,
        details={"code": locked.code, "department_number": locked.department.filing_number},
    )
    system_decided.send(InformationSystem, system=locked, approved=True, actor=actor)
    return locked


@transaction.atomic
def system_return(
    *, actor: User | None, system: InformationSystem, reason: str
) -> InformationSystem:
    """Return a filing to its department with the reason; it corrects and files again."""
    locked = _locked(system)
    require(
        actor,
        policies.can_decide_system,
        locked.filed_by_id,
        message=_("Only the coordinator returns a filing, and not one they filed."),
    )
    if locked.status != Status.FILED:
        raise ValidationError(_("Only a filed system can be returned."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the filing is returned.")})
    locked.status = Status.RETURNED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.return_reason = reason
    locked.save(update_fields=["status", "decided_at", "decided_by", "return_reason"])
    record(actor=actor, action="system.return", obj=locked, details={"reason": reason})
    system_decided.send(InformationSystem, system=locked, approved=False, actor=actor)
    return locked


@transaction.atomic
def system_reconfirm(*, actor: User | None, system: InformationSystem) -> InformationSystem:
    """Re-confirm (年度确认) that an approved system is still in service as filed."""
    locked = _locked(system)
    require(
        actor,
        policies.can_file_systems_of,
        locked.department_id,
        message=_("Only the system's department re-confirms it."),
    )
    if locked.status != Status.APPROVED:
        raise ValidationError(_("Only an approved system in service can be re-confirmed."))
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["confirmed_at"])
    record(actor=actor, action="system.reconfirm", obj=locked)
    return locked


@transaction.atomic
def system_retire(*, actor: User | None, system: InformationSystem) -> InformationSystem:
    """Mark an approved system as retired; resources keep naming it as their source."""
    locked = _locked(system)
    require(
        actor,
        policies.can_manage_systems_of,
        locked.department_id,
        message=_("You may not change this department's systems."),
    )
    if locked.status == Status.RETIRED:
        raise ValidationError(_("This system is already retired."))
    if locked.status != Status.APPROVED:
        raise ValidationError(_("Only an approved system can be retired."))
    locked.status = Status.RETIRED
    locked.save(update_fields=["status"])
    record(actor=actor, action="system.retire", obj=locked)
    return locked


__all__ = [
    "system_approve",
    "system_file",
    "system_reconfirm",
    "system_register",
    "system_retire",
    "system_return",
    "system_update",
]
