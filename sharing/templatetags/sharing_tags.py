"""Template helpers of the sharing pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.actions import action_label as trail_label

from ..scope import describe as describe_scope

register = template.Library()

ACTION_LABELS = {
    "share_request.submit": pgettext_lazy("request event", "Submitted"),
    "share_request.resubmit": _("Changed and submitted again"),
    "share_request.signoff": _("Signed off by the requesting department"),
    "share_request.return": _("Returned for changes by the requesting department"),
    "share_request.ask_changes": _("Changes asked by the provider"),
    "share_request.approve": _("Approved"),
    "share_request.reject": _("Rejected"),
    "share_request.escalate": _("Sent to the coordinator"),
    "share_request.settle_approve": _("Approved by the coordinator"),
    "share_request.settle_refuse": _("Refused by the coordinator"),
    "share_request.withdraw": _("Withdrawn"),
    "grant.create": _("Grant created"),
    "grant.revoke": _("Grant revoked"),
    "grant.expire": _("Grant expired"),
    "correction.file": _("Correction filed"),
    "correction.answer": _("Correction answered"),
}


@register.filter
def action_label(action: str) -> str:
    """Return the readable name of an audit action (the trail's name for those not listed here)."""
    return str(ACTION_LABELS[action]) if action in ACTION_LABELS else trail_label(action)


@register.filter
def event_reason(details: dict | None) -> str:
    """Return the reason or comment recorded with an audit event, if any."""
    if not isinstance(details, dict):
        return ""
    return str(details.get("reason") or details.get("comment") or "")


@register.filter
def row_scope(prefix: str) -> str:
    """Show a grant's row scope: "瑶海区 (340102)", or "All rows"."""
    return describe_scope(prefix or "")
