"""The resource editor's data-item rows, and its metadata fields, rendered in Python.

The resource with the most data items of a province-scale catalog took some 80 ms to edit,
most of it the rows: every item is a form of ten fields through ``includes/field.html``, four
of them selects whose options each row built and wrote again. ``item_row`` writes what the
former row template wrote, byte for byte (``tests/catalog/test_item_rows.py`` renders both, in
both languages, with errors, warnings and confirmations; the template is kept as
``tests/catalog/reference/_item_form.html``); change the two together. One
``kernel.renderers.FieldWriter`` serves the whole page, so each select's options are written
once for all the rows and the template for a new row.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from kernel.renderers import FieldWriter
from kernel.renderers import written as _e

from ..forms import DataItemForm

register = template.Library()

_SHARED = "catalog_items.page"


class _Page:
    """What every row of one rendered page shares: the field writer and the row's words."""

    def __init__(self) -> None:
        self.writer = FieldWriter()
        # Outside the f-strings, where makemessages finds them.
        legend = _e(gettext("Data item"))
        remove = _e(gettext("Remove this data item"))
        self.delete = _e(gettext("Delete"))
        self.head = (
            '<fieldset class="item-row border rounded p-2 mb-2" data-formset-form>\n'
            f'  <legend class="visually-hidden">{legend}</legend>\n  '
        )
        self.remove = (
            '    <div class="col-auto js-only"><button type="button"'
            ' class="btn btn-sm btn-outline-danger" data-formset-remove'
            f' aria-label="{remove}"><i class="bi bi-trash" aria-hidden="true"></i></button>'
            "</div>\n  </div>\n  "
        )


def _page(context: template.Context) -> _Page:
    shared = context.render_context.get(_SHARED)
    if shared is None:
        shared = context.render_context[_SHARED] = _Page()
    return shared


def _column(field: BoundField) -> str:
    name = field.name
    if name == "name":
        return "col-md-2"
    if name == "description":
        return "col-md"
    if field.widget_type == "select":
        return "col-md-auto item-select"
    if name == "length":
        return "col-md-1 item-length"
    return "col-md-auto"


@register.simple_tag(takes_context=True)
def resource_field(context: template.Context, field: BoundField) -> SafeString:
    """Return ``{% include "includes/field.html" %}`` for a field of the resource's form."""
    return mark_safe(_page(context).writer.field(field))  # noqa: S308 - escaped by the writer


@register.simple_tag(takes_context=True)
def item_row(context: template.Context, form: DataItemForm) -> SafeString:
    """Return one data item's row of the resource editor (a form of ``DataItemFormSet``)."""
    page = _page(context)
    writer = page.writer
    out = [page.head]
    errors = form.non_field_errors()
    if errors:
        out.append('<ul class="field-errors">')
        out.extend(f"<li>{_e(error)}</li>" for error in errors)
        out.append("</ul>")
    out.append('\n  <div class="row g-2 align-items-end">\n    ')
    for field in form.item_fields():
        out.append(f'\n      <div class="{_column(field)}">{writer.field(field)}</div>\n    ')
    out.append("\n    \n    ")
    if "DELETE" in form.fields:
        delete = form["DELETE"]
        out.append(
            '<div class="col-auto no-js-only item-delete">'
            f"{writer.widget(delete)} "
            f'<label class="form-label" for="{_e(delete.id_for_label)}">{page.delete}</label>'
            "</div>"
        )
    out.append("\n")
    out.append(page.remove)
    warning = form.personal_warning
    if warning:
        confirmation = form.personal_confirmation
        tone = "alert-secondary" if confirmation else "alert-warning"
        out.append(
            f'\n  <div class="item-personal alert {tone} mt-2 mb-0 py-2" data-personal-warning'
            ' role="status">\n'
            '    <p class="mb-1"><i class="bi bi-shield-exclamation" aria-hidden="true"></i> '
            f"{_e(warning.message)}</p>\n    "
        )
        if confirmation:
            who = confirmation.confirmed_by or gettext("the system")
            confirmed = gettext("Confirmed as not personal data by %(who)s: %(reason)s") % {
                "who": _e(who),
                "reason": _e(confirmation.reason),
            }
            out.append(f'\n      <p class="mb-1 small">{confirmed}</p>\n    ')
        out.append(f"\n    {writer.field(form['personal_reason'])}\n  </div>\n  ")
    else:
        out.append(str(form["personal_reason"].as_hidden()))
    out.append("\n</fieldset>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or marked
