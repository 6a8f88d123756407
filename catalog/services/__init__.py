"""Writes to the catalog: categories, information systems, resources and their data items.

Every service validates, changes state inside one transaction and records an audit event.
``actor=None`` is the system itself (management commands).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, Level, User
from audit.services import record
from kernel.errors import RuleViolation, StateConflict
from kernel.policies import require

from .. import detection, policies
from ..models import (
    CODE_LIST_TYPES,
    CatalogScope,
    Category,
    CodeList,
    DataItem,
    PersonalDataConfirmation,
    Resource,
    ResourceVersion,
    ShareType,
)
from ..search import SEARCH_CONFIG, document_build, name_sort_key
from ..signals import resource_changed, resource_retired, resource_returned
from .systems import system_approve as system_approve
from .systems import system_file as system_file
from .systems import system_reconfirm as system_reconfirm
from .systems import system_register as system_register
from .systems import system_retire as system_retire
from .systems import system_return as system_return
from .systems import system_update as system_update

UNCONDITIONAL_CONDITION = "无条件"

# Metadata fields a catalog editor sets; code, status, version and dates belong to the flow.
RESOURCE_FIELDS = (
    "category",
    "name",
    "summary",
    "format_class",
    "format_type",
    "share_type",
    "share_condition",
    "share_method",
    "open_type",
    "open_condition",
    "update_cycle",
    "level",
    "catalog_scope",
    "catalog_scope_reason",
    "source_system",
    "region_code",
    "valid_until",
)
ITEM_FIELDS = DataItem.EDITABLE_FIELDS


def _require_change(actor: User | None, resource: Resource) -> None:
    require(
        actor,
        policies.can_change_resource,
        resource,
        message=_("You may not change this resource."),
    )


@transaction.atomic
def category_create(*, actor: User | None, code: str, name: str, name_en: str = "") -> Category:
    """Add a node to the category tree under the node its code implies."""
    require(
        actor,
        policies.can_manage_categories,
        message=_("Only the platform coordinator may do this."),
    )
    code = code.strip()
    depth = {1: 1, 3: 2, 6: 3, 9: 4}.get(len(code))
    parent = None
    if depth and depth > 1:
        parent_code = code[: {2: 1, 3: 3, 4: 6}[depth]]
        parent = Category.objects.filter(code=parent_code).first()
        if parent is None:
            raise ValidationError(
                {"code": _("The parent category %(code)s does not exist.") % {"code": parent_code}}
            )
    category = Category(
        code=code, name=name.strip(), name_en=name_en.strip(), parent=parent, depth=depth or 0
    )
    category.full_clean()
    category.save()
    record(actor=actor, action="category.create", obj=category)
    return category


def _item_field_label(field: str) -> str:
    if field == "__all__":
        return field
    return str(getattr(DataItem._meta.get_field(field), "verbose_name", field))


@dataclass(frozen=True)
class ItemProblem:
    """One problem with one data item: its 1-based position, the field (or "") and the message."""

    position: int
    field: str
    message: str


def item_spec(item: DataItem) -> dict[str, Any]:
    """Return a stored item as a specification the services take (its code list by code)."""
    spec = {field: getattr(item, field) for field in ITEM_FIELDS if field != "code_list"}
    # Select the code list with the items (select_related), or this is a query per item.
    spec["code_list"] = item.code_list.code if item.code_list is not None else ""
    return spec


def kept_code_lists(resource: Resource | None) -> set[int]:
    """Return the code lists the resource's items have: they stay allowed once inactive."""
    if resource is None or resource.pk is None:
        return set()
    return set(
        resource.items.filter(code_list__isnull=False).values_list("code_list_id", flat=True)
    )


def _code_lists_named(items: Sequence[Mapping[str, Any]]) -> dict[str, CodeList]:
    """Return the code lists the specifications name by code, in one query."""
    codes = {
        value.strip()
        for spec in items
        if isinstance(value := spec.get("code_list"), str) and value.strip()
    }
    if not codes:
        return {}
    return {c.code: c for c in CodeList.objects.filter(code__in=codes)}


def _code_list_problem(
    item: DataItem, value: Any, named: Mapping[str, CodeList], keep: Collection[int]
) -> str | None:
    """Set the item's code list from its specification; return what is wrong, if anything."""
    code_list: CodeList | None = None
    if isinstance(value, CodeList):
        code_list = value
    elif isinstance(value, str) and value.strip():
        code_list = named.get(value.strip())
        if code_list is None:
            return _("Item %(n)s (%(name)s): there is no code list “%(code)s”.") % {
                "n": item.position,
                "name": item.name or "?",
                "code": value.strip()[:40],
            }
    elif value not in (None, ""):
        return _("Item %(n)s (%(name)s): give the code list by its code.") % {
            "n": item.position,
            "name": item.name or "?",
        }
    item.code_list = code_list
    if code_list is None:
        return None
    if not code_list.active and code_list.pk not in keep:
        return _(
            "Item %(n)s (%(name)s): the code list “%(code)s” is no longer in use; choose another."
        ) % {"n": item.position, "name": item.name, "code": code_list.code}
    if item.data_type not in CODE_LIST_TYPES:
        return _(
            "Item %(n)s (%(name)s): only string and number items (C, N, I) may have a code "
            "list, not type %(type)s."
        ) % {"n": item.position, "name": item.name, "type": item.data_type}
    return None


def item_problems(
    items: Sequence[Mapping[str, Any]],
    resource_level: int,
    *,
    keep_code_lists: Collection[int] = (),
) -> tuple[list[DataItem], list[ItemProblem]]:
    """Validate item specifications; return the unsaved items and every problem found.

    An item's ``code_list`` is a code list's code (or a CodeList); empty means none. A code list
    that is no longer active may only stay on the items of ``keep_code_lists``
    (``kept_code_lists``: the lists the resource's items already have).
    """
    problems: list[ItemProblem] = []
    built: list[DataItem] = []
    seen: set[str] = set()
    named = _code_lists_named(items)
    if not items:
        problems.append(ItemProblem(0, "", _("A resource needs at least one data item.")))
    for position, spec in enumerate(items, start=1):
        unknown = set(spec) - set(ITEM_FIELDS)
        if unknown:
            problems.append(
                ItemProblem(
                    position,
                    "",
                    _("Item %(n)s: unknown fields %(fields)s.")
                    % {"n": position, "fields": ", ".join(sorted(unknown))},
                )
            )
            continue
        item = DataItem(position=position, **{k: v for k, v in spec.items() if k != "code_list"})
        item.name = (item.name or "").strip()
        try:
            item.full_clean(exclude=["resource"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                label = _item_field_label(field)
                for message in messages:
                    problems.append(
                        ItemProblem(
                            position,
                            "" if field == "__all__" else field,
                            _("Item %(n)s (%(name)s), %(field)s: %(message)s")
                            % {
                                "n": position,
                                "name": item.name or "?",
                                "field": label,
                                "message": message,
                            },
                        )
                    )
            continue
        if item.length < 1:
            problems.append(
                ItemProblem(
                    position,
                    "length",
                    _("Item %(n)s (%(name)s): the length must be at least 1.")
                    % {"n": position, "name": item.name},
                )
            )
        if item.name in seen:
            problems.append(
                ItemProblem(
                    position,
                    "name",
                    _("Item %(n)s: the name “%(name)s” is used twice.")
                    % {"n": position, "name": item.name},
                )
            )
        seen.add(item.name)
        code_list_problem = _code_list_problem(item, spec.get("code_list"), named, keep_code_lists)
        if code_list_problem is not None:
            problems.append(ItemProblem(position, "code_list", code_list_problem))
        if item.level > resource_level:
            problems.append(
                ItemProblem(
                    position,
                    "level",
                    _(
                        "Item “%(name)s” is level L%(item)s, above the resource's level L%(resource)s; "
                        "a resource's level is at least its highest item's level."
                    )
                    % {"name": item.name, "item": item.level, "resource": resource_level},
                )
            )
        built.append(item)
    return built, problems


@dataclass(frozen=True)
class PersonalWarning:
    """An item tagged "not personal" whose name says it is personal data."""

    position: int
    name: str
    kind: str
    min_level: int

    @property
    def message(self) -> str:
        return _(
            "Item “%(name)s” looks like personal data (%(kind)s, at least L%(level)s) but is "
            "tagged “not personal”: choose its kind, or confirm with a reason that it is not."
        ) % {
            "name": self.name,
            "kind": DataItem.Kind(self.kind).label,
            "level": self.min_level,
        }


def personal_warnings(items: Sequence[Mapping[str, Any] | DataItem]) -> list[PersonalWarning]:
    """Return the items (specifications or rows) tagged "not personal" that look personal."""
    found: list[PersonalWarning] = []
    for position, item in enumerate(items, start=1):
        get = item.get if isinstance(item, Mapping) else lambda f, d=None, i=item: getattr(i, f, d)
        if (get("kind") or DataItem.Kind.NONE) != DataItem.Kind.NONE:
            continue
        name = str(get("name") or "").strip()
        finding = detection.detect_name(name)
        if finding is not None:
            found.append(PersonalWarning(position, name, finding.kind, finding.min_level))
    return found


def unconfirmed_personal_items(resource: Resource) -> list[PersonalWarning]:
    """Return the resource's items flagged as personal that nobody confirmed as not personal."""
    items = list(resource.items.order_by("position", "id"))
    flagged = personal_warnings(items)
    if not flagged:
        return []
    by_name = {item.name: item.pk for item in items}
    confirmed = set(
        PersonalDataConfirmation.objects.filter(
            item_id__in=[by_name[w.name] for w in flagged]
        ).values_list("item_id", flat=True)
    )
    return [w for w in flagged if by_name[w.name] not in confirmed]


def _require_personal_confirmed(resource: Resource) -> None:
    unconfirmed = unconfirmed_personal_items(resource)
    if unconfirmed:
        raise RuleViolation(
            [
                _(
                    "Items that look like personal data are tagged “not personal”: %(names)s. "
                    "Choose their kind, or confirm for each item with a reason that it is not "
                    "personal data, before the resource is submitted or published."
                )
                % {"names": "、".join(w.name for w in unconfirmed)}
            ],
            code="personal_unconfirmed",
        )


@transaction.atomic
def item_personal_confirm(
    *, actor: User | None, item: DataItem, reason: str
) -> PersonalDataConfirmation:
    """Record the editor's word, with a reason, that a flagged item is not personal data."""
    resource = Resource.objects.select_for_update().get(pk=item.resource_id)
    _require_change(actor, resource)
    item = DataItem.objects.get(pk=item.pk, resource=resource)
    reason = reason.strip()
    if not reason:
        raise RuleViolation({"reason": _("Say why the item is not personal data.")})
    if len(reason) > 200:
        raise RuleViolation({"reason": _("Keep the reason within 200 characters.")})
    if item.kind != DataItem.Kind.NONE:
        raise StateConflict(_("The item is tagged as personal data; nothing to confirm."))
    finding = detection.detect_name(item.name)
    if finding is None:
        raise StateConflict(_("The item does not look like personal data; nothing to confirm."))
    confirmation, _created = PersonalDataConfirmation.objects.update_or_create(
        item=item,
        defaults={
            "reason": reason,
            "detected_kind": finding.kind,
            "confirmed_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )
    record(
        actor=actor,
        action="item.personal_confirm",
        obj=resource,
        details={"item": item.pk, "name": item.name, "kind": finding.kind, "reason": reason},
    )
    return confirmation


def _clean_items(items: Sequence[Mapping[str, Any]], resource_level: int) -> list[DataItem]:
    """Validate item specifications and return unsaved DataItems, or raise one error listing all."""
    built, problems = item_problems(items, resource_level)
    if problems:
        raise RuleViolation({"items": [p.message for p in problems]})
    return built


def _resource_errors(
    resource: Resource, *, state_secret: bool, actor: User | None
) -> dict[str, list[str]]:
    """Normalise the resource's fields and return every problem with them, by field."""
    errors: dict[str, list[str]] = {}
    if state_secret:
        errors.setdefault("__all__", []).append(
            _(
                "State secrets (涉密) must not be stored in this system (Secrecy Law, art. 31). "
                "Register the resource in a classified system instead."
            )
        )
    resource.name = resource.name.strip()
    resource.share_condition = resource.share_condition.strip()
    if not resource.region_code:
        resource.region_code = resource.provider.region_code
    if resource.share_type == ShareType.UNCONDITIONAL and not resource.share_condition:
        resource.share_condition = UNCONDITIONAL_CONDITION
    if resource.share_type == ShareType.CONDITIONAL and not resource.share_condition:
        errors.setdefault("share_condition", []).append(
            _("A conditionally shared resource must state its conditions.")
        )
    if resource.share_type == ShareType.NONE and not resource.share_condition:
        errors.setdefault("share_condition", []).append(
            _("A resource that is not shared must state its legal basis.")
        )
    resource.catalog_scope_reason = resource.catalog_scope_reason.strip()
    if resource.catalog_scope == CatalogScope.DEPARTMENTS:
        resource.catalog_scope_reason = ""  # the default needs no reason
    elif not resource.catalog_scope_reason:
        errors.setdefault("catalog_scope_reason", []).append(
            _("Say why the entry is hidden from the other departments.")
        )
    category = resource.category if resource.category_id else None
    if category is not None and category.depth < Category.Depth.ITEM:
        errors.setdefault("category", []).append(
            _("Choose a category of at least the item (项) level, not a whole class.")
        )
    system = resource.source_system if resource.source_system_id else None
    if system is not None and system.department_id != resource.provider_id:
        errors.setdefault("source_system", []).append(
            _("The source system must be one of the provider's own registered systems.")
        )
    elif system is not None and system.code is None and not system.legacy_code:
        errors.setdefault("source_system", []).append(
            _("The source system must be approved (备案通过) before resources name it.")
        )
    # Nobody may file a resource they could not see themselves afterwards.
    if (
        actor is not None
        and resource.level
        and not policies.clearance_covers(actor, resource.level)
    ):
        errors.setdefault("level", []).append(
            _("You may not register a resource above your own clearance (L%(clearance)s).")
            % {"clearance": actor.clearance}
        )
    try:
        resource.full_clean(exclude=["code", "related"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors


def _clean_resource_and_items(
    resource: Resource,
    items: Sequence[Mapping[str, Any]],
    *,
    state_secret: bool,
    actor: User | None,
) -> list[DataItem]:
    """Validate the resource and its items together, so one answer lists every problem."""
    errors = _resource_errors(resource, state_secret=state_secret, actor=actor)
    level = resource.level if isinstance(resource.level, int) else Level.L4
    built, problems = item_problems(items, level, keep_code_lists=kept_code_lists(resource))
    if problems:
        errors["items"] = [p.message for p in problems]
    if errors:
        raise RuleViolation(errors)
    return built


def _save_items(resource: Resource, items: list[DataItem]) -> None:
    """Store the resource's items, matched by name so existing rows keep their identity.

    Grants and datasets refer to items by primary key: an edit that keeps an item's name
    updates that row in place instead of replacing it.
    """
    existing = {item.name: item for item in resource.items.all()}
    keep: list[int] = []
    to_create: list[DataItem] = []
    for item in items:
        current = existing.get(item.name)
        if current is None:
            item.resource = resource
            to_create.append(item)
            continue
        for field in ("position", *ITEM_FIELDS):
            setattr(current, field, getattr(item, field))
        current.save()
        keep.append(current.pk)
    resource.items.exclude(pk__in=keep).delete()
    DataItem.objects.bulk_create(to_create)


def resource_snapshot(resource: Resource) -> dict[str, Any]:
    """Return the resource's metadata and data items as plain JSON values."""
    category = resource.category
    system = resource.source_system
    return {
        "code": resource.code,
        "category": category.code,
        "category_name": category.name,
        **{
            field: getattr(resource, field)
            for field in RESOURCE_FIELDS
            if field not in ("category", "source_system", "valid_until")
        },
        "valid_until": resource.valid_until.isoformat() if resource.valid_until else None,
        "source_system": system.registration_code if system else "",
        "source_system_name": system.name if system else "",
        "related": sorted(r.code or str(r.pk) for r in resource.related.all()),
        # code_list: the list's code, None without one (as in snapshots from before lists).
        "items": [
            {**item_spec(item), "code_list": item.code_list.code if item.code_list else None}
            for item in resource.items.select_related("code_list").order_by("position", "id")
        ],
    }


def _editable_state(resource: Resource, items: Sequence[DataItem]) -> tuple[Any, ...]:
    """Return what an edit can change: the editable fields (by id for relations) and items."""
    fields = tuple(
        getattr(resource, f"{name}_id" if name in ("category", "source_system") else name)
        for name in RESOURCE_FIELDS
    )
    attributes = [f"{f}_id" if f == "code_list" else f for f in ITEM_FIELDS]
    return fields, [tuple(getattr(item, a) for a in attributes) for item in items]


def _version_record(resource: Resource, *, actor: User | None, note: str) -> ResourceVersion:
    """Store the resource's current published state as its version ``resource.version``."""
    return ResourceVersion.objects.create(
        resource=resource,
        number=resource.version,
        level=resource.level,
        snapshot=resource_snapshot(resource),
        change_note=note.strip()[:200],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _resource_create_unchecked(
    *,
    actor: User | None,
    provider: Department,
    items: Sequence[Mapping[str, Any]],
    state_secret: bool,
    related: Sequence[Resource],
    fields: Mapping[str, Any],
) -> Resource:
    """Create a draft once the caller has checked that the actor may."""
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    resource = Resource(provider=provider, created_by=actor, status=Resource.Status.DRAFT, **fields)
    built = _clean_resource_and_items(resource, items, state_secret=state_secret, actor=actor)
    resource.save()
    _save_items(resource, built)
    resource.related.set(related)
    resource_search_document_refresh(resource=resource)
    record(actor=actor, action="resource.create", obj=resource)
    if resource.catalog_scope != CatalogScope.DEPARTMENTS:
        _scope_record(actor, resource, CatalogScope.DEPARTMENTS)
    return resource


@transaction.atomic
def resource_create(
    *,
    actor: User | None,
    provider: Department,
    items: Sequence[Mapping[str, Any]],
    state_secret: bool = False,
    related: Sequence[Resource] = (),
    **fields: Any,
) -> Resource:
    """Register a draft resource with its data items for the provider department."""
    require(
        actor,
        policies.is_catalog_editor_of,
        provider.pk,
        message=_("Only catalog editors of the provider department may register its resources."),
    )
    return _resource_create_unchecked(
        actor=actor,
        provider=provider,
        items=items,
        state_secret=state_secret,
        related=related,
        fields=fields,
    )


@transaction.atomic
def resource_update(
    *,
    actor: User | None,
    resource: Resource,
    items: Sequence[Mapping[str, Any]] | None = None,
    state_secret: bool = False,
    related: Sequence[Resource] | None = None,
    change_note: str = "",
    **fields: Any,
) -> Resource:
    """Change a resource's metadata (and items); a published resource gets a new version.

    The code never changes here: it is not among the editable fields, so a published
    resource keeps the code it was given even if its category changes.
    """
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    _require_change(actor, resource)
    if resource.status == Resource.Status.RETIRED:
        raise StateConflict(_("A retired resource cannot be changed."))
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    current_items = list(resource.items.select_related("code_list").order_by("position", "id"))
    before = _editable_state(resource, current_items)
    related_before = sorted(resource.related.values_list("pk", flat=True))
    scope_before = resource.catalog_scope
    for name, value in fields.items():
        setattr(resource, name, value)
    if items is None:
        items = [item_spec(i) for i in current_items]
    built = _clean_resource_and_items(resource, items, state_secret=state_secret, actor=actor)
    related_after = (
        related_before if related is None else sorted({r.pk for r in related} - {resource.pk})
    )
    if _editable_state(resource, built) == before and related_after == related_before:
        # Nothing changes: no save, no new version, no audit event (same for API and form).
        return resource
    published = resource.status == Resource.Status.PUBLISHED
    if published:
        resource.version += 1
    resource.save()
    _save_items(resource, built)
    if related is not None:
        resource.related.set([r for r in related if r.pk != resource.pk])
    resource_search_document_refresh(resource=resource)
    if published:
        _version_record(resource, actor=actor, note=change_note)
    record(
        actor=actor,
        action="resource.update",
        obj=resource,
        details={"version": resource.version, "note": change_note.strip()[:200]},
    )
    if resource.catalog_scope != scope_before:
        _scope_record(actor, resource, scope_before)
    if published:
        change = _consumer_change(before, _editable_state(resource, built))
        if change:
            resource_changed.send(sender=Resource, resource=resource, change=change, actor=actor)
        if resource.catalog_scope != scope_before:
            resource_changed.send(sender=Resource, resource=resource, change="scope", actor=actor)
    return resource


def _consumer_change(before: tuple[Any, ...], after: tuple[Any, ...]) -> str:
    """Return what of an edit its consumers are told: "items", "level", both, or "" (neither)."""
    level = RESOURCE_FIELDS.index("level")
    items_changed = before[1] != after[1]
    level_changed = before[0][level] != after[0][level]
    if items_changed and level_changed:
        return "items_level"
    return "items" if items_changed else "level" if level_changed else ""


def _scope_record(actor: User | None, resource: Resource, before: str) -> None:
    """Record a change of the catalog scope: who sees the entry is a security decision."""
    record(
        actor=actor,
        action="resource.scope",
        obj=resource,
        details={
            "from": before,
            "to": resource.catalog_scope,
            "reason": resource.catalog_scope_reason,
        },
    )


@transaction.atomic
def resource_scope_set(
    *, actor: User | None, resource: Resource, scope: str, reason: str = ""
) -> Resource:
    """Set who sees the resource's catalog entry (目录共享范围), with the reason for a limit.

    The provider's editors choose it with the rest of the metadata (``resource_update``); this
    is also the coordinator's override. It changes no data and makes no new version: the
    entry's content stays the same, only its audience changes.
    """
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    require(
        actor,
        policies.can_set_catalog_scope,
        locked,
        message=_("You may not change who sees this resource."),
    )
    if scope not in CatalogScope.values:
        raise ValidationError({"catalog_scope": _("Choose a catalog scope.")})
    reason = reason.strip() if scope != CatalogScope.DEPARTMENTS else ""
    if scope != CatalogScope.DEPARTMENTS and not reason:
        raise RuleViolation(
            {"catalog_scope_reason": _("Say why the entry is hidden from the other departments.")}
        )
    if len(reason) > 200:
        raise RuleViolation({"catalog_scope_reason": _("Keep the reason within 200 characters.")})
    before = locked.catalog_scope
    if scope == before and reason == locked.catalog_scope_reason:
        return locked
    locked.catalog_scope = scope
    locked.catalog_scope_reason = reason
    locked.save(update_fields=["catalog_scope", "catalog_scope_reason", "updated_at"])
    _scope_record(actor, locked, before)
    if locked.status == Resource.Status.PUBLISHED and scope != before:
        # Its consumers and followers learn who else now sees (or no longer sees) the entry;
        # those the new scope leaves out are not told (sharing.policies.may_hear_of_resource).
        resource_changed.send(sender=Resource, resource=locked, change="scope", actor=actor)
    return locked


def _transition(resource: Resource, allowed_from: Sequence[str], target: str) -> Resource:
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    if locked.status not in allowed_from:
        raise StateConflict(
            _("This resource is “%(status)s”; it cannot become “%(target)s”.")
            % {"status": locked.get_status_display(), "target": Resource.Status(target).label}
        )
    locked.status = target
    return locked


@transaction.atomic
def resource_submit(*, actor: User | None, resource: Resource) -> Resource:
    """Send a draft to the platform coordinator for review."""
    _require_change(actor, resource)
    locked = _transition(resource, [Resource.Status.DRAFT], Resource.Status.SUBMITTED)
    _require_personal_confirmed(locked)
    locked.save(update_fields=["status", "updated_at"])
    record(actor=actor, action="resource.submit", obj=locked)
    return locked


def _assign_code(resource: Resource) -> str:
    """Hand out the category's next sequence number; the row lock serialises concurrent publishers."""
    category = Category.objects.select_for_update().get(pk=resource.category_id)
    category.last_sequence += 1
    if category.last_sequence > 999_999:
        raise StateConflict(
            _("Category %(code)s has no sequence numbers left.") % {"code": category.code}
        )
    category.save(update_fields=["last_sequence"])
    return f"{category.code}/{category.last_sequence:06d}"


@transaction.atomic
def resource_publish(*, actor: User | None, resource: Resource) -> Resource:
    """Approve a submitted resource: it is published and gets its permanent code."""
    require(
        actor,
        policies.can_review_resources,
        message=_("Only the platform coordinator may do this."),
    )
    locked = _transition(resource, [Resource.Status.SUBMITTED], Resource.Status.PUBLISHED)
    require(
        actor, policies.can_publish_resource, locked, message=_("You may not change this resource.")
    )
    _require_personal_confirmed(locked)
    return _publish(locked, actor=actor)


def _publish(
    locked: Resource,
    *,
    actor: User | None,
    code: str = "",
    published_at: datetime | None = None,
) -> Resource:
    """Give a locked resource its code and first version; the caller checked the transition."""
    locked.status = Resource.Status.PUBLISHED
    if not locked.code:
        locked.code = code or _assign_code(locked)
    if locked.published_at is None:
        locked.published_at = published_at or timezone.now()
    locked.review_comment = ""
    locked.save()
    resource_search_document_refresh(resource=locked)  # the code is searchable from now on
    _version_record(locked, actor=actor, note="")
    record(actor=actor, action="resource.publish", obj=locked, details={"code": locked.code})
    return locked


@transaction.atomic
def resource_return(*, actor: User | None, resource: Resource, comment: str) -> Resource:
    """Send a submitted resource back to its editors with the coordinator's comment."""
    require(
        actor,
        policies.can_review_resources,
        message=_("Only the platform coordinator may do this."),
    )
    if not comment.strip():
        raise RuleViolation(
            {"comment": _("Say what must change before the resource can be published.")}
        )
    require(
        actor,
        policies.can_return_resource,
        resource,
        message=_("You may not change this resource."),
    )
    locked = _transition(resource, [Resource.Status.SUBMITTED], Resource.Status.DRAFT)
    locked.review_comment = comment.strip()
    locked.save(update_fields=["status", "review_comment", "updated_at"])
    record(
        actor=actor,
        action="resource.return",
        obj=locked,
        details={"comment": locked.review_comment},
    )
    resource_returned.send(
        sender=Resource, resource=locked, comment=locked.review_comment, actor=actor
    )
    return locked


@transaction.atomic
def resource_retire(*, actor: User | None, resource: Resource, reason: str) -> Resource:
    """Withdraw (下架) a published resource, with a reason."""
    require(
        actor,
        policies.can_retire_resource,
        resource,
        message=_("You may not change this resource."),
    )
    if not reason.strip():
        raise RuleViolation({"reason": _("Give the reason for retiring the resource.")})
    locked = _transition(resource, [Resource.Status.PUBLISHED], Resource.Status.RETIRED)
    locked.retired_reason = reason.strip()
    locked.save(update_fields=["status", "retired_reason", "updated_at"])
    record(
        actor=actor, action="resource.retire", obj=locked, details={"reason": locked.retired_reason}
    )
    resource_retired.send(sender=Resource, resource=locked, actor=actor)
    return locked


@transaction.atomic
def resource_delegate(
    *, actor: User | None, resource: Resource, user: User, codename: str, revoke: bool = False
) -> None:
    """Give (or take back) one user stewardship of one resource: change it or decide on it."""
    from guardian.shortcuts import assign_perm, remove_perm

    if codename not in (policies.CHANGE, policies.DECIDE):
        raise ValidationError(_("Unknown delegation."))
    require(
        actor,
        policies.can_delegate_stewardship,
        resource,
        message=_("Only the provider's department administrator may delegate."),
    )
    if not revoke and not policies.clearance_covers(user, resource.level):
        raise ValidationError(
            _("%(user)s's clearance is below the resource's level.") % {"user": user}
        )
    (remove_perm if revoke else assign_perm)(f"catalog.{codename}", user, resource)
    policies.forget_delegations(user)  # the instance's answers (has_delegations) are stale
    record(
        actor=actor,
        action="resource.delegate_revoke" if revoke else "resource.delegate",
        obj=resource,
        details={"user": user.username, "permission": codename},
    )


def resource_search_document_refresh(*, resource: Resource) -> None:
    """Rebuild the resource's search document; the catalog services call this on every write.

    Only items within the resource's level are indexed: the services keep every item at or
    below it, and the search must never match text that a viewer of the resource may not see.
    """
    provider = resource.provider
    document = document_build(
        name=resource.name,
        code=resource.code,
        summary=resource.summary,
        provider_name=provider.name,
        provider_short_name=provider.short_name,
        provider_uscc=provider.uscc,
        item_names=resource.items.filter(level__lte=resource.level).values_list("name", flat=True),
    )
    resource.search_document = document
    resource.name_pinyin = name_sort_key(resource.name)
    # update(): the document is derived data; it must not bump updated_at.
    Resource.objects.filter(pk=resource.pk).update(
        search_document=document, name_pinyin=resource.name_pinyin, **_vector_update(document)
    )


def _vector_update(document: str) -> dict[str, Any]:
    """Return the ``search_vector`` assignment for ``update()``: PostgreSQL only."""
    if connection.vendor != "postgresql":
        return {}  # SQLite matches the text document; the column stays empty
    return {"search_vector": SearchVector(Value(document), config=SEARCH_CONFIG)}
