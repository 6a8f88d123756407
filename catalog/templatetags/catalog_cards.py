"""The resource card of the catalog's lists, rendered in Python.

A list page renders twenty of them; through the template engine each took about half a
millisecond (some fifty variable lookups, filters and translations), most of a catalog page's
Python. ``resource_card`` writes the same bytes (tests/catalog/test_resource_card.py renders
both for every kind of card and compares them); change the two together.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import template
from django.template.defaultfilters import truncatechars
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

from kernel.renderers import DetailUrl
from kernel.renderers import written as _e

from ..models import Resource, ShareType
from .catalog_search import highlight

register = template.Library()

_CSRF = CsrfTokenNode()


_SHARED = "catalog_cards.list"


class _List:
    """What every card of one rendered list shares: the words, texts and basket of the page."""

    def __init__(self, context: template.Context) -> None:
        self.words = context.get("highlight")
        self.searching = bool(context.get("searching"))
        self.detail = DetailUrl("catalog:resource_detail")
        self.level = _e(gettext("Level"))
        self.expired = _e(gettext("Past its validity date"))
        self.published = _e(gettext("Published"))
        self.no_code = gettext("(no code yet)")
        self.meta = (
            '<span><i class="bi bi-upc" aria-hidden="true"></i><span class="visually-hidden">'
            f"{_e(gettext('Resource code'))} </span>",
            '<span><i class="bi bi-building" aria-hidden="true"></i>'
            f'<span class="visually-hidden">{_e(gettext("Provider"))} </span>',
            '<span><i class="bi bi-diagram-3" aria-hidden="true"></i>'
            f'<span class="visually-hidden">{_e(gettext("Category"))} </span>',
        )
        self.matching = _e(gettext("Matching data items:"))
        self.labels: dict[tuple[str, Any], str] = {}
        self.add = _e(gettext("Add to basket"))
        user = context.get("user")
        url = context.get("basket_add_url")
        # Whose cards may offer the basket at all; each card then checks its own resource.
        self.basket_department = (
            user.department_id
            if url and user is not None and user.is_authenticated and user.department_id
            else None
        )
        if self.basket_department is not None:
            request = context.get("request")
            path = request.get_full_path() if request is not None else ""
            self.form_head = (
                f'\n  <form method="post" action="{_e(url)}"'
                f' class="resource-card-actions">{_CSRF.render(context)}\n'
            )
            self.next = f'    <input type="hidden" name="next" value="{_e(path)}">\n'

    def label(self, resource: Resource, name: str) -> str:
        """Return a choice field's label as the cards write it, translated once per list."""
        key = (name, getattr(resource, name))
        found = self.labels.get(key)
        if found is None:
            found = self.labels[key] = _e(getattr(resource, f"get_{name}_display")())
        return found


def _summary(text: str, length: int = 140) -> str:
    """Return ``text|truncatechars:length``, without Django's per-character walk when short."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text  # what Truncator.chars returns for it
    return truncatechars(text, length)


def _day(moment: Any) -> str:
    """Return ``moment|date:"Y-m-d"`` in the current time zone, as a template writes it."""
    local = localtime(moment)  # an aware datetime, as the template engine converts it
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d}"


@register.simple_tag(takes_context=True)
def resource_card(context: template.Context, resource: Resource) -> SafeString:
    """Return one resource's card of a result list (catalog/includes/resource_results.html)."""
    shared = context.render_context.get(_SHARED)
    if shared is None:
        shared = context.render_context[_SHARED] = _List(context)
    words = shared.words
    detail = shared.detail.of(resource.pk)
    status = resource.status
    level = _e(resource.level)
    out = [
        '\n<article class="resource-card">\n  <div class="resource-card-head">\n',
        f'    <h2><a href="{detail}">{highlight(resource.name, words)}</a></h2>\n    ',
    ]
    if status != Resource.Status.PUBLISHED:
        out.append(
            f'<span class="badge status-{_e(status)}">{shared.label(resource, "status")}</span>'
        )
    out.append(
        f'\n    <span class="badge share-{_e(resource.share_type)}">'
        f"{shared.label(resource, 'share_type')}</span>\n"
        f'    <span class="badge level-{level}" title="{shared.level}">L{level}</span>\n    '
    )
    if resource.is_expired:
        out.append(f'<span class="badge validity-expired" data-expired>{shared.expired}</span>')
    published = (
        '<span><i class="bi bi-calendar3" aria-hidden="true"></i>'
        f"{shared.published} {_day(resource.published_at)}"
        "</span>"
        if resource.published_at
        else ""
    )
    format_type = f" · {_e(resource.format_type)}" if resource.format_type else ""
    code, provider, category = shared.meta
    out.append(
        "\n  </div>\n"
        '  <div class="resource-meta">\n'
        f'    {code}<code class="resource-code">{_e(resource.code or shared.no_code)}</code>'
        "</span>\n"
        f"    {provider}{highlight(resource.provider.name, words)}</span>\n"
        f"    {category}{_e(resource.category.name)}</span>\n"
        '    <span><i class="bi bi-file-earmark" aria-hidden="true"></i>'
        f"{shared.label(resource, 'format_class')}{format_type}</span>\n"
        '    <span><i class="bi bi-arrow-repeat" aria-hidden="true"></i>'
        f"{shared.label(resource, 'update_cycle')}</span>\n"
        f"    {published}\n"
        "  </div>\n"
        f'  <p class="resource-summary">{highlight(_summary(resource.summary), words)}'
        "</p>\n  "
    )
    matched = getattr(resource, "matched_items", None)
    if shared.searching and matched:
        names = "、".join(
            f'<span class="matched-item">{highlight(name, words)}</span>' for name in matched
        )
        out.append(
            '<p class="resource-matched-items"><i class="bi bi-list-check" aria-hidden="true">'
            f"</i> {shared.matching} {names}</p>"
        )
    out.append("\n  ")
    if (
        shared.basket_department is not None
        and status == Resource.Status.PUBLISHED
        and resource.share_type != ShareType.UNCONDITIONAL
        and resource.provider_id != shared.basket_department
    ):
        out.append(
            f"{shared.form_head}"
            f'    <input type="hidden" name="resource_id" value="{_e(resource.pk)}">\n'
            f"{shared.next}"
            '    <button type="submit" class="btn btn-sm btn-outline-primary" data-basket-add>'
            f'<i class="bi bi-basket" aria-hidden="true"></i> {shared.add}'
            f'<span class="visually-hidden">: {_e(resource.name)}</span></button>\n'
            "  </form>\n  "
        )
    out.append("\n</article>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or marked
