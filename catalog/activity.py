"""What a resource's activity (its change history) shows for each kind of audit event.

The activity is read from the audit trail: every change of a resource records an event whose
object is the resource, in the same transaction as the change, so the history cannot miss one.
Each action shown has a describer here that turns the event's details into a line a person
reads. The catalog registers its own actions below; apps above it (data versions in
``datasets``) register theirs when their app is ready, as they register resource page panels
(``catalog.panels``), so the catalog never imports them. An action nobody registered is not
part of the activity (delegations, imports queued, failed uploads stay in the audit log).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .models import CatalogScope


@dataclass(frozen=True)
class ActivityText:
    """What one event says: a headline and further lines (reasons, notes, counts)."""

    summary: str
    lines: list[str] = field(default_factory=list)


# details of the event, and whether the reader is an insider (the provider or the coordinator):
# internal remarks such as a review comment are for insiders only.
Describer = Callable[[Mapping[str, Any], bool], ActivityText]

_describers: dict[str, Describer] = {}


def register_activity_action(action: str, describer: Describer) -> Describer:
    """Show the audit events of ``action`` on a resource in its activity, as ``describer`` says."""
    _describers[action] = describer
    return describer


def activity_actions() -> list[str]:
    """Return the actions shown in the activity (for the SQL filter), sorted."""
    return sorted(_describers)


def activity_describe(action: str, details: Mapping[str, Any], insider: bool) -> ActivityText:
    """Return what the event of ``action`` says to the reader."""
    describer = _describers.get(action)
    if describer is None:
        return ActivityText(action)
    return describer(details, insider)


def _scope_label(value: Any) -> str:
    return str(dict(CatalogScope.choices).get(value, value or "—"))


def _created(details: Mapping[str, Any], insider: bool) -> ActivityText:
    return ActivityText(_("Registered as a draft"))


def _updated(details: Mapping[str, Any], insider: bool) -> ActivityText:
    note = str(details.get("note") or "")
    return ActivityText(_("Catalog entry changed"), [note] if note else [])


def _scoped(details: Mapping[str, Any], insider: bool) -> ActivityText:
    summary = _("Who sees the entry changed: %(before)s → %(after)s") % {
        "before": _scope_label(details.get("from")),
        "after": _scope_label(details.get("to")),
    }
    reason = str(details.get("reason") or "")
    return ActivityText(summary, [_("Reason: %(reason)s") % {"reason": reason}] if reason else [])


def _submitted(details: Mapping[str, Any], insider: bool) -> ActivityText:
    return ActivityText(_("Sent for review"))


def _published(details: Mapping[str, Any], insider: bool) -> ActivityText:
    return ActivityText(_("Published as %(code)s") % {"code": details.get("code") or "—"})


def _returned(details: Mapping[str, Any], insider: bool) -> ActivityText:
    comment = str(details.get("comment") or "")
    lines = [_("Comment: %(comment)s") % {"comment": comment}] if insider and comment else []
    return ActivityText(_("Returned to its editors"), lines)


def _retired(details: Mapping[str, Any], insider: bool) -> ActivityText:
    reason = str(details.get("reason") or "")
    return ActivityText(
        _("Retired (下架)"), [_("Reason: %(reason)s") % {"reason": reason}] if reason else []
    )


register_activity_action("resource.create", _created)
register_activity_action("resource.update", _updated)
register_activity_action("resource.scope", _scoped)
register_activity_action("resource.submit", _submitted)
register_activity_action("resource.publish", _published)
register_activity_action("resource.return", _returned)
register_activity_action("resource.retire", _retired)
