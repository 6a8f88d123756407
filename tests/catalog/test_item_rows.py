"""The resource editor's rows and fields written in Python are what the templates wrote.

``tests/catalog/reference/`` keeps the page and the row template as they were before the rows
moved to ``catalog.templatetags.catalog_items``: every page below is rendered by the view and
again by the reference templates with the same context, and must agree byte for byte (the
CSRF token aside, masked afresh each time), in both languages: the create page, an edit page
with code lists, personal-data warnings (open, confirmed by an editor, confirmed by the
system), and posted rows with field errors, row errors and the formset's errors.

And a round trip: the form for a resource of 60 items and 30 code lists shows each row's own
list selected, and posting back what it shows changes nothing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Engine, RequestContext, engines
from django.urls import reverse
from django.utils.translation import override

from accounts.models import Role
from catalog import services
from catalog.models import CodeList, DataItem, Resource
from tests import builders

from .maintenance_helpers import login
from .test_item_editor import edit_data

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
SEX = "GB/T 2261.1-2003"


def _reference_engine() -> Engine:
    """The project's engine, with the former page and row templates in front of its loaders."""
    project = engines["django"].engine
    return Engine(
        dirs=project.dirs,
        context_processors=project.context_processors,
        libraries=project.libraries,
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {
                    "reference/resource_form.html": (REFERENCE / "resource_form.html").read_text(),
                    "catalog/manage/_item_form.html": (REFERENCE / "_item_form.html").read_text(),
                },
            ),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )


def _page(client, url: str, language: str, data: dict | None = None) -> tuple[str, str]:
    """Return the page the view writes and the page the reference templates write."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200
    context = {name: response.context[name] for name in ("form", "formset", "resource")}
    with override(language):
        reference = (
            _reference_engine()
            .get_template("reference/resource_form.html")
            .render(RequestContext(response.wsgi_request, context))
        )
    current = response.content.decode()
    return CSRF.sub("csrf", current), CSRF.sub("csrf", reference)


@pytest.fixture
def people(db):
    department = builders.department("行<列>测试 & 部门")
    return {
        "editor": builders.user(department, clearance=3, roles=(Role.STAFF, Role.EDITOR)),
        "confirmer": builders.user(department, clearance=3, roles=(Role.STAFF, Role.EDITOR)),
    }


@pytest.fixture
def resource(people):
    """A draft with a code list, an open warning and two confirmed ones (a person, the system)."""
    editor = people["editor"]
    confirmer = people["confirmer"]
    confirmer.full_name = "<b>张</b> & 李"
    confirmer.save(update_fields=["full_name"])
    made = builders.resource(
        editor.department,
        status="draft",
        level=3,
        items=[
            builders.item("编号", is_key=True, description='说明 <i>"引号"</i> & 符号'),
            builders.item("性别", length=1, code_list=SEX),
            builders.item("公民身份号码", level=2),
            builders.item("手机号码", level=2),
            builders.item("姓名", level=2, kind="name"),
            builders.item("户籍地址", level=2),
            builders.item("登记日期", data_type="D", length=10),
        ],
    )
    services.item_personal_confirm(
        actor=confirmer, item=made.items.get(name="手机号码"), reason="仅为<单位>总机 & 分机"
    )
    services.item_personal_confirm(
        actor=None, item=made.items.get(name="户籍地址"), reason="单位地址"
    )
    return made


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_create_page_is_the_templates(client, people, language):
    login(client, people["editor"])
    current, reference = _page(client, reverse("catalog:resource_create"), language)
    assert current == reference
    assert "items-__prefix__-code_list" in current  # the template for a new row


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_edit_page_with_warnings_and_code_lists_is_the_templates(
    client, people, resource, language
):
    login(client, people["editor"])
    url = reverse("catalog:resource_edit", args=[resource.pk])
    current, reference = _page(client, url, language)
    assert current == reference
    # The cases are there: a selected list, an open warning, both kinds of confirmation.
    assert f'<option value="{SEX}" selected>' in current
    assert current.count("data-personal-warning") == 3
    assert "&lt;b&gt;张&lt;/b&gt; &amp; 李" in current
    assert "仅为&lt;单位&gt;总机 &amp; 分机" in current
    assert ("系统" if language == "zh-hans" else "the system") in current
    assert "<b>" not in current.split("<main", 1)[-1]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_published_page_with_its_change_note_is_the_templates(client, people, language):
    published = builders.resource(people["editor"].department, level=2)
    login(client, people["editor"])
    current, reference = _page(
        client, reverse("catalog:resource_edit", args=[published.pk]), language
    )
    assert current == reference
    assert 'name="change_note"' in current


def _rows(resource: Resource) -> list[dict]:
    rows = []
    for item in resource.items.order_by("position"):
        row = {
            "name": item.name,
            "data_type": item.data_type,
            "length": str(item.length),
            "level": str(item.level),
            "kind": item.kind,
            "description": item.description,
            "code_list": item.code_list.code if item.code_list_id else "",
        }
        if item.is_key:
            row["is_key"] = "on"
        rows.append(row)
    return rows


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_posted_rows_with_errors_are_the_templates(client, people, resource, language):
    login(client, people["editor"])
    url = reverse("catalog:resource_edit", args=[resource.pk])
    before = _rows(resource)

    # Errors of the form: a row without a name, a length that is not a number.
    rows = [dict(row) for row in before]
    rows[0]["name"] = ""
    rows[3]["length"] = "十二"
    rows[2]["personal_reason"] = "理由 <b>粗</b>"
    current, reference = _page(client, url, language, edit_data(resource, rows))
    assert current == reference
    assert current.count('class="field-errors"') >= 2
    assert 'aria-invalid="true"' in current

    # Errors of the services: a list on a date item (on its row), a name given twice.
    rows = [dict(row) for row in before]
    rows[6]["code_list"] = SEX
    rows[4]["name"] = rows[5]["name"]
    current, reference = _page(client, url, language, edit_data(resource, rows))
    assert current == reference
    assert "has-errors" in current
    assert _rows(Resource.objects.get(pk=resource.pk)) == before


# --- the round trip --------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """What a browser posts for the page's form: its inputs, checked boxes, selected options
    (the first when none is), textareas; not the rows' template for new items."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: list[tuple[str, str]] = []
        self.selects: dict[str, list[tuple[str, bool]]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._in_template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v if v is not None else "" for k, v in attrs}
        if tag == "template":
            self._in_template += 1
        if self._in_template:
            return
        name = found.get("name")
        if tag == "input" and name and found.get("type") not in ("submit", "button"):
            if found.get("type") in ("checkbox", "radio"):
                if "checked" in found:
                    self.data.append((name, found.get("value", "on")))
            else:
                self.data.append((name, found.get("value", "")))
        elif tag == "select" and name:
            self._select = name
            self.selects[name] = []
        elif tag == "option" and self._select:
            self.selects[self._select].append((found.get("value", ""), "selected" in found))
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._in_template -= 1
        elif tag == "select" and self._select:
            options = self.selects[self._select]
            chosen = [value for value, selected in options if selected] or [options[0][0]]
            self.data.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def _state(resource: Resource) -> tuple:
    resource = Resource.objects.get(pk=resource.pk)
    items = list(
        DataItem.objects.filter(resource=resource)
        .order_by("position")
        .values_list(
            "position",
            "name",
            "data_type",
            "length",
            "level",
            "kind",
            "is_key",
            "description",
            "code_list__code",
        )
    )
    fields = (
        "name",
        "summary",
        "category_id",
        "level",
        "share_type",
        "share_condition",
        "share_method",
        "open_type",
        "open_condition",
        "update_cycle",
        "format_class",
        "format_type",
        "region_code",
        "catalog_scope",
        "catalog_scope_reason",
        "source_system_id",
        "status",
        "version",
    )
    return tuple(getattr(resource, f) for f in fields), items


def test_sixty_items_and_thirty_code_lists_round_trip_unchanged(client, people):
    lists = [
        CodeList.objects.create(code=f"DB/T 9{n:03d}-2026", name=f"测试代码集<{n}> & 名")
        for n in range(30)
    ]
    assert CodeList.objects.filter(active=True).count() >= 30
    items = []
    for n in range(60):
        spec = {"length": 1 + n % 40, "level": 1 + n % 3}
        if n % 5 == 4:
            spec.update(data_type="D", length=10)  # no list on a date
        elif n % 7 != 0:
            spec.update(code_list=lists[n % 30].code, data_type="CNI"[n % 3])
        if n % 11 == 0:
            spec["is_key"] = True
        items.append(builders.item(f"数据项{n:02d}", description=f"第{n}项 & <说明>", **spec))
    resource = builders.resource(people["editor"].department, status="draft", level=3, items=items)
    # A list retired after it was chosen stays on its item, and in its row's choices.
    CodeList.objects.filter(pk=lists[1].pk).update(active=False)
    before = _state(resource)
    assert sum(1 for item in before[1] if item[-1]) > 40
    # The empty choice, every active list (the seeded national ones too), the retired one.
    choices = 1 + CodeList.objects.filter(active=True).count() + 1

    login(client, people["editor"])
    url = reverse("catalog:resource_edit", args=[resource.pk])
    page = client.get(url).content.decode()
    reader = _FormReader()
    reader.feed(page)
    # Each row shows its own list selected, and only that option.
    for position, *_rest, code in before[1]:
        options = reader.selects[f"items-{position - 1}-code_list"]
        assert [value for value, selected in options if selected] == [code or ""], position
        assert len(options) == choices
    response = client.post(url, dict(reader.data))
    assert response.status_code == 302, response.context and [
        (f.prefix, f.errors) for f in response.context["formset"].forms if f.errors
    ]
    assert _state(resource) == before
