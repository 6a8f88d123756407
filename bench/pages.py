"""Every GET page and GET API operation a user can reach, as ``http_get`` scenarios.

``bench.scenarios`` holds the measured scenarios with a SQL floor; this module adds one HTTP
scenario per remaining page or API operation (``covers=`` names it), run as a subject who can
reach it: the staff picks of ``subjects()``, the coordinator, and one holder of each role
(``role_subjects()``). Pages with an id use the objects of the largest shapes (the department
with the most resources, the request with the most lines, the grant with the most items).

No floor here: a page renders several lists and counts, so no single statement computes the
same answer (``floor=None``); the query count column shows which grow with the data.
``tests/test_bench_coverage.py`` fails on a GET page or operation no scenario covers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace

from django.db.models import Count, Q

from accountability.models import ItemLink, ServiceItem
from accounts.models import Department, Role, User
from catalog.models import CatalogImportJob, Category, InformationSystem, Resource, SynonymGroup
from catalog.selectors.browse import export_xlsx_max
from datasets.models import ImportJob
from datasets.selectors import resources_readable_by
from exchange.models import Interface
from needs.models import Need
from sharing.models import Correction, Grant, Notification
from sharing.selectors import (
    requests_of_my_department,
    requests_returned,
    requests_to_my_department,
)
from webhooks.models import Subscription

from .scenarios import (
    SCENARIOS,
    Scenario,
    Subject,
    _approvers_by_waiting,
    dataset_resource,
    http_get,
    subjects,
)

# Who a scenario runs as (Subject.kind).
STAFF = ("staff", "coordinator")
COORDINATOR = ("coordinator",)
YEAR = 2026

PathOf = Callable[[Subject], "str | None"]


# --- the objects of the largest shapes ---------------------------------------------------------


@functools.cache
def largest_department() -> int:
    """The department providing the most resources."""
    row = (
        Resource.objects.values("provider")
        .annotate(n=Count("id"))
        .order_by("-n", "provider")
        .values_list("provider", flat=True)
        .first()
    )
    return row or Department.objects.order_by("pk").values_list("pk", flat=True)[0]


def largest_exportable_department() -> int | None:
    """The department providing the most resources that still fit one catalog workbook."""
    return (
        Resource.objects.values("provider")
        .annotate(n=Count("id"))
        .filter(n__lte=export_xlsx_max())
        .order_by("-n", "provider")
        .values_list("provider", flat=True)
        .first()
    )


_picked: dict[tuple[str, int], int | None] = {}


def _largest_request(subject: Subject) -> int | None:
    """The request with the most lines that the subject's department made (and sees)."""
    key = ("made", subject.user.pk)
    if key not in _picked:
        _picked[key] = _most_lines(requests_of_my_department(user=subject.user))
    return _picked[key]


def _provided_request(subject: Subject) -> int | None:
    """The request with the most lines addressed to the subject's department that it sees."""
    key = ("provided", subject.user.pk)
    if key not in _picked:
        _picked[key] = _most_lines(requests_to_my_department(user=subject.user))
    return _picked[key]


def _returned_request(subject: Subject) -> int | None:
    """The request with the most lines the provider sent back to the subject's department."""
    key = ("returned", subject.user.pk)
    if key not in _picked:
        _picked[key] = _most_lines(requests_returned(user=subject.user))
    return _picked[key]


def _most_lines(requests) -> int | None:
    return (
        requests.annotate(n=Count("lines"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )


@functools.cache
def _largest_grant(department: int) -> int | None:
    return (
        Grant.objects.filter(department=department)
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )


@functools.cache
def _largest_own_resource(department: int) -> int | None:
    return (
        Resource.objects.filter(provider=department)
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )


@functools.cache
def largest_category() -> str:
    """The code of the category holding the most resources."""
    return (
        Category.objects.annotate(n=Count("resources"))
        .order_by("-n", "code")
        .values_list("code", flat=True)[0]
    )


@functools.cache
def _first(model, **filters) -> int | None:
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()


@functools.cache
def _largest_system() -> int | None:
    return _first(InformationSystem, department=largest_department())


def _dept(subject: Subject) -> int:
    return subject.user.department_id or 0


def _with(pk: int | None, template: str) -> str | None:
    return None if pk is None else template.format(pk=pk)


def _link_form() -> str | None:
    """The new-link form for the first link's two compared items (its suggestion's shape)."""
    pair = ItemLink.objects.order_by("pk").values_list("left_item", "right_item").first()
    return None if pair is None else "/accountability/links/new/?left={}&right={}".format(*pair)


def _own_link_pk(subject: Subject) -> int | None:
    """The first link one of the subject's department's resources is in."""
    department = subject.user.department_id
    return (
        ItemLink.objects.filter(
            Q(left_resource__provider_id=department) | Q(right_resource__provider_id=department)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _own_link(subject: Subject) -> str | None:
    """The conflict list of the first link one of the subject's department's resources is in."""
    return _with(_own_link_pk(subject), "/accountability/conflicts/{pk}/")


def _member(subject: Subject) -> int | None:
    """Another user of the subject's department (picked once, outside the timed runs)."""
    key = ("member", subject.user.pk)
    if key not in _picked:
        _picked[key] = (
            User.objects.filter(department=subject.user.department_id)
            .exclude(pk=subject.user.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    return _picked[key]


def _correctable(subject: Subject) -> int | None:
    """A resource whose data the subject reads and whose level they are cleared for."""
    key = ("correctable", subject.user.pk)
    if key not in _picked:
        _picked[key] = (
            resources_readable_by(user=subject.user)
            .filter(level__lte=subject.user.clearance)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    return _picked[key]


def _dataset_pk() -> int | None:
    found = dataset_resource()
    return None if found is None else found[0].pk


def _reads_dataset(subject: Subject) -> bool:
    found = dataset_resource()
    return found is not None and subject.user.clearance >= found[0].level


# --- the scenarios -----------------------------------------------------------------------------


def page(
    name: str,
    covers: str,
    path: str | PathOf,
    kinds: tuple[str, ...] = STAFF,
    note: str = "",
    **options,
) -> Scenario:
    """An HTTP scenario for one page, run as the subjects of ``kinds`` it has a path for."""
    path_of: PathOf = path if callable(path) else (lambda subject: path)
    fetch = http_get(lambda subject: path_of(subject) or "", **options)
    return Scenario(
        name,
        fetch,
        note=note or "HTTP through the test client; no one-query floor (floor=None)",
        applies=lambda subject: subject.kind in kinds and path_of(subject) is not None,
        rows=lambda result: None,
        covers=(covers,),
    )


def api(name: str, covers: str, path: str | PathOf, kinds: tuple[str, ...] = STAFF) -> Scenario:
    return page(
        name, covers, path, kinds, note="API with a read token; floor=None (not yet)", api=True
    )


STAFF_PAGES = [
    page("http_login_page", "login", "/accounts/login/", ("staff",), anonymous=True),
    page("http_search_suggest", "catalog:search_suggest", "/catalog/search/suggest/?q=户"),
    page(
        "http_resource_detail",
        "catalog:resource_detail",
        lambda s: f"/catalog/resources/{s.detail_pk}/",
    ),
    page(
        "http_resource_versions",
        "catalog:resource_versions",
        lambda s: f"/catalog/resources/{s.detail_pk}/versions/",
    ),
    page(
        "http_resource_activity",
        "catalog:resource_activity",
        lambda s: f"/catalog/resources/{s.detail_pk}/activity/",
    ),
    page("http_department_directory", "catalog:department_list", "/catalog/departments/"),
    page(
        "http_department_page",
        "catalog:department_detail",
        lambda s: f"/catalog/departments/{largest_department()}/",
        note="the department providing the most resources",
    ),
    page("http_negative_list", "catalog:negative_list", "/catalog/negative-list/"),
    page("http_categories", "catalog:category_list", "/catalog/categories/"),
    page(
        "http_category_page",
        "catalog:category_detail",
        lambda s: f"/catalog/categories/{largest_category()}/",
        note="the category holding the most resources",
    ),
    page("http_systems", "catalog:system_list", "/catalog/systems/"),
    page(
        "http_system_page",
        "catalog:system_detail",
        lambda s: _with(_largest_system(), "/catalog/systems/{pk}/"),
    ),
    page(
        "http_catalog_export_xlsx",
        "catalog:resource_export",
        lambda s: _with(largest_exportable_department(), "/catalog/export/?provider={pk}"),
        kinds=COORDINATOR,
        note="the largest provider's resources as a workbook (within the workbook size limit)",
    ),
    page(
        "http_catalog_export_xlsx_all",
        "catalog:resource_export",
        "/catalog/export/",
        kinds=COORDINATOR,
        note=(
            "every resource the coordinator sees as a workbook: written up to "
            "PORTAL_EXPORT_XLSX_MAX_RESOURCES, past it refused (400) with the CSV offered"
        ),
        expect=(200, 400),
    ),
    page(
        "http_catalog_export_csv",
        "catalog:resource_export",
        "/catalog/export/?format=csv",
        kinds=COORDINATOR,
        note="every resource the user sees, streamed as CSV (read to the end)",
    ),
    page(
        "http_catalog_export_items_csv",
        "catalog:resource_export",
        "/catalog/export/?format=csv&sheet=items",
        kinds=COORDINATOR,
        note="every data item of the resources the user sees, streamed as CSV",
    ),
    page("http_import_template", "catalog:resource_import_template", "/catalog/import/template/"),
    page("http_basket", "sharing:basket", "/sharing/basket/"),
    page(
        "http_request_form",
        "sharing:request_new",
        lambda s: f"/sharing/requests/new/?resource={s.detail_pk}",
    ),
    page("http_request_list", "sharing:request_list", "/sharing/requests/"),
    page(
        "http_request_list_provided",
        "sharing:request_list",
        "/sharing/requests/?side=provider",
    ),
    page(
        "http_request_page",
        "sharing:request_detail",
        lambda s: _with(_largest_request(s), "/sharing/requests/{pk}/"),
        note="the department's request with the most lines",
    ),
    page("http_negotiations", "sharing:negotiation_list", "/sharing/negotiations/"),
    page("http_grant_list", "sharing:grant_list", "/sharing/grants/"),
    page("http_grant_list_given", "sharing:grant_list", "/sharing/grants/?side=provider"),
    page("http_grant_list_expiring", "sharing:grant_list", "/sharing/grants/?side=expiring"),
    page(
        "http_grant_page",
        "sharing:grant_detail",
        lambda s: _with(_largest_grant(_dept(s)), "/sharing/grants/{pk}/"),
        note="the department's grant with the most items",
    ),
    page("http_corrections", "sharing:correction_list", "/sharing/corrections/"),
    page(
        "http_correction_form",
        "sharing:correction_new",
        lambda s: _with(_correctable(s), "/sharing/corrections/new/?resource={pk}"),
        note="a resource whose data the subject reads, within their clearance",
    ),
    page(
        "http_correction_page",
        "sharing:correction_detail",
        lambda s: _with(_first(Correction, department=_dept(s)), "/sharing/corrections/{pk}/"),
        note="skipped where bench_seed made no correction",
    ),
    page("http_notifications", "sharing:notification_list", "/sharing/notifications/"),
    page(
        "http_interface_availability",
        "exchange:interface_detail",
        lambda s: _with(_first(Interface, status="published"), "/exchange/interfaces/{pk}/"),
        COORDINATOR,
        note="skipped where bench_seed made no interface",
    ),
    page(
        "http_city_availability",
        "exchange:city_availability",
        "/exchange/availability/",
        COORDINATOR,
    ),
    page("http_needs", "needs:need_list", "/needs/"),
    page("http_need_form", "needs:need_new", "/needs/new/"),
    page(
        "http_need_page",
        "needs:need_detail",
        lambda s: _with(_first(Need, requester_department=_dept(s)), "/needs/{pk}/"),
        note="skipped where bench_seed made no data need",
    ),
    page("http_account", "accounts:account", "/accounts/me/"),
    page("http_password_form", "accounts:password_change", "/accounts/me/password/"),
    page("http_tokens", "accounts:token_list", "/accounts/tokens/"),
    page("http_second_factor", "accounts:otp_verify", "/accounts/two-factor/"),
    page(
        "http_second_factor_enrol",
        "accounts:otp_enrol",
        "/accounts/two-factor/enrol/",
    ),
    page("http_calendar_years", "workcalendar:index", "/calendar/"),
    page(
        "http_calendar_template",
        "workcalendar:template",
        f"/calendar/{YEAR}/template.xlsx",
        COORDINATOR,
    ),
    page(
        "http_data_download",
        "datasets:data_download",
        lambda s: _with(_dataset_pk(), "/catalog/resources/{pk}/data.csv"),
        note=(
            "the largest dataset as CSV, streamed (masked as the user reads it); past "
            "PORTAL_DATA_EXPORT_MAX_ROWS (scale 10's 10,000,000 rows) refused (400)"
        ),
        expect=(200, 400),
    ),
]

ROLE_PAGES = [
    # The coordinator: accountability, review, synonyms, the calendar's entry forms.
    page(
        "http_accountability",
        "accountability:index",
        "/accountability/",
        COORDINATOR,
        expect=(302,),
    ),
    page(
        "http_accountability_dashboard",
        "accountability:dashboard",
        "/accountability/dashboard/",
        COORDINATOR,
    ),
    page(
        "http_scorecard",
        "accountability:scorecard",
        lambda s: f"/accountability/departments/{largest_department()}/",
        COORDINATOR,
        note="the department providing the most resources",
    ),
    page("http_report", "accountability:report", "/accountability/report/", COORDINATOR),
    page(
        "http_report_xlsx",
        "accountability:report_xlsx",
        "/accountability/report.xlsx",
        COORDINATOR,
    ),
    page(
        "http_request_drilldown",
        "accountability:request_drilldown",
        lambda s: f"/accountability/requests/?department={largest_department()}",
        COORDINATOR,
    ),
    page(
        "http_correction_drilldown",
        "accountability:correction_drilldown",
        lambda s: f"/accountability/corrections/?department={largest_department()}",
        COORDINATOR,
    ),
    page(
        "http_resource_drilldown",
        "accountability:resource_drilldown",
        lambda s: f"/accountability/resources/?department={largest_department()}",
        COORDINATOR,
    ),
    page(
        "http_duplicates", "accountability:duplicates", "/accountability/duplicates/", COORDINATOR
    ),
    page("http_zombies", "accountability:zombies", "/accountability/zombie-systems/", COORDINATOR),
    page(
        "http_unconfirmed_systems",
        "accountability:unconfirmed_systems",
        "/accountability/zombie-systems/unconfirmed/",
        COORDINATOR,
    ),
    page(
        "http_item_links",
        "accountability:item_links",
        "/accountability/links/",
        COORDINATOR,
        note="every link with its rate, and the duplicate report's suggestions",
    ),
    page(
        "http_item_link_new",
        "accountability:item_link_new",
        lambda s: _link_form(),
        COORDINATOR,
        note="skipped where no item link exists (bench/consistency.py makes one)",
    ),
    page("http_conflicts", "accountability:conflicts", "/accountability/conflicts/"),
    page(
        "http_conflict_detail",
        "accountability:conflict_detail",
        _own_link,
        note="skipped for a subject whose department is a side of no link",
    ),
    page(
        "http_service_items",
        "accountability:service_item_list",
        "/accountability/service-items/",
        COORDINATOR,
    ),
    page(
        "http_service_item_import_form",
        "accountability:service_item_import",
        "/accountability/service-items/import/",
        COORDINATOR,
    ),
    page(
        "http_service_item_template",
        "accountability:service_item_template",
        "/accountability/service-items/template.xlsx",
        COORDINATOR,
    ),
    page(
        "http_service_item_page",
        "accountability:service_item_detail",
        lambda s: _with(_first(ServiceItem), "/accountability/service-items/{pk}/"),
        COORDINATOR,
        note="skipped where bench_seed made no service item",
    ),
    page(
        "http_review_queue", "catalog:resource_review_queue", "/catalog/manage/review/", COORDINATOR
    ),
    page(
        "http_review_page",
        "catalog:resource_review",
        lambda s: _with(_first(Resource, status="submitted"), "/catalog/manage/review/{pk}/"),
        COORDINATOR,
    ),
    page("http_synonyms", "catalog:synonym_list", "/catalog/manage/synonyms/", COORDINATOR),
    page(
        "http_synonym_form", "catalog:synonym_create", "/catalog/manage/synonyms/new/", COORDINATOR
    ),
    page(
        "http_synonym_edit_form",
        "catalog:synonym_edit",
        lambda s: _with(_first(SynonymGroup), "/catalog/manage/synonyms/{pk}/edit/"),
        COORDINATOR,
    ),
    # The editor of the department providing the most resources: the manage pages.
    page("http_my_resources", "catalog:resource_mine", "/catalog/manage/resources/", ("editor",)),
    page(
        "http_resource_form",
        "catalog:resource_create",
        "/catalog/manage/resources/new/",
        ("editor",),
    ),
    page(
        "http_resource_edit_form",
        "catalog:resource_edit",
        lambda s: _with(_largest_own_resource(_dept(s)), "/catalog/manage/resources/{pk}/edit/"),
        ("editor",),
        note="the department's resource with the most data items",
    ),
    page(
        "http_resource_scope_form",
        "catalog:resource_scope",
        lambda s: _with(_largest_own_resource(_dept(s)), "/catalog/manage/resources/{pk}/scope/"),
        ("editor",),
    ),
    page("http_system_form", "catalog:system_create", "/catalog/systems/new/", ("editor",)),
    page(
        "http_system_edit_form",
        "catalog:system_edit",
        lambda s: _with(
            _first(InformationSystem, department=_dept(s)), "/catalog/systems/{pk}/edit/"
        ),
        ("editor",),
    ),
    page("http_catalog_import_form", "catalog:resource_import", "/catalog/import/", ("editor",)),
    page(
        "http_catalog_import_job",
        "catalog:resource_import_job",
        lambda s: _with(_first(CatalogImportJob, created_by=s.user.pk), "/catalog/import/{pk}/"),
        ("editor",),
        note="skipped where bench_seed made no catalog import",
    ),
    page(
        "http_data_upload_form",
        "datasets:data_upload",
        lambda s: _with(_largest_own_resource(_dept(s)), "/catalog/resources/{pk}/data/upload/"),
        ("editor",),
    ),
    page(
        "http_data_job",
        "datasets:data_job",
        lambda s: _with(_first(ImportJob, created_by=s.user.pk), "/catalog/data/jobs/{pk}/"),
        ("editor",),
        note="skipped where bench_seed made no data import",
    ),
    page(
        "http_data_reads",
        "datasets:data_reads",
        lambda s: _with(_dataset_pk(), "/catalog/resources/{pk}/data/reads/"),
        ("provider_approver",),
        note="the approver of the department providing the largest dataset",
    ),
    # The approver of the provider with the most requests waiting.
    page("http_inbox", "sharing:inbox", "/sharing/inbox/", ("approver",)),
    page(
        "http_request_page_provider",
        "sharing:request_detail",
        lambda s: _with(_provided_request(s), "/sharing/requests/{pk}/"),
        ("approver",),
        note="the request with the most lines addressed to the approver's department",
    ),
    page(
        "http_request_edit_form",
        "sharing:request_edit",
        lambda s: _with(_returned_request(s), "/sharing/requests/{pk}/edit/"),
        STAFF,
        note="the department's returned request with the most lines",
    ),
    # The department administrator of the department with the most users.
    page("http_members", "accounts:member_list", "/accounts/department/users/", ("dept_admin",)),
    page("http_webhooks", "webhooks:subscription_list", "/webhooks/", ("dept_admin",)),
    page(
        "http_webhook_page",
        "webhooks:subscription_detail",
        lambda s: _with(_first(Subscription, department=_dept(s)), "/webhooks/{pk}/"),
        ("dept_admin",),
        note="the department's first webhook subscription, with its latest deliveries",
    ),
    page(
        "http_member_form",
        "accounts:member_create",
        "/accounts/department/users/new/",
        ("dept_admin",),
    ),
    page(
        "http_member_page",
        "accounts:member_detail",
        lambda s: _with(_member(s), "/accounts/department/users/{pk}/"),
        ("dept_admin",),
    ),
    # The system administrator: accounts and departments.
    page(
        "http_users", "accounts:user_list", "/accounts/users/", ("system_admin", "security_admin")
    ),
    page("http_user_form", "accounts:user_create", "/accounts/users/new/", ("system_admin",)),
    page(
        "http_user_page",
        "accounts:user_detail",
        lambda s: _with(_member(s), "/accounts/users/{pk}/"),
        ("system_admin", "security_admin"),
    ),
    page(
        "http_departments_admin",
        "accounts:department_list",
        "/accounts/departments/",
        ("system_admin",),
    ),
    page(
        "http_department_form",
        "accounts:department_create",
        "/accounts/departments/new/",
        ("system_admin",),
    ),
    # The audit administrator: the log, its export, the chain, the data reads.
    page("http_audit_log", "audit:event_list", "/audit/", ("auditor",)),
    page(
        "http_audit_export",
        "audit:event_export",
        "/audit/export.csv",
        ("auditor",),
        note="the whole audit log streamed as CSV (read to the end)",
    ),
    page("http_audit_chain", "audit:chain_status", "/audit/chain/", ("auditor",)),
    page("http_audit_reads", "audit:data_reads", "/audit/reads/", ("approver",)),
]

API_OPERATIONS = [
    api("api_me", "me_retrieve", "/api/v1/me/"),
    api("api_departments", "departments_list", "/api/v1/departments/"),
    api(
        "api_department",
        "departments_retrieve",
        lambda s: f"/api/v1/departments/{largest_department()}/",
    ),
    api("api_categories", "categories_list", "/api/v1/categories/"),
    api(
        "api_category",
        "categories_retrieve",
        lambda s: _with(_first(Category, code=largest_category()), "/api/v1/categories/{pk}/"),
    ),
    api("api_code_lists", "code_lists_list", "/api/v1/code-lists/"),
    api(
        "api_code_list",
        "code_lists_retrieve",
        lambda s: "/api/v1/code-lists/GB/T 2260/",  # the largest seeded list
    ),
    api("api_systems", "systems_list", "/api/v1/systems/"),
    api(
        "api_system",
        "systems_retrieve",
        lambda s: _with(_largest_system(), "/api/v1/systems/{pk}/"),
    ),
    api(
        "api_resource_versions",
        "resources_versions",
        lambda s: f"/api/v1/resources/{s.detail_pk}/versions/",
    ),
    api(
        "api_resource_activity",
        "resources_activity",
        lambda s: f"/api/v1/resources/{s.detail_pk}/activity/",
    ),
    api(
        "api_resource_rows",
        "resources_rows_list",
        lambda s: _with(_dataset_pk(), "/api/v1/resources/{pk}/rows/"),
    ),
    api(
        "api_resource_quality",
        "resources_quality_retrieve",
        # Readers of the data only (the dataset is unconditional at L3): below its level the
        # answer is a 403 by design, not a page to measure.
        lambda s: (
            _with(_dataset_pk(), "/api/v1/resources/{pk}/quality/") if _reads_dataset(s) else None
        ),
    ),
    api("api_grants", "grants_list", "/api/v1/grants/"),
    api(
        "api_grants_held",
        "grants_list",
        # The grants the subject's own department holds (the web list's "our grants").
        lambda s: _with(s.user.department_id, "/api/v1/grants/?department={pk}"),
    ),
    api(
        "api_grant",
        "grants_retrieve",
        lambda s: _with(_largest_grant(_dept(s)), "/api/v1/grants/{pk}/"),
    ),
    api("api_share_requests", "share_requests_list", "/api/v1/share-requests/"),
    api(
        "api_share_request",
        "share_requests_retrieve",
        lambda s: _with(_largest_request(s), "/api/v1/share-requests/{pk}/"),
    ),
    api("api_corrections", "corrections_list", "/api/v1/corrections/"),
    api(
        "api_correction",
        "corrections_retrieve",
        lambda s: _with(_first(Correction, department=_dept(s)), "/api/v1/corrections/{pk}/"),
    ),
    api("api_conflicts", "conflicts_list", "/api/v1/conflicts/"),
    api(
        "api_conflict",
        "conflicts_retrieve",
        lambda s: _with(_own_link_pk(s), "/api/v1/conflicts/{pk}/"),
    ),
    api(
        "api_conflict_rows",
        "conflicts_rows_retrieve",
        lambda s: _with(_own_link_pk(s), "/api/v1/conflicts/{pk}/rows/"),
    ),
    api("api_interfaces", "interfaces_list", "/api/v1/interfaces/"),
    api(
        "api_interface",
        "interfaces_retrieve",
        lambda s: _with(_first(Interface, status="published"), "/api/v1/interfaces/{pk}/"),
    ),
    api("api_needs", "needs_list", "/api/v1/needs/"),
    api("api_webhooks", "webhooks_list", "/api/v1/webhooks/", ("dept_admin",)),
    api(
        "api_webhook",
        "webhooks_retrieve",
        lambda s: _with(_first(Subscription, department=_dept(s)), "/api/v1/webhooks/{pk}/"),
        ("dept_admin",),
    ),
    api(
        "api_webhook_deliveries",
        "webhooks_deliveries",
        lambda s: _with(
            _first(Subscription, department=_dept(s)), "/api/v1/webhooks/{pk}/deliveries/"
        ),
        ("dept_admin",),
    ),
    api(
        "api_need",
        "needs_retrieve",
        lambda s: _with(_first(Need, requester_department=_dept(s)), "/api/v1/needs/{pk}/"),
    ),
    api("api_notifications", "notifications_list", "/api/v1/notifications/"),
    api(
        "api_notification",
        "notifications_retrieve",
        lambda s: _with(_first(Notification, recipient=s.user.pk), "/api/v1/notifications/{pk}/"),
    ),
]


def _for_staff(scenario: Scenario) -> Scenario:
    """A measured scenario of ``bench.scenarios``: its floors assume the staff picks."""
    applies = scenario.applies
    return replace(scenario, applies=lambda s: s.kind in STAFF and applies(s))


ALL_SCENARIOS: list[Scenario] = [
    *map(_for_staff, SCENARIOS),
    *STAFF_PAGES,
    *ROLE_PAGES,
    *API_OPERATIONS,
]


# --- subjects ---------------------------------------------------------------------------------


def _holder(role: str, department: int | None = None) -> User | None:
    users = User.objects.filter(role_assignments__role=role, is_active=True)
    if department is not None:
        users = users.filter(department=department)
    return users.select_related("department").order_by("pk").first()


def _most_users() -> int | None:
    return (
        User.objects.values("department")
        .annotate(n=Count("id"))
        .order_by("-n", "department")
        .values_list("department", flat=True)
        .first()
    )


def role_subjects() -> list[Subject]:
    """One holder of each role whose pages no staff subject reaches, from the seeded data."""
    picks: list[tuple[str, str, User | None]] = [
        ("editor, most resources", "editor", _holder(Role.EDITOR, largest_department())),
        (
            "department admin, most users",
            "dept_admin",
            _holder(Role.DEPARTMENT_ADMIN, _most_users()),
        ),
        ("system admin", "system_admin", _holder(Role.SYSTEM_ADMIN)),
        ("security admin", "security_admin", _holder(Role.SECURITY_ADMIN)),
        ("audit admin", "auditor", _holder(Role.AUDIT_ADMIN)),
    ]
    found = dataset_resource()
    if found is not None:
        picks.append(
            (
                "approver of the dataset",
                "provider_approver",
                _holder(Role.APPROVER, found[0].provider_id),
            )
        )
    approvers = _approvers_by_waiting()
    if approvers:
        picks.append(("approver, most waiting", "approver", approvers[-1][0]))
    result = []
    for label, kind, user in picks:
        if user is not None:
            result.append(Subject(label, user, 0, 0, kind=kind))
    return result


def all_subjects() -> list[Subject]:
    """The staff picks and the coordinator of ``subjects()``, then one holder of each role."""
    people = subjects()
    for subject in people:
        if subject.user.has_role(Role.COORDINATOR):
            subject.kind = "coordinator"
    return [*people, *role_subjects()]
