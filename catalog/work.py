"""The catalog's queues on the home page ("My work"), listed in order by ``portal.work``.

Kept in the catalog app so their labels are translated in its own message catalog; the rows
come from ``catalog.selectors``, who has each queue from ``catalog.policies``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kernel.work import WorkItem, WorkQueue, work_item

from . import policies, selectors
from .models import InformationSystem, Resource


def _review_item(resource: Resource) -> WorkItem:
    return work_item(
        resource.name,
        reverse("catalog:resource_review", args=[resource.pk]),
        str(resource.provider),
        on=resource.updated_at,
        label=pgettext_lazy("time submitted", "Submitted"),
    )


def _returned_item(resource: Resource) -> WorkItem:
    return work_item(
        resource.name,
        reverse("catalog:resource_edit", args=[resource.pk]),
        resource.review_comment,
        on=resource.updated_at,
        label=pgettext_lazy("time sent back", "Sent back"),
    )


def _expired_item(resource: Resource) -> WorkItem:
    return work_item(
        resource.name,
        reverse("catalog:resource_edit", args=[resource.pk]),
        resource.code or "",
        due=resource.valid_until,
        label=_("Validity date"),
    )


TO_REVIEW = WorkQueue(
    key="review",
    title=_("Resources to review"),
    icon="clipboard-check",
    url_name="catalog:resource_review_queue",
    has=policies.can_review_resources,
    rows=lambda user: selectors.resources_review_queue(user=user),
    item=_review_item,
    empty=_("No resource awaits review."),
)

SENT_BACK = WorkQueue(
    key="sent_back",
    title=_("Drafts sent back by review"),
    icon="arrow-counterclockwise",
    url_name="catalog:resource_mine",
    query="status=draft",
    has=policies.is_catalog_editor,
    rows=lambda user: selectors.resources_returned(user=user),
    item=_returned_item,
    empty=_("No draft of yours was sent back."),
)

EXPIRED = WorkQueue(
    key="expired",
    title=_("Resources past their validity date"),
    icon="calendar-x",
    url_name="catalog:resource_mine",
    query="expired=1",
    has=policies.is_catalog_editor,
    rows=lambda user: selectors.resources_expired(user=user),
    item=_expired_item,
    empty=_("No resource of yours is past its validity date."),
)


def _system_decide_item(system: InformationSystem) -> WorkItem:
    return work_item(
        system.name,
        reverse("catalog:system_detail", args=[system.pk]),
        str(system.department),
        on=system.filed_at,
        label=pgettext_lazy("time filed", "Filed"),
    )


def _system_returned_item(system: InformationSystem) -> WorkItem:
    return work_item(
        system.name,
        reverse("catalog:system_detail", args=[system.pk]),
        system.return_reason,
        on=system.decided_at,
        label=pgettext_lazy("time sent back", "Sent back"),
    )


def _system_reconfirm_item(system: InformationSystem) -> WorkItem:
    return work_item(
        system.name,
        reverse("catalog:system_detail", args=[system.pk]),
        system.registration_code,
        on=system.confirmed_at,
        label=_("Last confirmed"),
    )


SYSTEMS_TO_DECIDE = WorkQueue(
    key="systems_to_decide",
    title=_("System filings to approve"),
    icon="hdd-stack",
    url_name="catalog:system_list",
    query="status=filed",
    has=policies.can_decide_systems,
    rows=lambda user: selectors.systems_to_decide(user=user),
    item=_system_decide_item,
    empty=_("No system filing awaits approval."),
)

SYSTEMS_RETURNED = WorkQueue(
    key="systems_returned",
    title=_("System filings returned"),
    icon="arrow-counterclockwise",
    url_name="catalog:system_list",
    query="status=returned",
    has=policies.files_systems,
    rows=lambda user: selectors.systems_returned(user=user),
    item=_system_returned_item,
    empty=_("No system filing of your department was returned."),
)

SYSTEMS_TO_RECONFIRM = WorkQueue(
    key="systems_to_reconfirm",
    title=_("Systems to re-confirm this year"),
    icon="calendar-check",
    url_name="catalog:system_list",
    query="status=approved",
    has=policies.files_systems,
    rows=lambda user: selectors.systems_to_reconfirm(user=user),
    item=_system_reconfirm_item,
    empty=_("Every system of your department is confirmed."),
)
