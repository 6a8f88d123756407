"""The project's form renderer writes selects exactly as Django's templates do."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from accounts.models import Department
from kernel.renderers import FormRenderer
from tests import builders


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---"), ("a", "A & B"), ("<b>", "<script>x</script>")])
    grouped = forms.ChoiceField(
        choices=[
            ("Fruit & veg", [("apple", "Apple"), ("pear", gettext_lazy("Name"))]),
            ("loose", "Loose"),
            ("Numbers", [(1, 1), (2000, 2000)]),
        ]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", mark_safe("<i>Y</i>"))])
    maybe = forms.NullBooleanField()
    typed = forms.TypedChoiceField(choices=[(1, "one"), (2, "two")], coerce=int)
    attrs = forms.ChoiceField(
        choices=[("1", "one")],
        widget=forms.Select(
            attrs={"class": "form-select", "data-x": 'a"b', "required": True, "hidden": False}
        ),
    )
    departments = forms.ModelChoiceField(queryset=Department.objects.order_by("pk"))
    text = forms.CharField(initial='say "<hi>" & bye', widget=forms.TextInput(attrs={"size": 0}))
    number = forms.IntegerField(initial=12000)
    decimal = forms.DecimalField(initial="1.50", required=False)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput, initial=mark_safe("<safe>"))
    checkbox = forms.BooleanField(initial=True)
    unchecked = forms.BooleanField(required=False)
    date = forms.DateField(initial="2026-12-04")
    moment = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)


class CustomOption(forms.Select):
    option_template_name = "django/forms/widgets/input.html"


class Overridden(forms.Form):
    odd = forms.ChoiceField(choices=[("a", "A")], widget=CustomOption)


def _pair(form_class, data=None):
    django_form = form_class(data, renderer=DjangoTemplates())
    ours = form_class(data, renderer=FormRenderer())
    return django_form, ours


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "plain": "<b>",
            "grouped": "2000",
            "many": ["x", "y"],
            "maybe": "true",
            "typed": "2",
            "attrs": "1",
            "text": "<typed> & 'quoted'",
            "number": "not a number",
            "password": "secret",
            "checkbox": "on",
            "date": "2026-13-40",
        },
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_selects_are_written_as_the_templates_write_them(data, language):
    chosen = builders.department(name="甲 & 乙局")
    builders.department(name="<b>丙局</b>")
    with override(language), override_settings(USE_THOUSAND_SEPARATOR=True):
        if data is not None:
            data = {**data, "departments": str(chosen.pk)}
        django_form, ours = _pair(Choices, data)
        for name in Choices.base_fields:
            expected = str(django_form[name])
            assert str(ours[name]) == expected, name
        # The cases are not vacuous: escaping, groups, selection and attributes appear.
        rendered = "".join(str(ours[name]) for name in ("plain", "grouped", "attrs", "text"))
        assert "&lt;script&gt;" in rendered
        assert '<optgroup label="Fruit &amp; veg">' in rendered
        assert 'data-x="a&quot;b"' in rendered
        assert " required" in rendered and "hidden" not in rendered
        assert "&lt;" in str(ours["text"]) and "<safe>" not in str(ours["password"])
        if data is not None:
            assert '<option value="2000" selected>' in rendered


def test_a_select_with_another_option_template_goes_through_the_templates():
    django_form, ours = _pair(Overridden)
    assert str(ours["odd"]) == str(django_form["odd"])
    assert "<option" not in str(ours["odd"])


# --- includes/field.html in Python -------------------------------------------------------------


class Fields(forms.Form):
    plain = forms.ChoiceField(
        label="Plain & <simple>",
        choices=[("", "---"), ("a", "A & B"), ("<b>", "<script>x</script>")],
        help_text="Pick <one> & only one.",
    )
    grouped = Choices.base_fields["grouped"]
    typed = forms.TypedChoiceField(choices=[(1, "one"), (2, "two")], coerce=int, required=False)
    lazy = forms.ChoiceField(label=gettext_lazy("Name"), choices=[(None, "none"), ("x", "X")])
    departments = forms.ModelChoiceField(queryset=Department.objects.order_by("pk"))
    text = forms.CharField(label="", max_length=5, help_text=gettext_lazy("Name"))
    number = forms.IntegerField(required=False)
    checkbox = forms.BooleanField(label=gettext_lazy("Name"), help_text="tick it")
    unchecked = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="<h>")
    radios = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="either"
    )
    boxes = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    area = forms.CharField(widget=forms.Textarea, required=False)

    def clean(self):
        self.add_error("plain", "Another <problem> & more.")
        return self.cleaned_data


def _prefixed(data, prefix):
    return None if data is None else {f"{prefix}-{k}": v for k, v in data.items()}


def _field_html(field) -> str:
    from django.template.loader import get_template

    return get_template("includes/field.html").render({"field": field})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "plain": "<b>",
            "grouped": "2000",
            "typed": "3",
            "lazy": "",
            "text": "too long <text>",
            "number": "x",
            "hidden": "<new>",
            "radios": "c",
            "boxes": ["b"],
        },
    ],
)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_field_writer_writes_what_the_field_template_writes(data, auto_id, language):
    from kernel.renderers import FieldWriter

    builders.department(name="甲 & 乙局")
    with override(language):
        writer = FieldWriter()
        # Twice each, with a second form of the same class: what the writer keeps is its own.
        for form in (
            Fields(_prefixed(data, "one"), auto_id=auto_id, prefix="one"),
            Fields(_prefixed(data, "two"), auto_id=auto_id, prefix="two"),
        ):
            for name in Fields.base_fields:
                expected = _field_html(form[name])
                assert writer.field(form[name]) == expected, name
                assert writer.field(form[name]) == expected, name
                assert writer.widget(form[name]) == str(form[name]), name
        rendered = "".join(writer.field(form[name]) for name in Fields.base_fields)
        assert "has-errors" in rendered if data else "has-errors" not in rendered
        if data:
            assert '<option value="&lt;b&gt;" selected>' in rendered
            assert 'aria-invalid="true"' in rendered


@pytest.mark.django_db
def test_the_field_writer_notices_other_choices_labels_and_languages():
    from kernel.renderers import FieldWriter

    class Row(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], label=gettext_lazy("Name"))

        def __init__(self, *args, choices=None, label=None, required=True, **kwargs):
            super().__init__(*args, **kwargs)
            if choices is not None:
                self.fields["pick"].choices = choices
            if label is not None:
                self.fields["pick"].label = label
            self.fields["pick"].required = required

    writer = FieldWriter()
    forms_ = [
        Row(initial={"pick": "b"}, prefix="1"),
        Row(initial={"pick": "c"}, prefix="2", choices=[("c", "C"), ("b", "B")]),
        Row(initial={"pick": "a"}, prefix="3", label="Other <label>"),
        Row(initial={"pick": "a"}, prefix="4", required=False),
        Row(initial={"pick": "a"}, prefix="5"),
    ]
    for language in ("en", "zh-hans", "en"):
        with override(language):
            for form in forms_:
                assert writer.field(form["pick"]) == _field_html(form["pick"])
    # The choices a form was given are not changed under it.
    forms_[1].fields["pick"].choices.append(("d", "D"))
    assert writer.field(forms_[1]["pick"]) == _field_html(forms_[1]["pick"])


def test_the_field_writer_tells_a_safe_label_from_its_text():
    from kernel.renderers import FieldWriter

    class Row(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "<i>A</i>")])

    writer = FieldWriter()
    plain = Row(prefix="1")
    marked = Row(prefix="2")
    marked.fields["pick"].choices = [("a", mark_safe("<i>A</i>"))]
    for form in (plain, marked, plain):
        assert writer.field(form["pick"]) == _field_html(form["pick"])
    assert "<i>A</i>" in writer.field(marked["pick"])
    assert "&lt;i&gt;" in writer.field(plain["pick"])
