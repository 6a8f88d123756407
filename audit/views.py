"""The audit administrator's screens and the providers' "who read our data" page."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kernel.db import read_only_transaction
from kernel.keyset import KeysetPage, capped_count, cursor, keyset_page

from .csv_safe import neutralise
from .forms import EventFilterForm
from .models import AuditEvent
from .policies import can_read_audit_log
from .selectors import data_reads_for_provider, events_for_auditor, events_hidden_from_auditor
from .services import record
from .verify import chain_verify

PAGE_SIZE = 50
# (header, attribute): the headers in the reader's language, the values as stored.
EXPORT_COLUMNS = (
    (gettext_lazy("sequence"), "sequence"),
    (gettext_lazy("time"), "created_at"),
    (gettext_lazy("user"), "actor_username"),
    (gettext_lazy("department"), "department"),
    (gettext_lazy("action"), "action"),
    (gettext_lazy("action name"), "action_label"),
    (gettext_lazy("object type"), "object_type"),
    (gettext_lazy("object id"), "object_id"),
    (gettext_lazy("object"), "object_repr"),
    (gettext_lazy("level"), "level"),
    (gettext_lazy("result"), "result"),
    (gettext_lazy("address"), "client_address"),
    (gettext_lazy("details"), "details"),
    (gettext_lazy("hash"), "hash"),
)


def _filter_form(request: HttpRequest, *, with_department: bool = True) -> EventFilterForm:
    return EventFilterForm(request.GET or None, with_department=with_department)


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """Search the audit log (audit administrator)."""
    form = _filter_form(request)
    criteria = form.criteria()
    events = events_for_auditor(user=request.user, criteria=criteria)
    hidden, hidden_capped = capped_count(
        events_hidden_from_auditor(user=request.user, criteria=criteria)
    )
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": _page(request, events),
            "hidden": hidden,
            "hidden_capped": hidden_capped,
        },
    )


def _page(request: HttpRequest, events: QuerySet[AuditEvent]) -> KeysetPage[AuditEvent]:
    """The page of events the query string asks for, newest first, by sequence number."""
    return keyset_page(
        events,
        key="sequence",
        size=PAGE_SIZE,
        before=cursor(request.GET, "before"),
        after=cursor(request.GET, "after"),
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def event_export(request: HttpRequest) -> StreamingHttpResponse:
    """Export the searched events as CSV, with formula-neutralised cells."""
    form = _filter_form(request)
    criteria = form.criteria()
    events = events_for_auditor(user=request.user, criteria=criteria)
    record(
        actor=request.user,  # type: ignore[arg-type]
        action="audit.export",
        details={"filter": {k: str(v) for k, v in request.GET.items() if k != "page"}},
    )
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"  # a BOM, so spreadsheet programs read the Chinese text as UTF-8
        yield writer.writerow([str(label) for label, _field in EXPORT_COLUMNS])
        # The rows are read in a transaction that cannot write, as the read-only database
        # role where one is configured (kernel/db.py); it ends with the download.
        with read_only_transaction():
            for event in events.iterator(chunk_size=2000):
                values = []
                for _label, field in EXPORT_COLUMNS:
                    value = getattr(event, field)
                    if field == "created_at":
                        value = timezone.localtime(value).isoformat()
                    values.append(neutralise(value))
                yield writer.writerow(values)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def chain_status(request: HttpRequest) -> HttpResponse:
    """Verify the hash chain on request and show the result (audit administrator)."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied(_("Only the audit administrator may read the audit log."))
    report = None
    if request.method == "POST":
        report = chain_verify()
        record(
            actor=request.user,  # type: ignore[arg-type]
            action="audit.verify",
            result="success" if report.ok else "failure",
            details={
                "checked": report.checked,
                "head": report.head_hash,
                "problem": report.problem,
            },
        )
    hidden, hidden_capped = capped_count(events_hidden_from_auditor(user=request.user))
    return render(
        request,
        "audit/chain_status.html",
        {"report": report, "hidden": hidden, "hidden_capped": hidden_capped},
    )


@login_required
def data_reads(request: HttpRequest) -> HttpResponse:
    """Who read our department's data: reads of its resources, for its approvers and admins."""
    form = _filter_form(request, with_department=True)
    events = data_reads_for_provider(user=request.user, criteria=form.criteria())
    page = _page(request, events)
    for event in page:
        # Read here, not in the template: there ``details.items`` would be dict.items.
        details = event.details if isinstance(event.details, dict) else {}
        items = details.get("items")
        event.read_items = "、".join(map(str, items)) if isinstance(items, list) else ""  # type: ignore[attr-defined]
        event.read_rows = details.get("rows")  # type: ignore[attr-defined]
        event.read_grant = details.get("grant")  # type: ignore[attr-defined]
    return render(
        request,
        "audit/data_reads.html",
        {"form": form, "page": page},
    )
