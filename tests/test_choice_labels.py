"""``kernel.models.ChoiceLabels`` answers ``get_FOO_display()`` as Django does."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils import translation

from catalog.models import Resource
from kernel.models import ChoiceLabels
from sharing.models import ShareRequest

CASES = [
    (Resource, "share_type"),
    (Resource, "status"),
    (Resource, "update_cycle"),
    (Resource, "format_class"),
    (Resource, "level"),
    (ShareRequest, "status"),
    (ShareRequest, "purpose"),
]


@pytest.mark.parametrize(("model", "name"), CASES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_labels_are_djangos(model, name, language):
    assert issubclass(model, ChoiceLabels)
    field = model._meta.get_field(name)
    values = [value for value, _label in field.flatchoices] + ["not a choice", None]
    with translation.override(language):
        for value in values:
            instance = model(**{field.attname: value})
            ours = getattr(instance, f"get_{name}_display")()
            theirs = models.Model._get_FIELD_display(instance, field)
            assert ours == theirs and type(ours) is type(theirs), (name, value)


def test_labels_follow_the_language():
    resource = Resource(share_type=Resource._meta.get_field("share_type").flatchoices[0][0])
    with translation.override("zh-hans"):
        zh = resource.get_share_type_display()
    with translation.override("en"):
        en = resource.get_share_type_display()
    assert zh != en
