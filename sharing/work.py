"""The sharing queues of the home page ("My work"), listed in order by ``portal.work``.

Kept in the sharing app so their labels are translated in its own message catalog; each queue's
rows come from ``sharing.selectors`` and who has it from ``sharing.policies``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kernel.work import WorkItem, WorkQueue, work_item

from . import policies, selectors
from .models import Correction, Grant, Notification, ShareRequest


def _request_item(request: ShareRequest, detail: str, **dated: Any) -> WorkItem:
    resources = "、".join(line.resource.name for line in request.lines.all())
    return work_item(
        f"{request.number} · {resources}",
        reverse("sharing:request_detail", args=[request.pk]),
        detail,
        **dated,
    )


def _decision_item(request: ShareRequest) -> WorkItem:
    return _request_item(
        request,
        str(request.requester_department),
        due=request.due_date,
        label=gettext_lazy("Reply due"),
    )


def _outgoing_item(request: ShareRequest) -> WorkItem:
    return _request_item(
        request, str(request.provider), due=request.due_date, label=gettext_lazy("Reply due")
    )


def _returned_item(request: ShareRequest) -> WorkItem:
    return _request_item(
        request,
        _("%(department)s asks: %(comment)s")
        % {"department": request.provider, "comment": request.changes_comment},
        on=request.decided_at,
        label=pgettext_lazy("time sent back", "Sent back"),
    )


def _negotiation_item(request: ShareRequest) -> WorkItem:
    return _request_item(request, f"{request.requester_department} → {request.provider}")


def _correction_item(correction: Correction) -> WorkItem:
    return work_item(
        f"{correction} · {correction.resource.name}",
        reverse("sharing:correction_detail", args=[correction.pk]),
        _("Reported by %(department)s") % {"department": correction.department},
        due=correction.due_date,
        label=gettext_lazy("Answer due"),
    )


def _grant_item(grant: Grant) -> WorkItem:
    return work_item(
        grant.resource.name,
        reverse("sharing:grant_detail", args=[grant.pk]),
        f"{grant.resource.provider} → {grant.department}",
        on=grant.last_day,
        label=gettext_lazy("Last day"),
    )


def _notification_item(notification: Notification) -> WorkItem:
    return work_item(
        notification.text,
        notification.url or reverse("sharing:notification_list"),
        str(notification.get_kind_display()),
        on=notification.created_at,
        label=pgettext_lazy("time received", "Received"),
    )


def _to_answer(user: Any) -> Any:
    return selectors.corrections_visible_to(user=user, state="to_answer")


AWAITING_DECISION = WorkQueue(
    key="decision",
    title=gettext_lazy("Awaiting my decision"),
    icon="inbox",
    url_name="sharing:inbox",
    query="kind=decision",
    has=policies.has_decision_queue,
    rows=lambda user: selectors.requests_inbox(user=user, kind="decision"),
    item=_decision_item,
    empty=gettext_lazy("No request awaits your decision."),
)

AWAITING_SIGNOFF = WorkQueue(
    key="signoff",
    title=gettext_lazy("Awaiting my sign-off"),
    icon="pen",
    url_name="sharing:inbox",
    query="kind=signoff",
    has=policies.has_signoff_queue,
    rows=lambda user: selectors.requests_inbox(user=user, kind="signoff"),
    item=_outgoing_item,
    empty=gettext_lazy("No outgoing request awaits your sign-off."),
)

RETURNED = WorkQueue(
    key="returned",
    title=gettext_lazy("Returned to us for changes"),
    icon="arrow-return-left",
    url_name="sharing:request_list",
    query="side=returned",
    has=policies.may_request,
    rows=lambda user: selectors.requests_returned(user=user),
    item=_returned_item,
    empty=gettext_lazy("No request of your department was sent back."),
)

NEGOTIATION = WorkQueue(
    key="negotiation",
    title=gettext_lazy("Coordination queue"),
    icon="people",
    url_name="sharing:negotiation_list",
    has=policies.may_settle_requests,
    rows=lambda user: selectors.requests_in_negotiation(user=user),
    item=_negotiation_item,
    empty=gettext_lazy("No request awaits coordination."),
)

CORRECTIONS = WorkQueue(
    key="corrections",
    title=gettext_lazy("Corrections to answer"),
    icon="pencil-square",
    url_name="sharing:correction_list",
    query="state=to_answer",
    has=policies.has_corrections_queue,
    rows=_to_answer,
    item=_correction_item,
    empty=gettext_lazy("No correction awaits your answer."),
)

GRANTS_EXPIRING = WorkQueue(
    key="grants_expiring",
    title=gettext_lazy("Grants ending within 30 days"),
    icon="hourglass-split",
    url_name="sharing:grant_list",
    query="side=expiring",
    has=policies.has_department_grants,
    rows=lambda user: selectors.grants_expiring(user=user),
    item=_grant_item,
    empty=gettext_lazy("No grant of your department ends within 30 days."),
)

NOTIFICATIONS = WorkQueue(
    key="notifications",
    title=gettext_lazy("Unread notifications"),
    icon="bell",
    url_name="sharing:notification_list",
    has=policies.has_notifications,
    rows=lambda user: selectors.notifications_unread(user=user),
    item=_notification_item,
    empty=gettext_lazy("No unread notification."),
)
