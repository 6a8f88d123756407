"""The form renderer: Django's, with ``<select>`` and ``<input>`` written in Python.

Django renders each ``<option>`` through two template includes (the option, its attributes):
about 0.1 ms per option. A resource's form holds a thousand options (472 categories, four
selects on each data item), so rendering its selects took 100 ms of a 160 ms page. The
renderer below writes the same markup, byte for byte (``tests/kernel/test_renderers.py``
compares it with the templates' output), in a few microseconds per option; so are the
``<input>`` widgets, which are one include of ``input.html`` each. Any other widget (textarea,
radio, file, multi-widgets), and a select whose option template a form overrides, goes
through the templates; a project template of the same name would not be seen here, so the
project overrides none of these (it has no ``templates/django/forms``).
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# The templates that are only ``{% include "django/forms/widgets/input.html" %}``.
INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "checkbox",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
    )
)


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: ``False`` omits, ``True`` writes the bare name."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(out)


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped unless marked safe."""
    return conditional_escape(value if isinstance(value, SafeString) else str(value))


def _option(option: dict[str, Any]) -> str:
    return (
        f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(localize(option['label']))}</option>"
    )


def render_select(widget: dict[str, Any]) -> str | None:
    """The select's markup, or ``None`` if a part of it uses another template."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(localize(group_name))}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            parts.append("\n  ")
            parts.append(_option(option))
            parts.append("\n")  # the option template's last line ends
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_input(widget: dict[str, Any]) -> str:
    """``django/forms/widgets/input.html``."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}"'
        f' name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


class FormRenderer(DjangoTemplates):
    """``FORM_RENDERER``: selects in Python, everything else through Django's templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if template_name == SELECT and isinstance(widget, dict):
            html = render_select(widget)
            if html is not None:
                return mark_safe(html)  # noqa: S308 - every part escaped above
        if template_name in INPUTS and isinstance(widget, dict):
            return mark_safe(render_input(widget))  # noqa: S308 - every part escaped above
        return super().render(template_name, context, request)
