"""The Excel import service: a whole workbook of resources, validated as one, written as one.

``resources_import`` runs every row through the same validation as the web form
(``services._resource_create_unchecked`` and ``services.item_problems``) inside one transaction.
Problems are collected per sheet, row and column; if there is any, or if this is only the
preview (``dry_run``), the transaction is rolled back, so nothing is imported until the whole
file is valid.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from audit.services import record
from kernel.policies import require
from kernel.sandbox import ParseLimitExceeded, run_limited

from .. import excel, policies, services
from ..excel import ITEM_SHEET, RESOURCE_SHEET, Problem, SheetRow
from ..models import (
    RESOURCE_CODE_RE,
    CatalogScope,
    Category,
    DataItem,
    FormatClass,
    InformationSystem,
    OpenType,
    Resource,
    ShareMethod,
    ShareType,
    UpdateCycle,
)
from ..selectors import resources_visible_to

_HEADER = {key: header for key, header in excel.RESOURCE_COLUMNS}
_ITEM_HEADER = {key: header for key, header in excel.ITEM_COLUMNS}
# Where a service's error about a model field is shown in the resource sheet.
_FIELD_COLUMN = {
    "name": "name",
    "summary": "summary",
    "format_class": "format",
    "format_type": "format",
    "share_type": "share_type",
    "share_condition": "share_condition",
    "share_method": "share_method",
    "open_type": "open_type",
    "open_condition": "open_condition",
    "update_cycle": "update_cycle",
    "level": "level",
    "source_system": "system",
    "region_code": "region_code",
    "category": "category1",
    "catalog_scope": "catalog_scope",
    "catalog_scope_reason": "catalog_scope_reason",
    "valid_until": "valid_until",
}
_SYSTEM_CODE_RE = re.compile(r"[（(]([^（）()]+)[）)]\s*$")


class _Rollback(Exception):
    """Raised inside the transaction to undo a preview or a file with problems."""


@dataclass(frozen=True)
class PreviewRow:
    row: int
    name: str
    provider: str
    items: int
    code: str


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    created: list[Resource] = field(default_factory=list)
    # Not problems: items that look like personal data but are tagged "not personal". The
    # drafts are imported; the editor tags or confirms each before submitting.
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def import_max_bytes() -> int:
    """Return the upload size limit (setting ``PORTAL_IMPORT_MAX_BYTES``)."""
    return int(getattr(settings, "PORTAL_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def parse_limited(
    data: bytes, *, heartbeat: Callable[[], None] | None = None
) -> excel.ParsedWorkbook:
    """Read the workbook in a child process under the parse limits (kernel/sandbox.py).

    A parse stopped by a limit is one problem of the file itself, like any other refusal.
    ``heartbeat`` is called while the child runs (the import job renews its lease in it).
    """
    try:
        return run_limited(
            excel.parse_workbook, data, max_bytes=import_max_bytes(), heartbeat=heartbeat
        )
    except ParseLimitExceeded as stopped:
        return excel.ParsedWorkbook(problems=[Problem("", None, "", str(stopped))])


def _english(choices: Any) -> dict[str, str]:
    from django.utils import translation

    with translation.override("en"):
        return {value: str(label) for value, label in choices.choices}


class _RowReader:
    """Turns one resource row's text into service arguments, noting problems by column."""

    def __init__(self, row: SheetRow, problems: list[Problem]) -> None:
        self.row = row
        self.problems = problems
        self.bad_columns: set[str] = set()

    def problem(self, key: str, message: str) -> None:
        self.bad_columns.add(key)
        self.problems.append(Problem(RESOURCE_SHEET, self.row.number, _HEADER[key], message))

    def choice(self, key: str, terms: Mapping[str, str], choices: Any) -> str | None:
        text = self.row.get(key)
        if not text:
            self.problem(key, _("This column is required."))
            return None
        value = excel.term_value(text, terms, _english(choices))
        if value is None:
            self.problem(
                key,
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": "、".join(terms.values())},
            )
        return value


@dataclass
class _Context:
    actor: User
    publish: bool
    departments: dict[str, Department]
    categories: dict[str, Category]
    systems: dict[int, list[InformationSystem]]


def _load_context(actor: User, publish: bool) -> _Context:
    systems: dict[int, list[InformationSystem]] = defaultdict(list)
    for system in InformationSystem.objects.all():
        systems[system.department_id].append(system)
    return _Context(
        actor=actor,
        publish=publish,
        # USCCs and the category tree are public reference data, not catalog content.
        departments={d.uscc: d for d in Department.objects.filter(is_active=True)},
        categories={c.code: c for c in Category.objects.all()},
        systems=systems,
    )


def _category(reader: _RowReader, ctx: _Context) -> Category | None:
    cells = [reader.row.get(f"category{n}") for n in (1, 2, 3, 4)]
    deepest: Category | None = None
    for depth, text in enumerate(cells, start=1):
        if not text:
            continue
        key = f"category{depth}"
        match = re.match(r"^([0-9]+)", text)
        if match:
            node = ctx.categories.get(match.group(1))
        else:
            parent_code = deepest.code if deepest else None
            node = next(
                (
                    c
                    for c in ctx.categories.values()
                    if c.name == text
                    and c.depth == depth
                    and (parent_code is None or c.code.startswith(parent_code))
                ),
                None,
            )
        if node is None or node.depth != depth:
            reader.problem(
                key,
                _("“%(value)s” is not a category of this level (类/项/目/细目).") % {"value": text},
            )
            return None
        if deepest is not None and not node.code.startswith(deepest.code):
            reader.problem(
                key,
                _("“%(value)s” does not belong under %(parent)s.")
                % {"value": text, "parent": deepest.code},
            )
            return None
        deepest = node
    if deepest is None:
        reader.problem("category1", _("Give the category (分类1–分类4)."))
    return deepest


def _provider(reader: _RowReader, ctx: _Context) -> Department | None:
    actor = ctx.actor
    uscc = reader.row.get("provider_code").upper()
    name = reader.row.get("provider")
    if not uscc and not name and actor.department is not None and not ctx.publish:
        return actor.department
    department = ctx.departments.get(uscc) if uscc else None
    if department is None and not uscc and name:
        department = next((d for d in ctx.departments.values() if d.name == name), None)
    if department is None:
        reader.problem(
            "provider_code",
            _("No department has the unified social credit code “%(value)s”.")
            % {"value": uscc or name},
        )
        return None
    if not policies.can_import_resources_for(actor, department.pk):
        reader.problem(
            "provider_code",
            _("You may import only your own department's resources (%(department)s).")
            % {"department": actor.department},
        )
        return None
    return department


def _system(
    reader: _RowReader, ctx: _Context, provider: Department | None
) -> InformationSystem | None:
    text = reader.row.get("system")
    if not text or provider is None:
        return None
    own = ctx.systems.get(provider.pk, [])
    match = _SYSTEM_CODE_RE.search(text)
    found = [s for s in own if s.registration_code == (match.group(1) if match else text)]
    if not found:
        found = [s for s in own if s.name == text]
    if len(found) != 1:
        reader.problem(
            "system",
            _("“%(value)s” is not a registered system of %(department)s.")
            % {"value": text, "department": provider},
        )
        return None
    return found[0]


def _published_at(reader: _RowReader) -> datetime | None:
    text = reader.row.get("published_at")
    if not text:
        return None
    try:
        day = datetime.strptime(text[:10], "%Y-%m-%d").date()
    except ValueError:
        reader.problem("published_at", _("Write the date as YYYY-MM-DD."))
        return None
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _resource_fields(reader: _RowReader, ctx: _Context) -> dict[str, Any]:
    row = reader.row
    fields: dict[str, Any] = {
        "name": row.get("name"),
        "summary": row.get("summary"),
        "share_condition": row.get("share_condition"),
        "open_condition": row.get("open_condition"),
        "region_code": row.get("region_code"),
    }
    fmt = row.get("format")
    format_class, _sep, format_type = fmt.partition("/")
    value = excel.term_value(format_class, excel.FORMAT_CLASS_TERMS, _english(FormatClass))
    if value is None:
        reader.problem(
            "format",
            _("Write the format as “class/type”, the class one of: %(allowed)s.")
            % {"allowed": "、".join(excel.FORMAT_CLASS_TERMS.values())},
        )
    else:
        fields["format_class"] = value
        fields["format_type"] = format_type.strip()
    fields["share_type"] = reader.choice("share_type", excel.SHARE_TYPE_TERMS, ShareType)
    fields["share_method"] = reader.choice("share_method", excel.SHARE_METHOD_TERMS, ShareMethod)
    fields["update_cycle"] = reader.choice("update_cycle", excel.UPDATE_CYCLE_TERMS, UpdateCycle)
    open_flag = excel.yes_no(row.get("open"))
    open_type = excel.term_value(row.get("open_type"), excel.OPEN_TYPE_TERMS, _english(OpenType))
    if open_flag is None:
        reader.problem("open", _("Write 是 or 否."))
    elif not row.get("open_type"):
        open_type = OpenType.UNCONDITIONAL if open_flag else OpenType.NOT_OPEN
    if open_type is None:
        reader.problem(
            "open_type",
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": row.get("open_type"), "allowed": "、".join(excel.OPEN_TYPE_TERMS.values())},
        )
    elif open_flag is not None and open_flag != (open_type != OpenType.NOT_OPEN):
        reader.problem("open_type", _("The open type contradicts 是否向社会开放."))
    fields["open_type"] = open_type
    level = excel.level_value(row.get("level"))
    if level is None:
        reader.problem("level", _("Write the level as L1, L2, L3 or L4."))
    fields["level"] = level
    # An empty scope keeps the entry's (a new one: every department sees it).
    if row.get("catalog_scope"):
        fields["catalog_scope"] = reader.choice(
            "catalog_scope", excel.CATALOG_SCOPE_TERMS, CatalogScope
        )
        fields["catalog_scope_reason"] = row.get("catalog_scope_reason")
    valid_until = row.get("valid_until")
    if valid_until:
        try:
            fields["valid_until"] = datetime.strptime(valid_until[:10], "%Y-%m-%d").date()
        except ValueError:
            reader.problem("valid_until", _("Write the date as YYYY-MM-DD."))
    fields["category"] = _category(reader, ctx)
    # Drop what could not be read: the service then reports only the remaining problems.
    return {k: v for k, v in fields.items() if v is not None}


def _state_secret(reader: _RowReader) -> bool:
    text = reader.row.get("secret")
    if text in ("", excel.NOT_SECRET, excel.NO):
        return False
    if text in (excel.SECRET, excel.YES):
        return True
    reader.problem("secret", _("Write 非涉密 (or leave it empty)."))
    return False


def _item_specs(rows: list[SheetRow], problems: list[Problem]) -> list[dict[str, Any]]:
    specs: list[dict[str, Any]] = []
    for row in rows:
        spec: dict[str, Any] = {
            "name": row.get("name"),
            "data_type": row.get("data_type").upper(),
            "description": row.get("description"),
            # By code; the service names an unknown one (or a type that cannot have a list).
            "code_list": row.get("code_list"),
        }

        def bad(key: str, message: str, row: SheetRow = row) -> None:
            problems.append(Problem(ITEM_SHEET, row.number, _ITEM_HEADER[key], message))

        length = row.get("length")
        if length.isdigit():
            spec["length"] = int(length)
        else:
            bad("length", _("Write the length as a whole number."))
            spec["length"] = 1
        level = excel.level_value(row.get("level") or "L1")
        if level is None:
            bad("level", _("Write the level as L1, L2, L3 or L4."))
        spec["level"] = level or 1
        kind = excel.term_value(
            row.get("kind") or excel.KIND_TERMS["none"],
            excel.KIND_TERMS,
            _english(DataItem.Kind),
        )
        if kind is None:
            bad(
                "kind",
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": row.get("kind"), "allowed": "、".join(excel.KIND_TERMS.values())},
            )
        spec["kind"] = kind or "none"
        is_key = excel.yes_no(row.get("is_key"))
        if is_key is None:
            bad("is_key", _("Write 是 or 否."))
        spec["is_key"] = bool(is_key)
        specs.append(spec)
    return specs


def _group_items(
    parsed: excel.ParsedWorkbook, problems: list[Problem]
) -> dict[int, list[SheetRow]]:
    """Return the item rows per resource row number, from the 资源行号 or 资源代码 column."""
    by_number = {row.number: row for row in parsed.resources}
    by_code = {row.get("code"): row.number for row in parsed.resources if row.get("code")}
    grouped: dict[int, list[SheetRow]] = defaultdict(list)
    for item in parsed.items:
        ref, code = item.get("row"), item.get("code")
        target: int | None = None
        if ref:
            target = int(ref) if ref.isdigit() and int(ref) in by_number else None
            if target is None:
                problems.append(
                    Problem(
                        ITEM_SHEET,
                        item.number,
                        _ITEM_HEADER["row"],
                        _("Row %(value)s of the resource sheet holds no resource.")
                        % {"value": ref},
                    )
                )
                continue
            if code and by_number[target].get("code") != code:
                problems.append(
                    Problem(
                        ITEM_SHEET,
                        item.number,
                        _ITEM_HEADER["code"],
                        _("The code does not match the resource in row %(row)s.") % {"row": target},
                    )
                )
                continue
        elif code:
            target = by_code.get(code)
            if target is None:
                problems.append(
                    Problem(
                        ITEM_SHEET,
                        item.number,
                        _ITEM_HEADER["code"],
                        _("No resource in the resource sheet has the code “%(value)s”.")
                        % {"value": code},
                    )
                )
                continue
        else:
            problems.append(
                Problem(
                    ITEM_SHEET,
                    item.number,
                    _ITEM_HEADER["row"],
                    _("Give the resource's row number or code."),
                )
            )
            continue
        grouped[target].append(item)
    return grouped


def _code_for(reader: _RowReader, ctx: _Context, category: Category | None, seen: set[str]) -> str:
    code = reader.row.get("code")
    if not code:
        return ""
    if not ctx.publish:
        reader.problem(
            "code",
            _("Codes are assigned when a resource is published; leave 资源代码 empty for drafts."),
        )
        return ""
    if not re.match(RESOURCE_CODE_RE, code):
        reader.problem("code", _("“%(value)s” is not a resource code.") % {"value": code})
    elif category is not None and code.split("/")[0] != category.code:
        reader.problem(
            "code",
            _("The code does not begin with the category code %(code)s.") % {"code": category.code},
        )
    elif code in seen or Resource.objects.filter(code=code).exists():
        reader.problem("code", _("The code “%(value)s” cannot be used again.") % {"value": code})
    else:
        seen.add(code)
        return code
    return ""


def _report_service_errors(reader: _RowReader, exc: ValidationError, state_secret: bool) -> None:
    for name, messages in exc.message_dict.items():
        if name == "items":
            continue  # reported per item row already
        key = "secret" if name == "__all__" and state_secret else _FIELD_COLUMN.get(name, "name")
        if key in reader.bad_columns:
            continue
        for message in messages:
            reader.problem(key, message)


def _import_rows(
    parsed: excel.ParsedWorkbook, ctx: _Context, result: ImportResult
) -> list[tuple[Resource, int, list[str]]]:
    problems = result.problems
    grouped = _group_items(parsed, problems)
    seen_codes: set[str] = set()
    created: list[tuple[Resource, int, list[str]]] = []
    to_publish: list[tuple[Resource, str, datetime | None]] = []
    for row in parsed.resources:
        reader = _RowReader(row, problems)
        fields = _resource_fields(reader, ctx)
        provider = _provider(reader, ctx)
        system = _system(reader, ctx, provider)
        if system is not None:
            fields["source_system"] = system
        state_secret = _state_secret(reader)
        published_at = _published_at(reader)
        code = _code_for(reader, ctx, fields.get("category"), seen_codes)
        item_rows = grouped.get(row.number, [])
        specs = _item_specs(item_rows, problems)
        _built, item_problems = services.item_problems(specs, fields.get("level") or 4)
        for problem in item_problems:
            if problem.position == 0:
                reader.problem("name", problem.message)
                continue
            item_row = item_rows[problem.position - 1]
            key = problem.field if problem.field in _ITEM_HEADER else "name"
            problems.append(
                Problem(ITEM_SHEET, item_row.number, _ITEM_HEADER[key], problem.message)
            )
        for warning in services.personal_warnings(specs):
            where = (ITEM_SHEET, item_rows[warning.position - 1].number, _ITEM_HEADER["kind"])
            if ctx.publish:
                # Published at once, nobody could confirm the item first.
                problems.append(
                    Problem(
                        *where,
                        _(
                            "%(warning)s Resources published by the import cannot be confirmed "
                            "item by item: tag the item's kind, or import it as a draft."
                        )
                        % {"warning": warning.message},
                    )
                )
            else:
                result.warnings.append(Problem(*where, warning.message))
        result.rows.append(
            PreviewRow(row.number, row.get("name"), str(provider or ""), len(item_rows), code)
        )
        if provider is None:
            continue
        try:
            with transaction.atomic():
                resource = services._resource_create_unchecked(
                    actor=ctx.actor,
                    provider=provider,
                    items=specs,
                    state_secret=state_secret,
                    related=(),
                    fields=fields,
                )
        except ValidationError as exc:
            _report_service_errors(reader, exc, state_secret)
            continue
        if ctx.publish and not reader.bad_columns:
            to_publish.append((resource, code, published_at))
        related = [c.strip() for c in re.split(r"[;；,，\s]+", row.get("related")) if c.strip()]
        created.append((resource, row.number, related))
    # Relations first, so each first version's snapshot already names them.
    _link_related(created, {code: r for r, code, _at in to_publish if code}, ctx, result)
    # Codes the file brings are taken first and the sequences moved past them; only then are
    # new codes handed out, so a new code can never collide with one further down the file.
    by_pk: dict[int, Resource] = {}
    with_code = [entry for entry in to_publish if entry[1]]
    without_code = [entry for entry in to_publish if not entry[1]]
    for resource, code, _at in with_code:
        # All file codes are in place before any snapshot is taken, so a first version names
        # its related resources by code whatever their order in the file.
        resource.code = code
        resource.save(update_fields=["code"])
    for resource, code, published_at in with_code:
        by_pk[resource.pk] = services._publish(
            resource, actor=ctx.actor, code=code, published_at=published_at
        )
    _advance_sequences([resource for resource, _code, _at in with_code])
    for resource, _code, published_at in without_code:
        by_pk[resource.pk] = services._publish(resource, actor=ctx.actor, published_at=published_at)
    return [(by_pk.get(r.pk, r), n, rel) for r, n, rel in created]


def _link_related(
    created: list[tuple[Resource, int, list[str]]],
    file_codes: Mapping[str, Resource],
    ctx: _Context,
    result: ImportResult,
) -> None:
    """Relate each new resource to the codes its row names: in the file, or visible already."""
    codes = {code for _r, _n, related in created for code in related}
    known = dict(file_codes)
    known.update(
        {
            r.code: r
            for r in resources_visible_to(user=ctx.actor).filter(code__in=codes)
            if r.code is not None
        }
    )
    for resource, number, related in created:
        targets = []
        for code in related:
            if code not in known:
                result.problems.append(
                    Problem(
                        RESOURCE_SHEET,
                        number,
                        _HEADER["related"],
                        _("No resource you can see has the code “%(value)s”.") % {"value": code},
                    )
                )
            else:
                targets.append(known[code])
        if targets:
            resource.related.set(targets)


def _advance_sequences(created: list[Resource]) -> None:
    """Keep each category's sequence ahead of the codes the file brought, so none is reissued."""
    touched = {r.category_id for r in created if r.code}
    for category in Category.objects.select_for_update().filter(pk__in=touched):
        highest = Resource.objects.filter(code__startswith=f"{category.code}/").aggregate(
            m=Max("code")
        )["m"]
        if highest:
            sequence = int(highest.split("/")[1])
            if sequence > category.last_sequence:
                category.last_sequence = sequence
                category.save(update_fields=["last_sequence"])


def import_allowed(actor: User, publish: bool) -> None:
    """Raise PermissionDenied unless ``actor`` may import resources (published, if ``publish``)."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Sign in to import resources."))
    require(
        actor,
        policies.can_import_resources,
        message=_("Only catalog editors and the coordinator may import resources."),
    )
    if publish:
        require(
            actor,
            policies.can_import_published,
            message=_("Only the platform coordinator may import published resources."),
        )


def resources_import(
    *,
    actor: User,
    data: bytes = b"",
    publish: bool = False,
    dry_run: bool = False,
    parsed: excel.ParsedWorkbook | None = None,
) -> ImportResult:
    """Import a workbook in the national template; all of it, or nothing.

    Catalog editors import drafts of their own department's resources; the platform
    coordinator imports for any department and may publish at once (keeping the codes in the
    file, or assigning new ones). With ``dry_run`` nothing is kept either way (the preview).
    ``parsed`` is the workbook already read by ``parse_limited`` (the import job parses it
    before its transaction); otherwise ``data`` is parsed here.
    """
    import_allowed(actor, publish)
    result = ImportResult()
    if parsed is None:
        parsed = parse_limited(data)
    if parsed.problems:
        result.problems = parsed.problems
        return result
    ctx = _load_context(actor, publish)
    try:
        with transaction.atomic():
            created = _import_rows(parsed, ctx, result)
            if result.problems or dry_run:
                raise _Rollback
            record(
                actor=actor,
                action="catalog.import",
                details={"count": len(created), "published": publish},
            )
            result.created = [r for r, _n, _rel in created]
    except _Rollback:
        pass
    result.problems.sort(key=lambda p: (p.sheet != RESOURCE_SHEET, p.row or 0, p.column))
    return result
