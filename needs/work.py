"""The data-needs queue of the home page ("My work"), listed in order by ``portal.work``.

The needs waiting for the user: to route (the coordinator) or to answer for their department
(its approvers and administrator). Rows from ``needs.selectors``, who has the queue from
``needs.policies``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kernel.work import WorkItem, WorkQueue, work_item

from . import policies, selectors
from .models import Need


def _has(user: Any) -> bool:
    return policies.may_route_needs(user) or policies.answers_for_department(user)


def _rows(user: Any) -> QuerySet[Need]:
    # The nearest answer first; needs still to route (no due date yet) after, oldest first.
    return selectors.needs_visible_to(user=user, state="waiting").order_by(
        F("due_date").asc(nulls_last=True), "created_at", "id"
    )


def _item(need: Need) -> WorkItem:
    return work_item(
        need.title,
        reverse("needs:need_detail", args=[need.pk]),
        str(need.requester_department),
        due=need.due_date,
        label=_("Answer due"),
    )


WAITING = WorkQueue(
    key="needs",
    title=_("Data needs waiting for me"),
    icon="megaphone",
    url_name="needs:need_list",
    query="state=waiting",
    has=_has,
    rows=_rows,
    item=_item,
    empty=_("No data need waits for you."),
)
