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
