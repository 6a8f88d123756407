"""The rows of the request and grant lists, written in Python.

A page of either list is twenty-odd rows; through the template engine the rows took most of
the page's Python (the request rows some 10 ms, the grant rows about 6): variable lookups,
filters, a URL reversed and an include per row. ``request_rows`` and ``grant_rows`` write the
same bytes as the former loops (tests/sharing/test_list_rows.py renders the former templates,
kept under tests/sharing/reference/, and these, for every state a row shows, in both
languages); change the two together.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kernel.renderers import DetailUrl
from kernel.renderers import written as _e

from ..models import Grant, ShareRequest

register = template.Library()


def _day(value: Any) -> str:
    """Return ``value|date:"Y-m-d"`` for a date, as a template writes it (escaped)."""
    if type(value) is datetime.date:
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return _e(date_filter(value, "Y-m-d"))  # anything else as the filter takes it


def _rows(rows: Iterable[Any] | None) -> list[Any]:
    """Return the rows as ``{% for %}`` reads them: none for a missing list."""
    return [] if rows is None else list(rows)


@register.simple_tag
def request_rows(requests: Iterable[ShareRequest] | None) -> SafeString:
    """Return the rows of a request table (sharing/includes/request_table.html), or its empty row.

    A row shows the number, the two departments, the lines' resources, the status and the
    reply's due date, marked when it is provisional.
    """
    rows = _rows(requests)
    if not rows:
        none = _e(gettext("No requests."))  # outside the f-string, where makemessages finds it
        return mark_safe(  # noqa: S308 - a translation, escaped
            f'\n    <tr><td colspan="6" class="text-muted">{none}</td></tr>\n  '
        )
    detail = DetailUrl("sharing:request_detail")
    provisional = ""
    out = []
    for row in rows:
        due = row.due_date
        if row.due_date_provisional and not provisional:
            provisional = get_template("sharing/includes/provisional.html").render(
                {"provisional": True}
            )
        resources = "、".join(_e(line.resource.name) for line in row.lines.all())
        out.append(
            "\n    <tr>\n"
            f'      <td><a href="{detail.of(row.pk)}">{_e(row.number)}</a></td>\n'
            f"      <td>{_e(row.requester_department)}</td>\n"
            f"      <td>{_e(row.provider)}</td>\n"
            f"      <td>{resources}</td>\n"
            '      <td><span class="badge text-bg-light">'
            f"{_e(row.get_status_display())}</span></td>\n"
            f"      <td>{_day(due) if due else '—'}"
            f"{provisional if row.due_date_provisional else ''}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or marked


@register.simple_tag
def grant_rows(grants: Iterable[Grant] | None) -> SafeString:
    """Return the rows of the grant list (sharing/grant_list.html), or its empty row.

    A row shows the resource, its provider, the consumer department, how many data items the
    grant covers (``item_count``, set by ``selectors.grants_count_items``), its last day and
    its state.
    """
    rows = _rows(grants)
    if not rows:
        none = _e(gettext("No grants."))  # outside the f-string, where makemessages finds it
        return mark_safe(  # noqa: S308 - a translation, escaped
            f'\n    <tr><td colspan="6" class="text-muted">{none}</td></tr>\n  '
        )
    detail = DetailUrl("sharing:grant_detail")
    out = []
    for row in rows:
        resource = row.resource
        out.append(
            "\n    <tr>\n"
            f'      <td><a href="{detail.of(row.pk)}">{_e(resource.name)}</a></td>\n'
            f"      <td>{_e(resource.provider)}</td>\n"
            f"      <td>{_e(row.department)}</td>\n"
            # Unset, the template wrote nothing.
            f"      <td>{_e(getattr(row, 'item_count', ''))}</td>\n"
            f"      <td>{_day(row.last_day)}</td>\n"
            f"      <td>{_e(row.state_display())}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or marked
