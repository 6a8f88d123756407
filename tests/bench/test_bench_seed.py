"""The bench generator at a small scale: counts, invariants, and the policy on its data.

The world is generated once per module (a few seconds) inside a transaction that is rolled
back at the end; each test runs in a savepoint inside it.
"""

from __future__ import annotations

import random
import re

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from accounts.models import Department, Role, User
from accounts.validators import validate_region_code, validate_uscc
from audit.models import AuditEvent
from bench.seed import SEED_ACTION, Plan, seed
from catalog import selectors
from catalog.models import RESOURCE_CODE_RE, Category, DataItem, Resource
from catalog.models import ResourceGroupObjectPermission as GroupPermission
from datasets import selectors as data_selectors
from sharing.models import Grant, RequestLine, RequestStatus, ShareRequest

SCALE = 0.01
SCALE_RESOURCES = 1_000


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        counts = seed(scale=SCALE)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def world(seeded, db):
    return seeded


def test_counts_follow_the_scale(world):
    plan = Plan.for_scale(SCALE)
    assert Department.objects.count() == plan.departments == world["departments"]
    assert User.objects.count() == plan.users
    assert Resource.objects.count() == plan.resources == 1_000
    assert DataItem.objects.count() == plan.items == 10_000
    assert Grant.objects.count() == plan.grants == 2_000
    assert ShareRequest.objects.count() == plan.share_requests == 1_000
    # The seeded trail, and the dataset's quality profile recorded through the service.
    seeded = AuditEvent.objects.exclude(action__in=[SEED_ACTION, "data.quality_profile"])
    assert seeded.count() == plan.audit_events
    assert AuditEvent.objects.filter(action="data.quality_profile").count() == 1
    assert AuditEvent.objects.filter(action=SEED_ACTION).count() == 1
    # Spread: all levels, share types and states occur.
    assert set(Resource.objects.values_list("level", flat=True)) == {1, 2, 3, 4}
    assert set(Resource.objects.values_list("share_type", flat=True)) == {
        "unconditional",
        "conditional",
        "none",
    }
    assert set(Resource.objects.values_list("status", flat=True)) == {
        "published",
        "draft",
        "submitted",
        "retired",
    }
    published = Resource.objects.filter(status="published").count()
    assert published > 0.8 * plan.resources


def test_identifiers_are_valid(world):
    for uscc, region in Department.objects.values_list("uscc", "region_code"):
        validate_uscc(uscc)
        validate_region_code(region)
    codes = list(Resource.objects.exclude(code=None).values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(re.match(RESOURCE_CODE_RE, code) for code in codes)
    # Codes exactly on published and retired resources, filed under a 目 of the national tree.
    assert not Resource.objects.filter(status__in=["published", "retired"], code=None).exists()
    assert (
        not Resource.objects.filter(status__in=["draft", "submitted"]).exclude(code=None).exists()
    )
    for resource in Resource.objects.exclude(code=None).select_related("category")[:200]:
        category, sequence = resource.code.split("/")
        assert category == resource.category.code
        assert int(sequence) <= resource.category.last_sequence
    assert Category.objects.filter(depth=3).count() > 0
    assert not Resource.objects.exclude(category__parent__parent__code__in=["1", "2", "3"]).exists()


def test_rows_pass_model_validation(world):
    rng = random.Random(1)
    for model in (Department, User, Resource, DataItem, Grant, ShareRequest):
        pks = list(model.objects.values_list("pk", flat=True))
        for obj in model.objects.filter(pk__in=rng.sample(pks, min(30, len(pks)))):
            obj.full_clean(exclude=["password", "group"])


def test_search_documents_match_the_services(world):
    """The seeded search documents are what the catalog services would write."""
    from catalog.services import resource_search_document_refresh

    for resource in Resource.objects.order_by("id")[:: max(1, SCALE_RESOURCES // 25)]:
        seeded_document, seeded_key = resource.search_document, resource.name_pinyin
        assert seeded_document
        assert seeded_key
        resource_search_document_refresh(resource=resource)
        refreshed = Resource.objects.get(pk=resource.pk)
        assert refreshed.search_document == seeded_document
        assert refreshed.name_pinyin == seeded_key
    assert selectors.resources_visible_to(user=User.objects.filter(clearance=4).first()).exists()


def test_dataset_rows_are_readable_and_masked(world):
    from datasets.models import DatasetVersion
    from datasets.selectors import dataset_rows_for

    plan = Plan.for_scale(SCALE)
    version = DatasetVersion.objects.get(status="active")
    assert version.row_count == version.rows.count() == plan.dataset_rows == world["dataset_rows"]
    resource = version.resource
    assert resource.status == "published" and resource.share_type == "unconditional"
    assert version.key_columns == ["公民身份号码"]
    reader = User.objects.filter(clearance=4).exclude(department=resource.provider).first()
    key = version.rows.order_by("-id").values_list("key", flat=True).first()
    page = dataset_rows_for(user=reader, resource=resource, filters={"公民身份号码": key})
    assert len(page.rows) == 1
    row = dict(zip(page.columns, page.rows[0], strict=True))
    assert row["公民身份号码"] == f"{key[:6]}********{key[-4:]}"
    assert row["姓名"].startswith("居") and set(row["姓名"][1:]) == {"*"}
    # The stored rows are exactly what an upload of the same values would store.
    from datasets.services import plan_for
    from datasets.validation import ErrorReport

    stored = list(version.rows.order_by("id").values_list("key", "region", "data")[:200])
    plan = plan_for(resource)
    width = len(plan.columns)
    report = ErrorReport(limit=10)
    cells = [(n, list(data)) for n, (_k, _r, data) in enumerate(stored, start=1)]
    converted = list(plan.convert_rows(cells, list(range(width)), report, width=width))
    assert not report, report.as_dict()
    assert [(k, r, list(v)) for k, r, v in converted] == [(k, r, d) for k, r, d in stored]


def test_levels_are_consistent(world):
    assert not DataItem.objects.filter(level__gt=F("resource__level")).exists()
    assert not Resource.objects.filter(level__gt=F("provider__clearance")).exists()
    assert not User.objects.filter(clearance__gt=F("department__clearance")).exists()
    personal = DataItem.objects.exclude(kind__in=["none", "uscc"])
    assert personal.exists()
    assert not personal.filter(level__lt=3).exists()


def test_grants_follow_the_policy(world):
    grants = Grant.objects.all()
    assert not grants.exclude(resource__status="published").exists()
    assert not grants.filter(resource__share_type="unconditional").exists()
    assert not grants.filter(department=F("resource__provider")).exists()
    assert not grants.exclude(provider=F("resource__provider")).exists()  # the copy agrees
    assert not grants.filter(resource__level__gt=F("department__clearance")).exists()
    assert not grants.filter(status="revoked", revoked_at=None).exists()
    assert not grants.filter(valid_until__lte=F("valid_from")).exists()
    # Items of a grant belong to its resource; every grant has at least one.
    assert not Grant.items.through.objects.exclude(dataitem__resource=F("grant__resource")).exists()
    assert not grants.filter(items=None).exists()
    # One guardian group row per active grant, and no other.
    active = set(grants.filter(status="active").values_list("department__group", "resource"))
    rows = list(GroupPermission.objects.values_list("group", "content_object"))
    assert len(rows) == len(set(rows)) == len(active) == world["guardian_rows"]
    assert set(rows) == active
    assert {s for s in grants.values_list("status", flat=True)} == {"active", "expired", "revoked"}
    # Some departments hold many grants, most few: the benchmark needs both.
    counts = list(grants.values("department").annotate(n=Count("id")).values_list("n", flat=True))
    assert max(counts) >= 2 * min(counts)  # uniform spreading would give about 1.2


def test_roles_cover_every_department(world):
    approvers = set(
        User.objects.filter(role_assignments__role=Role.APPROVER).values_list(
            "department", flat=True
        )
    )
    assert approvers == set(Department.objects.values_list("pk", flat=True))
    coordinators = User.objects.filter(role_assignments__role=Role.COORDINATOR)
    assert coordinators.exists()
    assert not coordinators.exclude(clearance=F("department__clearance")).exists()
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        assert User.objects.filter(role_assignments__role=role).count() == 1


def _sample_users() -> list[User]:
    users = [User.objects.filter(clearance=c).order_by("pk").first() for c in (1, 2, 3, 4)]
    users.append(User.objects.filter(role_assignments__role=Role.COORDINATOR).first())
    top = (
        Grant.objects.filter(status="active")
        .values("department")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("department", flat=True)
    )
    users.append(User.objects.filter(department=top[0]).order_by("-clearance").first())
    return [u for u in users if u is not None]


def test_policy_selectors_agree_with_the_seeded_rows(world):
    now = timezone.now()
    resources = list(
        Resource.objects.values("pk", "level", "status", "provider", "share_type", "catalog_scope")
    )
    in_force = set(Grant.objects.in_force(now).values_list("resource", "department"))
    for user in _sample_users():
        coordinator = user.has_role(Role.COORDINATOR)
        expect_view, expect_read = set(), set()
        for r in resources:
            own = user.department_id is not None and r["provider"] == user.department_id
            cleared = r["level"] <= user.clearance
            in_scope = (
                own
                or {
                    "departments": user.department_id is not None,
                    "cleared": cleared,
                    "provider": coordinator and cleared,
                }[r["catalog_scope"]]
            )
            if not in_scope:
                continue
            if (
                r["status"] == "published"
                or own
                or (coordinator and r["status"] in ("submitted", "retired"))
            ):
                expect_view.add(r["pk"])
            if r["status"] == "published" and (
                r["share_type"] == "unconditional"
                or own
                or (r["pk"], user.department_id) in in_force
            ):
                expect_read.add(r["pk"])
        assert (
            set(selectors.resources_visible_to(user=user).values_list("pk", flat=True))
            == expect_view
        )
        assert (
            set(data_selectors.resources_readable_by(user=user).values_list("pk", flat=True))
            == expect_read
        )
        assert expect_view and expect_view != {r["pk"] for r in resources}


def test_has_perm_and_items_agree_on_seeded_rows(world):
    rng = random.Random(7)
    pks = list(Resource.objects.values_list("pk", flat=True))
    for user in _sample_users():
        visible = set(selectors.resources_visible_to(user=user).values_list("pk", flat=True))
        readable = set(data_selectors.resources_readable_by(user=user).values_list("pk", flat=True))
        for resource in Resource.objects.filter(pk__in=rng.sample(pks, 40)):
            assert user.has_perm("catalog.view_resource", resource) == (resource.pk in visible)
            assert user.has_perm("catalog.read_resource_data", resource) == (
                resource.pk in readable
            )
    # A granted resource yields exactly the granted items within the reader's clearance.
    grant = (
        Grant.objects.in_force()
        .filter(department__users__clearance__gte=F("resource__level"))
        .select_related("resource")
        .first()
    )
    reader = User.objects.filter(
        department=grant.department_id, clearance__gte=grant.resource.level
    ).first()
    items = data_selectors.resource_items_readable(user=reader, resource=grant.resource)
    expected = set(grant.items.filter(level__lte=reader.clearance).values_list("pk", flat=True))
    assert {i.pk for i in items} == expected and expected
    # A revoked grant gives nothing.
    revoked = Grant.objects.filter(status="revoked").select_related("resource").first()
    outsider = User.objects.filter(department=revoked.department_id).order_by("-clearance").first()
    if (
        not Grant.objects.in_force()
        .filter(resource=revoked.resource, department=revoked.department_id)
        .exists()
    ):
        assert (
            data_selectors.resource_items_readable(user=outsider, resource=revoked.resource) == []
        )


def test_approvers_decide_their_own_department(world):
    approver = User.objects.filter(role_assignments__role=Role.APPROVER).order_by("pk").first()
    decidable = set(selectors.resources_decidable_by(user=approver).values_list("pk", flat=True))
    expected = set(
        Resource.objects.filter(
            provider=approver.department_id, level__lte=approver.clearance
        ).values_list("pk", flat=True)
    )
    assert decidable == expected


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the benchmark's SQL floors are written for PostgreSQL",
)
def test_benchmark_scenarios_agree_with_their_sql_floors(world):
    """bench/run compares each page's answer with its hand-written query; keep them equal."""
    from bench.scenarios import SCENARIOS, dataset_resource, subjects

    dataset_resource.cache_clear()
    people = subjects()
    assert len(people) == 5
    assert {s.user.clearance for s in people} == {1, 2, 3, 4}
    names = {s.name for s in SCENARIOS}
    assert {
        "approver_inbox",
        "api_resource_list",
        "api_resource_list_expanded",
        "api_resource_detail",
        "rows_lookup",
    } <= names
    measured = set()
    inbox_sizes: list[int] = []
    for scenario in SCENARIOS:
        for subject in people:
            if not scenario.applies(subject):
                continue
            measured.add(scenario.name)
            answer = scenario.portal(subject)
            if scenario.floor is not None:
                assert scenario.floor(subject) == answer, (scenario.name, subject.label)
            if scenario.unfiltered is not None:
                scenario.unfiltered(subject)
            if scenario.name.startswith("search_") or scenario.name == "rows_lookup":
                assert scenario.rows(answer), (scenario.name, subject.label)  # not vacuous
            if scenario.name == "approver_inbox":
                inbox_sizes.append(answer[0])
    assert measured == names
    # The inbox is measured over requests actually waiting, for approvers of differing load.
    assert len(inbox_sizes) == 4 and min(inbox_sizes) >= 1 and max(inbox_sizes) > min(inbox_sizes)


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the benchmark's SQL floors are written for PostgreSQL",
)
def test_bounded_search_agrees_with_its_sql_floor(world, settings):
    """Past the bound (common terms at this scale) the floor ranks the same candidates."""
    from bench.scenarios import SCENARIOS, subjects

    settings.PORTAL_SEARCH_LISTED_MAX = 20
    counts = set()
    for scenario in SCENARIOS:
        if not scenario.name.startswith("search_"):
            continue
        for subject in subjects():
            answer = scenario.portal(subject)
            assert scenario.floor(subject) == answer, (scenario.name, subject.label)
            counts.add(answer[0])
    # Both paths ran: broad queries counted up to the bound, narrow ones exactly.
    assert 20 in counts and min(counts) < 20


def test_share_requests_follow_the_workflow(world):
    requests = ShareRequest.objects.all()
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    lines = RequestLine.objects.all()
    # Every request names resources of its provider, of one kind, within the requester's reach.
    assert not requests.filter(lines=None).exists()
    assert not lines.exclude(resource__provider=F("request__provider")).exists()
    assert not lines.exclude(resource__status="published").exists()
    assert not lines.filter(resource__share_type="unconditional").exists()
    assert not lines.filter(
        resource__level__gt=F("request__requester_department__clearance")
    ).exists()
    assert (
        not lines.filter(request__to_coordinator=True).exclude(resource__share_type="none").exists()
    )
    assert not lines.filter(request__to_coordinator=False, resource__share_type="none").exists()
    assert not RequestLine.items.through.objects.exclude(
        dataitem__resource=F("requestline__resource")
    ).exists()
    assert not lines.filter(items=None).exists()
    # Open requests are recent; the decided ones name who decided and when.
    submitted = requests.filter(status=RequestStatus.SUBMITTED)
    assert submitted.exists() and not submitted.filter(due_date=None).exists()
    assert submitted.filter(due_date__lt=timezone.localdate()).exists()  # some overdue
    decided = requests.filter(status__in=["approved", "rejected", "refused"])
    assert not decided.filter(decided_by=None).exists()
    assert not decided.filter(decided_at__gt=timezone.now()).exists()
    assert not requests.filter(submitted_at__lt=F("created_at")).exists()
    # Each provider's approver finds its inbox: what the approver inbox benchmark measures.
    from sharing.selectors import requests_inbox

    provider = submitted.values("provider").annotate(n=Count("id")).order_by("-n")[0]["provider"]
    approver = User.objects.get(department=provider, role_assignments__role=Role.APPROVER)
    inbox = set(requests_inbox(user=approver).values_list("pk", flat=True))
    expected = set(submitted.filter(provider=provider).values_list("pk", flat=True))
    expected |= set(
        requests.filter(status=RequestStatus.SIGNOFF, requester_department=provider).values_list(
            "pk", flat=True
        )
    )
    assert inbox == expected and inbox


def test_bench_pages_run_as_a_holder_of_each_role(world):
    # bench/run --smoke reaches the role pages only if the seeded data yields these subjects.
    from bench.pages import all_subjects

    people = all_subjects()
    kinds = [s.kind for s in people]
    assert kinds.count("staff") == 4 and kinds.count("coordinator") == 1
    expected = {"editor", "dept_admin", "system_admin", "security_admin", "auditor", "approver"}
    assert expected <= set(kinds)
    roles = {
        "editor": Role.EDITOR,
        "dept_admin": Role.DEPARTMENT_ADMIN,
        "system_admin": Role.SYSTEM_ADMIN,
        "security_admin": Role.SECURITY_ADMIN,
        "auditor": Role.AUDIT_ADMIN,
        "approver": Role.APPROVER,
    }
    for subject in people:
        if subject.kind in roles:
            assert subject.user.has_role(roles[subject.kind]), subject.label
