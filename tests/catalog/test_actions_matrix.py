"""Every POST action of the catalog against every matrix user (and resource or system).

For each case the outcome must be the specification's: who may act succeeds (the state changes as
the service says, and an audit event is written); who may not see the object gets 404; who may
see but not act gets a refusal (403 with its reason) or, where the object is in the wrong state,
the view's own error. Whenever the action does not succeed, nothing in the catalog changes.

The matrix is built once for the module inside a transaction rolled back at its end; every test
runs in a savepoint of its own and every case in another, rolled back after it, so the cases stay
independent while the module builds its world only once. Every case where the action succeeds is
sent; of the others a fixed sample (``tests.sampling``; all of them under ``--full``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditEvent
from catalog.models import (
    CatalogImportJob,
    Category,
    DataItem,
    InformationSystem,
    Resource,
    ResourceVersion,
)
from catalog.services import ITEM_FIELDS, RESOURCE_FIELDS
from catalog.services.import_jobs import import_job_create, import_job_run
from tests import builders
from tests.access_matrix import AccessMatrix, UserSpec, build_matrix
from tests.sampling import page_pair_sampled

from .maintenance_helpers import MODEL_BACKEND
from .test_excel_import import item_cells, resource_cells, workbook

pytestmark = pytest.mark.django_db

# Outcomes.
DONE = "done"  # the action happened
NOT_FOUND = "404"  # the object does not exist for the user
REFUSED = "403"  # a refusal page with its reason
FORM_ERROR = "form"  # the page again, with the service's error on the form
REDIRECT_ERROR = "redirect with error"  # back where the button was, with an error message
PREVIEW = "preview"  # the import preview: checked, nothing written yet
LOGIN = "login"  # not signed in (or deactivated): sent to sign in

LOW_COORDINATOR = "coordinator_1"


# --- the world, before and after ---------------------------------------------------------------


def _rows(model: Any) -> dict[Any, dict[str, Any]]:
    """Return a table's rows by primary key, read raw: thousands of cases take this snapshot."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)  # a model name, not input
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        names = [column[0] for column in cursor.description]
        key = names.index("id")
        return {row[key]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def world() -> dict[str, Any]:
    """Return every row an action could change, comparable before and after."""
    return {
        "resources": _rows(Resource),
        "items": _rows(DataItem),
        "versions": _rows(ResourceVersion),
        "systems": _rows(InformationSystem),
        "related": _rows(Resource.related.through),
        "audit": AuditEvent.objects.count(),
    }


def others_unchanged(before: dict[str, Any], after: dict[str, Any], resource_pk: int) -> list[str]:
    """Return what changed outside one resource, its items and its versions."""
    wrong = []
    for pk, row in before["resources"].items():
        if pk != resource_pk and after["resources"].get(pk) != row:
            wrong.append(f"resource {pk} changed")
    for table in ("items", "versions"):
        for pk, row in before[table].items():
            if row["resource_id"] != resource_pk and after[table].get(pk) != row:
                wrong.append(f"{table} {pk} changed")
        added = set(after[table]) - set(before[table])
        if any(after[table][pk]["resource_id"] != resource_pk for pk in added):
            wrong.append(f"{table} added to another resource")
    if before["systems"] != after["systems"]:
        wrong.append("systems changed")
    return wrong


def audited(action: str, actor: User, obj_pk: int) -> bool:
    return AuditEvent.objects.filter(action=action, actor=actor, object_id=str(obj_pk)).exists()


# --- the matrix with what the actions need ----------------------------------------------------


def _with_low_coordinator(matrix: AccessMatrix) -> AccessMatrix:
    """Add a coordinator of clearance L1: review and retire work only within clearance."""
    spec = UserSpec(LOW_COORDINATOR, "coord", 1, (Role.STAFF, Role.COORDINATOR))
    matrix.user_specs = {**matrix.user_specs, spec.key: spec}
    matrix.users[spec.key] = builders.user(
        matrix.departments["coord"], clearance=1, roles=spec.roles, username=spec.key
    )
    return matrix


def _is_coordinator(matrix: AccessMatrix, user_key: str) -> bool:
    return Role.COORDINATOR in matrix.user_specs[user_key].roles


def _status(matrix: AccessMatrix, resource_key: str) -> str:
    return matrix.resource_specs[resource_key].status


def _signed_in(matrix: AccessMatrix, user_key: str) -> bool:
    return matrix.user_specs[user_key].active


def _department_editor(matrix: AccessMatrix, user_key: str) -> bool:
    spec = matrix.user_specs[user_key]
    return spec.department is not None and Role.EDITOR in spec.roles


# --- the world, built once for the module -------------------------------------------------------


@dataclass
class Setup:
    matrix: AccessMatrix
    systems: dict[str, InformationSystem]
    clients: dict[str, Client]
    before: dict[str, Any]  # every case starts from this and must leave it so unless it acts

    def users(self):
        for user_key, user in self.matrix.users.items():
            client = self.clients[user_key]
            client.cookies.pop("messages", None)  # no message from an earlier case
            yield user_key, user, client


@pytest.fixture(scope="module")
def setup(django_db_setup, django_db_blocker):
    """Build the matrix, systems and signed-in clients once; roll it all back at the end."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        matrix = _with_low_coordinator(build_matrix())
        systems = _systems(matrix)
        clients = {}
        for key, user in matrix.users.items():
            clients[key] = Client()
            clients[key].force_login(user, backend=MODEL_BACKEND)
        yield Setup(matrix, systems, clients, world())
        transaction.set_rollback(True)


# --- resource actions -------------------------------------------------------------------------


def expect_edit(m: AccessMatrix, u: str, r: str) -> str:
    if not m.expect_view(u, r):
        return NOT_FOUND
    if not m.expect_change(u, r) or _status(m, r) == "retired":
        return REFUSED
    return DONE


def expect_submit(m: AccessMatrix, u: str, r: str) -> str:
    if not m.expect_view(u, r):
        return NOT_FOUND
    if not m.expect_change(u, r):
        return REFUSED
    return DONE if _status(m, r) == "draft" else REDIRECT_ERROR


def _coordinator_cleared(m: AccessMatrix, u: str, r: str) -> bool:
    """A coordinator acts on an entry they see only within clearance (it may be seen above)."""
    return _is_coordinator(m, u) and m.resource_specs[r].level <= m.user_specs[u].clearance


def expect_retire(m: AccessMatrix, u: str, r: str) -> str:
    if not m.expect_view(u, r):
        return NOT_FOUND
    if not (m.expect_change(u, r) or _coordinator_cleared(m, u, r)):
        return REFUSED
    return DONE if _status(m, r) == "published" else FORM_ERROR


def expect_review(m: AccessMatrix, u: str, r: str) -> str:
    if not m.expect_view(u, r):
        return NOT_FOUND
    if not _coordinator_cleared(m, u, r):
        return REFUSED
    return DONE if _status(m, r) == "submitted" else FORM_ERROR


NEW_SUMMARY = "矩阵测试：修订后的摘要"


def edit_data(resource: Resource) -> dict[str, Any]:
    """Return the resource's own form, resubmitted with a new summary and a change note."""
    data: dict[str, Any] = {}
    for name in RESOURCE_FIELDS:
        value = getattr(resource, f"{name}_id" if name in ("category", "source_system") else name)
        data[name] = "" if value is None else str(value)
    data["summary"] = NEW_SUMMARY
    data["related_codes"] = " ".join(r.code for r in resource.related.all() if r.code)
    data["change_note"] = "矩阵测试修订"
    items = list(resource.items.order_by("position"))
    data |= {
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "500",
    }
    for index, item in enumerate(items):
        for name in ITEM_FIELDS:
            value = getattr(item, name)
            if name == "is_key":
                if value:
                    data[f"items-{index}-is_key"] = "on"
                continue
            if name == "code_list":  # a select of codes; empty for none
                data[f"items-{index}-code_list"] = value.code if value else ""
                continue
            data[f"items-{index}-{name}"] = str(value)
    return data


def check_edit(before: Resource, after: Resource, user: User) -> list[str]:
    wrong = []
    published = before.status == "published"
    if after.summary != NEW_SUMMARY:
        wrong.append("summary not saved")
    if after.version != before.version + (1 if published else 0):
        wrong.append(f"version {before.version} -> {after.version}")
    versions = after.versions.filter(number=after.version).exists()
    if published and not versions:
        wrong.append("no version recorded")
    if not audited("resource.update", user, after.pk):
        wrong.append("no audit event")
    return wrong


def check_status(target: str, action: str, **fields: Any) -> Callable[..., list[str]]:
    def check(before: Resource, after: Resource, user: User) -> list[str]:
        wrong = [] if after.status == target else [f"status {after.status} != {target}"]
        wrong += [
            f"{k} = {getattr(after, k)!r}" for k, v in fields.items() if getattr(after, k) != v
        ]
        if not audited(action, user, after.pk):
            wrong.append(f"no {action} audit event")
        return wrong

    return check


def check_approve(before: Resource, after: Resource, user: User) -> list[str]:
    wrong = check_status("published", "resource.publish")(before, after, user)
    if not after.code or not after.versions.exists():
        wrong.append("published without a code or a first version")
    return wrong


@dataclass(frozen=True)
class ResourceAction:
    url_name: str
    expect: Callable[[AccessMatrix, str, str], str]
    data: Callable[[Resource], dict[str, Any]]
    check: Callable[[Resource, Resource, User], list[str]]


RESOURCE_ACTIONS = {
    "edit": ResourceAction("catalog:resource_edit", expect_edit, edit_data, check_edit),
    "submit": ResourceAction(
        "catalog:resource_submit",
        expect_submit,
        lambda r: {},
        check_status("submitted", "resource.submit"),
    ),
    "retire": ResourceAction(
        "catalog:resource_retire",
        expect_retire,
        lambda r: {"reason": "数据已停止采集"},
        check_status("retired", "resource.retire", retired_reason="数据已停止采集"),
    ),
    "review approve": ResourceAction(
        "catalog:resource_review", expect_review, lambda r: {"decision": "approve"}, check_approve
    ),
    "review return": ResourceAction(
        "catalog:resource_review",
        expect_review,
        lambda r: {"decision": "return", "comment": "请补充共享依据"},
        check_status("draft", "resource.return", review_comment="请补充共享依据"),
    ),
}


def judge(response: Any, expected: str, hidden_name: str = "") -> list[str]:
    """Return how a refused (or not found) response differs from the expected outcome."""
    status = response.status_code
    content = response.content.decode() if not getattr(response, "streaming", False) else ""
    if expected == NOT_FOUND:
        wrong = [] if status == 404 else [f"{status} != 404"]
        if hidden_name and hidden_name in content:
            wrong.append("the hidden name leaks in the 404 page")
        return wrong
    if expected == REFUSED:
        if status != 403 or not (response.context and response.context.get("message")):
            return [f"{status}, not a refusal with a reason"]
        return [] if "refusal-message" in content else ["refusal without its message"]
    if expected == FORM_ERROR:
        form = response.context.get("form") if status == 200 and response.context else None
        return [] if form is not None and form.errors else [f"{status}, no form error"]
    if expected == REDIRECT_ERROR:
        errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        return [] if status == 302 and errors else [f"{status}, no error message"]
    if expected == LOGIN:
        return [] if status == 302 and "/accounts/login/" in response["Location"] else [str(status)]
    raise AssertionError(expected)


@pytest.mark.parametrize("action", sorted(RESOURCE_ACTIONS))
def test_resource_action_follows_the_matrix(setup, action):
    spec = RESOURCE_ACTIONS[action]
    matrix = setup.matrix
    before = setup.before
    # Every case is rolled back, so each resource and its form are the same for every user.
    olds = {key: Resource.objects.get(pk=r.pk) for key, r in matrix.resources.items()}
    posts = {key: spec.data(old) for key, old in olds.items()}
    wrong: list[str] = []
    outcomes: set[str] = set()
    for u, (user_key, user, client) in enumerate(setup.users()):
        for r, (resource_key, resource) in enumerate(matrix.resources.items()):
            expected = (
                spec.expect(matrix, user_key, resource_key)
                if _signed_in(matrix, user_key)
                else LOGIN
            )
            if expected != DONE and not page_pair_sampled(u, r):
                continue
            outcomes.add(expected)
            with transaction.atomic():
                old = olds[resource_key]
                url = reverse(spec.url_name, args=[resource.pk])
                response = client.post(url, posts[resource_key])
                after = world()
                case = f"{user_key} {resource_key} ({expected})"
                if expected == DONE:
                    if response.status_code != 302:
                        form = response.context and response.context.get("form")
                        wrong.append(f"{case}: {response.status_code} {form and form.errors}")
                    new = Resource.objects.get(pk=resource.pk)
                    problems = spec.check(old, new, user)
                    problems += others_unchanged(before, after, resource.pk)
                    if after["audit"] != before["audit"] + 1:
                        problems.append(f"{after['audit'] - before['audit']} audit events")
                    wrong += [f"{case}: {p}" for p in problems]
                else:
                    wrong += [f"{case}: {p}" for p in judge(response, expected, resource.name)]
                    if after != before:
                        wrong.append(f"{case}: something changed")
                transaction.set_rollback(True)
    assert wrong == []
    # The matrix exercises every branch of the action, not just the refusals.
    assert {DONE, NOT_FOUND, REFUSED, LOGIN} <= outcomes


# --- actions without an object: create, import ---------------------------------------------


def create_data(user: User) -> dict[str, Any]:
    return {
        "category": str(Category.objects.get(code="102").pk),
        "name": "矩阵新建资源",
        "summary": "矩阵测试新建的资源",
        "format_class": "database",
        "format_type": "PostgreSQL",
        "share_type": "conditional",
        "share_condition": "用于行政审批",
        "share_method": "api",
        "open_type": "not_open",
        "open_condition": "",
        "update_cycle": "daily",
        "level": "1",
        "source_system": "",
        "region_code": "",
        "related_codes": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "500",
        "items-0-name": "统一社会信用代码",
        "items-0-data_type": "C",
        "items-0-length": "18",
        "items-0-level": "1",
        "items-0-kind": "uscc",
        "items-0-is_key": "on",
    }


def test_create_follows_the_roles(setup):
    matrix = setup.matrix
    wrong: list[str] = []
    for user_key, user, client in setup.users():
        if not _signed_in(matrix, user_key):
            expected = LOGIN
        else:
            expected = DONE if _department_editor(matrix, user_key) else REFUSED
        with transaction.atomic():
            before = setup.before
            response = client.post(reverse("catalog:resource_create"), create_data(user))
            after = world()
            case = f"{user_key} ({expected})"
            if expected == DONE:
                added = set(after["resources"]) - set(before["resources"])
                created = Resource.objects.filter(pk__in=added)
                ok = (
                    response.status_code == 302
                    and len(created) == 1
                    and created[0].provider_id == user.department_id
                    and created[0].status == "draft"
                    and created[0].items.count() == 1
                    and audited("resource.create", user, created[0].pk)
                    and others_unchanged(before, after, created[0].pk) == []
                )
                if not ok:
                    wrong.append(f"{case}: {response.status_code}, created {list(added)}")
            else:
                wrong += [f"{case}: {p}" for p in judge(response, expected)]
                if after != before:
                    wrong.append(f"{case}: something changed")
            transaction.set_rollback(True)
    assert wrong == []


def _importer(matrix: AccessMatrix, user_key: str) -> bool:
    return _is_coordinator(matrix, user_key) or _department_editor(matrix, user_key)


def _upload(matrix: AccessMatrix, user: User) -> SimpleUploadedFile:
    department = user.department or matrix.departments["prov"]
    if user.has_role(Role.COORDINATOR):
        department = matrix.departments["prov"]
    data = workbook([resource_cells(department, level="L1")], [item_cells(2)])
    return SimpleUploadedFile("catalog.xlsx", data)


def _run_latest_job(user: User) -> CatalogImportJob | None:
    """Run the user's newest catalog import job as the task worker would; return it."""
    job = CatalogImportJob.objects.filter(created_by=user).order_by("-pk").first()
    return import_job_run(job_id=job.pk) if job is not None else None


def test_import_preview_follows_the_roles_and_writes_nothing(setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    matrix = setup.matrix
    wrong: list[str] = []
    for user_key, user, client in setup.users():
        if not _signed_in(matrix, user_key):
            expected = LOGIN
        else:
            expected = PREVIEW if _importer(matrix, user_key) else REFUSED
        with transaction.atomic():
            wrong += _preview_case(client, matrix, user_key, user, expected, setup.before)
            transaction.set_rollback(True)
    assert wrong == []


def _preview_case(
    client: Client, matrix: AccessMatrix, user_key: str, user: User, expected: str, before: Any
) -> list[str]:
    wrong: list[str] = []
    response = client.post(reverse("catalog:resource_import"), {"file": _upload(matrix, user)})
    case = f"{user_key} ({expected})"
    if expected == PREVIEW:
        # The upload is queued; the worker's preview is on the job's page.
        job = _run_latest_job(user)
        page = client.get(response["Location"]) if response.status_code == 302 else None
        result = page is not None and page.context and page.context.get("result")
        if job is None or page is None or page.status_code != 200 or not result or not result.ok:
            wrong.append(f"{case}: {response.status_code} {result and result.problems}")
    else:
        wrong += [f"{case}: {p}" for p in judge(response, expected)]
        if CatalogImportJob.objects.filter(created_by=user).exists():
            wrong.append(f"{case}: a job was queued")
    after = world()
    # The queued job is audited (catalog.import_queue); nothing else changes.
    queued = AuditEvent.objects.filter(action="catalog.import_queue", actor=user).count()
    after["audit"] -= queued
    if after != before or queued != (expected == PREVIEW):
        wrong.append(f"{case}: the preview changed something")
    return wrong


def test_import_confirm_follows_the_roles(setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    matrix = setup.matrix
    coordinator = matrix.users["coordinator_4"]
    wrong: list[str] = []
    for user_key, user, client in setup.users():
        if not _signed_in(matrix, user_key):
            expected = LOGIN
        else:
            expected = DONE if _importer(matrix, user_key) else NOT_FOUND
        with transaction.atomic():
            # Whoever may import confirms their own preview; whoever may not tries to confirm
            # the coordinator's, which does not exist for them.
            owner = user if expected == DONE else coordinator
            job = import_job_create(actor=owner, file=_upload(matrix, owner))
            import_job_run(job_id=job.pk)
            before = world()
            response = client.post(reverse("catalog:resource_import_confirm", args=[job.pk]))
            if expected == DONE:
                import_job_run(job_id=job.pk)
            after = world()
            case = f"{user_key} ({expected})"
            if expected == DONE:
                added = Resource.objects.filter(
                    pk__in=set(after["resources"]) - set(before["resources"])
                )
                ok = (
                    response.status_code == 302
                    and [r.name for r in added] == ["企业登记信息"]
                    and AuditEvent.objects.filter(action="catalog.import", actor=user).exists()
                )
                if not ok:
                    wrong.append(f"{case}: {response.status_code}, created {len(added)}")
            else:
                wrong += [f"{case}: {p}" for p in judge(response, expected, "企业登记信息")]
                job.refresh_from_db()
                if after != before or job.confirmed:
                    wrong.append(f"{case}: something changed")
            transaction.set_rollback(True)
    assert wrong == []


# --- information systems --------------------------------------------------------------------


SYSTEM_STATES = {
    "active": InformationSystem.Status.APPROVED,
    "retired": InformationSystem.Status.RETIRED,
    "draft": InformationSystem.Status.DRAFT,
    "filed": InformationSystem.Status.FILED,
    "returned": InformationSystem.Status.RETURNED,
}


def _systems(matrix: AccessMatrix) -> dict[str, InformationSystem]:
    """Register a system in every filing state for every matrix department.

    The approved ones were last confirmed a year ago, so that a re-confirmation shows.
    """
    systems = {}
    for key, department in matrix.departments.items():
        for state, status in SYSTEM_STATES.items():
            system = builders.system(department, f"矩阵{key}{state}系统", status=status)
            systems[f"{key}_{state}"] = system
    InformationSystem.objects.filter(status=InformationSystem.Status.APPROVED).update(
        confirmed_at=timezone.now() - timedelta(days=366)
    )
    return {k: InformationSystem.objects.get(pk=s.pk) for k, s in systems.items()}


def expect_system_view(m: AccessMatrix, u: str, s: str) -> bool:
    """The registry is unclassified: approved systems for all, the others for their owners."""
    department, state = s.split("_")
    return _is_coordinator(m, u) or state == "active" or m.user_specs[u].department == department


def expect_system_file(m: AccessMatrix, u: str, s: str) -> bool:
    """Filing and re-confirming are the department's own: its editors and administrator."""
    spec = m.user_specs[u]
    return spec.department == s.split("_")[0] and bool(
        {Role.EDITOR, Role.DEPARTMENT_ADMIN} & set(spec.roles)
    )


def _system_step(allowed: bool, ok_states: tuple[str, ...]):
    def expect(m: AccessMatrix, u: str, s: str) -> str:
        if not expect_system_view(m, u, s):
            return NOT_FOUND
        if not allowed_for(m, u, s):
            return REFUSED
        return DONE if s.split("_")[1] in ok_states else REDIRECT_ERROR

    allowed_for = expect_system_file if allowed else (lambda m, u, s: _is_coordinator(m, u))
    return expect


def expect_system_manage(m: AccessMatrix, u: str, s: str) -> bool:
    spec = m.user_specs[u]
    own = spec.department == s.split("_")[0]
    return _is_coordinator(m, u) or (
        own and bool({Role.EDITOR, Role.DEPARTMENT_ADMIN} & set(spec.roles))
    )


def expect_system_edit(m: AccessMatrix, u: str, s: str) -> str:
    if not expect_system_view(m, u, s):
        return NOT_FOUND
    if not expect_system_manage(m, u, s):
        return REFUSED
    return DONE if s.split("_")[1] in ("active", "draft", "returned") else FORM_ERROR


def expect_system_retire(m: AccessMatrix, u: str, s: str) -> str:
    outcome = expect_system_edit(m, u, s)
    if outcome in (DONE, FORM_ERROR):
        return DONE if s.endswith("_active") else REDIRECT_ERROR
    return outcome


SYSTEM_ACTIONS = {
    "edit": (
        "catalog:system_edit",
        expect_system_edit,
        lambda s: {
            "name": "矩阵改名系统",
            "purpose": "",
            "project_name": "矩阵项目",
            "funding_stage": "operation",
        },
        lambda s: s.name == "矩阵改名系统",
        "system.update",
    ),
    "retire": (
        "catalog:system_retire",
        expect_system_retire,
        lambda s: {},
        lambda s: s.status == "retired",
        "system.retire",
    ),
    "file": (
        "catalog:system_file",
        _system_step(True, ("draft", "returned")),
        lambda s: {},
        lambda s: s.status == "filed" and s.filed_at is not None,
        "system.file",
    ),
    "approve": (
        "catalog:system_approve",
        _system_step(False, ("filed",)),
        lambda s: {},
        lambda s: s.status == "approved" and s.code is not None and len(s.code) == 18,
        "system.approve",
    ),
    "return": (
        "catalog:system_return",
        _system_step(False, ("filed",)),
        lambda s: {"reason": "材料不全"},
        lambda s: s.status == "returned" and s.return_reason == "材料不全",
        "system.return",
    ),
    "reconfirm": (
        "catalog:system_reconfirm",
        _system_step(True, ("active",)),
        lambda s: {},
        lambda s: s.confirmed_at > timezone.now() - timedelta(minutes=5),
        "system.reconfirm",
    ),
}


@pytest.mark.parametrize("action", sorted(SYSTEM_ACTIONS))
def test_system_action_follows_the_matrix(setup, action):
    url_name, expect, data, changed, audit_action = SYSTEM_ACTIONS[action]
    matrix = setup.matrix
    systems = setup.systems
    wrong: list[str] = []
    for u, (user_key, user, client) in enumerate(setup.users()):
        for r, (system_key, system) in enumerate(systems.items()):
            expected = (
                expect(matrix, user_key, system_key) if _signed_in(matrix, user_key) else LOGIN
            )
            if expected != DONE and not page_pair_sampled(u, r):
                continue
            with transaction.atomic():
                before = setup.before
                response = client.post(reverse(url_name, args=[system.pk]), data(system))
                after = world()
                case = f"{user_key} {system_key} ({expected})"
                if expected == DONE:
                    fresh = InformationSystem.objects.get(pk=system.pk)
                    others = {k: v for k, v in after["systems"].items() if k != system.pk}
                    ok = (
                        response.status_code == 302
                        and changed(fresh)
                        and audited(audit_action, user, system.pk)
                        and after["audit"] == before["audit"] + 1
                        and others == {k: v for k, v in before["systems"].items() if k != system.pk}
                        and after["resources"] == before["resources"]
                    )
                    if not ok:
                        wrong.append(f"{case}: {response.status_code}")
                else:
                    wrong += [f"{case}: {p}" for p in judge(response, expected, system.name)]
                    if after != before:
                        wrong.append(f"{case}: something changed")
                transaction.set_rollback(True)
    assert wrong == []


def test_system_create_follows_the_roles(setup):
    matrix = setup.matrix
    wrong: list[str] = []
    for user_key, user, client in setup.users():
        spec = matrix.user_specs[user_key]
        may = _is_coordinator(matrix, user_key) or (
            spec.department is not None
            and bool({Role.EDITOR, Role.DEPARTMENT_ADMIN} & set(spec.roles))
        )
        expected = (DONE if may else REFUSED) if spec.active else LOGIN
        with transaction.atomic():
            before = setup.before
            data = {
                "name": "矩阵新系统",
                "purpose": "",
                "project_name": "",
                "funding_stage": "initiation",
                "department": str(matrix.departments["cons"].pk),
            }
            response = client.post(reverse("catalog:system_create"), data)
            after = world()
            case = f"{user_key} ({expected})"
            if expected == DONE:
                created = InformationSystem.objects.filter(name="矩阵新系统")
                # The coordinator chooses the department; everyone else registers their own.
                owner = matrix.departments["cons"].pk if spec.department == "coord" else None
                owner = owner or user.department_id
                ok = (
                    response.status_code == 302
                    and len(created) == 1
                    and created[0].department_id == owner
                    and audited("system.register", user, created[0].pk)
                    and after["resources"] == before["resources"]
                )
                if not ok:
                    wrong.append(f"{case}: {response.status_code}")
            else:
                wrong += [f"{case}: {p}" for p in judge(response, expected)]
                if after != before:
                    wrong.append(f"{case}: something changed")
            transaction.set_rollback(True)
    assert wrong == []


# --- not signed in ----------------------------------------------------------------------------


def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    systems = setup.systems
    resources = setup.matrix.resources
    # Each on an object where a signed-in steward would succeed.
    urls = [
        reverse(name, args=[resources[key].pk])
        for name, key in (
            ("catalog:resource_edit", "draft_2"),
            ("catalog:resource_submit", "draft_2"),
            ("catalog:resource_retire", "pub_unc_1"),
            ("catalog:resource_review", "submitted_2"),
        )
    ]
    urls += [
        reverse(name, args=[systems["prov_active"].pk])
        for name in ("catalog:system_edit", "catalog:system_retire")
    ]
    urls += [
        reverse(name)
        for name in ("catalog:resource_create", "catalog:system_create", "catalog:resource_import")
    ]
    urls.append(reverse("catalog:resource_import_confirm", args=[1]))
    before = setup.before
    client = Client()
    for url in urls:
        response = client.post(url, {"reason": "x", "decision": "approve", "name": "x"})
        assert judge(response, LOGIN) == [], url
    assert world() == before
