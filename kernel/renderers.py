"""The form renderer: Django's, with ``<select>`` and ``<input>`` written in Python; and
``FieldWriter``, the project's ``includes/field.html`` in Python for forms repeated on a page.

Django renders each ``<option>`` through two template includes (the option, its attributes):
about 0.1 ms per option. A resource's form holds a thousand options (472 categories, four
selects on each data item), so rendering its selects took 100 ms of a 160 ms page. The
renderer below writes the same markup, byte for byte (``tests/test_form_renderer.py``
compares it with the templates' output), in a few microseconds per option; so are the
``<input>`` widgets, which are one include of ``input.html`` each. Any other widget (textarea,
radio, file, multi-widgets), and a select whose option template a form overrides, goes
through the templates; a project template of the same name would not be seen here, so the
project overrides none of these (it has no ``templates/django/forms``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django import forms
from django.forms import BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.template.loader import get_template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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


FIELD_TEMPLATE = "includes/field.html"
_REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>'


def written(value: Any) -> str:
    """Return a value as ``{{ value }}`` writes it: localized, then escaped."""
    return str(conditional_escape(localize(value)))


_e = written


class DetailUrl:
    """A detail page's URL, reversed once for a list and given each row's key.

    Reversing per row cost more than the rest of a row; the URL is reversed with a stand-in
    key and the key replaced, escaped as ``{% url %}`` writes it.
    """

    _STAND_IN = "987654321"

    def __init__(self, name: str) -> None:
        self._text = written(reverse(name, args=[int(self._STAND_IN)]))

    def of(self, pk: int) -> str:
        return self._text.replace(self._STAND_IN, str(pk))


def _same(one: Any, other: Any) -> bool:
    """Whether two values write the same markup: the same object, or equal and of one type (a
    marked-safe label is equal to the plain text but written unescaped)."""
    return one is other or (type(one) is type(other) and one == other)


def _same_choices(one: list[Any], other: list[Any]) -> bool:
    return len(one) == len(other) and all(
        _same(a[0], b[0]) and _same(a[1], b[1]) for a, b in zip(one, other, strict=True)
    )


class _Shape(NamedTuple):
    """What a field writes the same way in every form of its class: its class attribute, label
    (escaped, with the required mark) and help text (escaped)."""

    label: Any
    help_text: Any
    required: bool
    widget: type
    checkbox: bool
    classes: str
    has_label: bool
    label_html: str
    help_html: str


class FieldWriter:
    """``includes/field.html`` written in Python, for pages that repeat a form many times.

    A resource's data items are one form each, every one with four selects: through the
    template each field took about a quarter of a millisecond, and each row's options were
    built and written again although every row has the same choices. A writer lives for one
    rendering: per form class, field and language it writes a select's options, the label and
    the help text once, and then only the row's names, values, errors and ``selected``. What
    it keeps is used again only while the field has the same label, help text, required flag,
    widget class and choices. The output is the template's, byte for byte
    (``tests/test_form_renderer.py`` compares them); a field in a fieldset (radios, checkbox
    lists) goes through the template. Change the two together.
    """

    def __init__(self) -> None:
        # (form class, field name, language) -> (the choices, each option's value and markups)
        self._options: dict[tuple[type, str, str], tuple[list[Any], list[tuple[str, str, str]]]]
        self._options = {}
        self._shapes: dict[tuple[type, str, str], _Shape] = {}

    def _shape(self, field: BoundField) -> _Shape:
        form_field = field.field
        key = (type(field.form), field.name, get_language())
        kept = self._shapes.get(key)
        if (
            kept is not None
            and kept.label is field.label
            and kept.help_text is field.help_text
            and kept.required == form_field.required
            and kept.widget is type(form_field.widget)
        ):
            return kept
        checkbox = field.widget_type == "checkbox"
        required = form_field.required
        shape = _Shape(
            label=field.label,
            help_text=field.help_text,
            required=required,
            widget=type(form_field.widget),
            checkbox=checkbox,
            classes=(
                f"portal-field{' is-checkbox' if checkbox else ''}{' required' if required else ''}"
            ),
            has_label=bool(field.label),
            label_html=f"{_e(field.label)}{_REQUIRED_MARK if required else ''}",
            help_html=_e(field.help_text) if field.help_text else "",
        )
        self._shapes[key] = shape
        return shape

    def field(self, field: BoundField) -> str:
        """Return what ``{% include "includes/field.html" %}`` writes for ``field``."""
        if field.is_hidden:
            return f"{self.widget(field)}\n"
        if field.field.widget.use_fieldset:
            return get_template(FIELD_TEMPLATE).render({"field": field})
        shape = self._shape(field)
        errors = field.errors
        auto_id = field.auto_id
        out = [
            f'\n<div class="{shape.classes}{" has-errors" if errors else ""}"'
            f' id="{_e(auto_id or field.html_name)}_container">\n  '
        ]
        if shape.checkbox:
            out.append(
                f"\n    {self.widget(field)}\n"
                f'    <label class="form-label" for="{_e(field.id_for_label)}">{shape.label_html}'
                "</label>\n  "
            )
        else:
            out.append("\n    ")
            if shape.has_label:
                target = field.id_for_label
                target_attr = f' for="{_e(target)}"' if target else ""
                out.append(f'<label class="form-label"{target_attr}>{shape.label_html}</label>')
            out.append(f"\n    {self.widget(field)}\n  ")
        out.append("\n  ")
        if shape.help_html:
            help_id = f' id="{_e(auto_id)}_helptext"' if auto_id else ""
            out.append(f'<div class="form-text"{help_id}>{shape.help_html}</div>')
        out.append("\n  ")
        if errors:
            error_id = f' id="{_e(auto_id)}_error"' if auto_id else ""
            out.append(f'<ul class="field-errors"{error_id}>')
            for error in errors:
                out.append(
                    '<li><i class="bi bi-exclamation-circle" aria-hidden="true"></i> '
                    f"{_e(error)}</li>"
                )
            out.append("</ul>")
        out.append("\n</div>\n\n")
        return "".join(out)

    def widget(self, field: BoundField) -> str:
        """Return ``{{ field }}``: a plain select from the options written for its form class."""
        widget = field.field.widget
        if (
            type(widget) is not forms.Select
            or widget.template_name != SELECT
            or widget.option_template_name != OPTION
            or field.field.localize
            or field.field.show_hidden_initial
            or not isinstance(field.form.renderer, FormRenderer)
        ):
            return str(field)
        options = self._select_options(field, widget)
        if options is None:
            return str(field)
        attrs = field.build_widget_attrs({}, widget)
        if field.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", field.auto_id)
        attrs = widget.build_attrs(widget.attrs, attrs)
        values = widget.format_value(field.value())
        parts = [f'<select name="{conditional_escape(field.html_name)}"{_attrs(attrs)}>']
        chosen = False
        for value, plain, selected in options:
            if not chosen and value in values:
                chosen = True
                parts.append(selected)
            else:
                parts.append(plain)
        parts.append("\n</select>")
        return "".join(parts)

    def _select_options(
        self, field: BoundField, widget: forms.Select
    ) -> list[tuple[str, str, str]] | None:
        """Return each option's value as text, its markup, and its markup selected; ``None``
        for grouped or model choices (``render_select`` writes them)."""
        if isinstance(widget.choices, ModelChoiceIterator):
            return None  # a query each time it is read; written once a page anyway
        choices = list(widget.choices)
        key = (type(field.form), field.name, get_language())
        kept = self._options.get(key)
        # The same form class may be given other choices.
        if kept is not None and _same_choices(kept[0], choices):
            return kept[1]
        options = []
        for value, label in choices:
            if isinstance(label, (list, tuple)):
                return None
            if value is None:
                value = ""
            head = f'\n  <option value="{_text(value)}"'
            tail = f">{_e(label)}</option>\n"
            options.append((str(value), head + tail, f"{head} selected{tail}"))
        self._options[key] = (choices, options)
        return options
