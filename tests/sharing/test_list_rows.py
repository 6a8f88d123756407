"""The request and grant rows written in Python write what their former templates wrote.

``tests/sharing/reference/request_table.html`` and ``reference/grant_list.html`` are the
templates as they were before their rows moved to ``sharing.templatetags.sharing_rows``. Both
are rendered with the same context, for every state a row shows (each status; a reply due,
overdue, due soon, provisional or not due at all; grants in force, ending soon, approved for
later, past their end, expired, revoked, scoped to a region, with items in clear; names that
look like HTML), in both languages, and must agree byte for byte. The pages that include the
request table are checked against the former table as well.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from accounts.models import Level
from sharing import selectors, services
from sharing.models import Grant, RequestLine, RequestStatus, ShareRequest
from tests import builders

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference"
LANGUAGES = ["zh-hans", "en"]
HTML_NAME = "<b>x</b>&amp;"


def _reference(name: str):
    return engines["django"].from_string((REFERENCE / name).read_text())


# --- requests ---------------------------------------------------------------------------------


@pytest.fixture
def request_rows():
    """Requests in every status and deadline state a row shows, as the lists read them."""
    requester = builders.department(f"{HTML_NAME} 市民政局")
    provider = builders.department(f"市'数据'局 {HTML_NAME}")
    user = builders.user(requester)
    resources = [
        builders.resource(provider, name=f"{HTML_NAME} 人口信息"),
        builders.resource(provider, name='法人 "基础" 信息'),
        builders.resource(provider, name="不动产登记"),
    ]
    today = timezone.localdate()
    now = timezone.now()
    decided = {"decided_at": now - timedelta(days=2), "decision_reason": "依据 <不足> & 其他"}
    states = [
        # status, due date, provisional, the other fields the status needs
        (RequestStatus.SUBMITTED, today - timedelta(days=3), False, {}),  # overdue
        (RequestStatus.SUBMITTED, today + timedelta(days=1), True, {}),  # due soon, provisional
        (RequestStatus.SUBMITTED, today + timedelta(days=20), False, {}),
        (RequestStatus.SIGNOFF, None, False, {}),
        (RequestStatus.CHANGES_REQUESTED, None, False, {"changes_comment": "请补充"}),  # returned
        (RequestStatus.APPROVED, today - timedelta(days=5), False, decided),
        (RequestStatus.REJECTED, today - timedelta(days=1), True, decided),
        (RequestStatus.NEGOTIATION, today + timedelta(days=400), True, {}),
        (RequestStatus.REFUSED, None, False, decided),
        (RequestStatus.WITHDRAWN, today + timedelta(days=2), False, {}),
    ]
    made = []
    for n, (status, due, provisional, extra) in enumerate(states):
        # Written directly in each state: what is under test is how a row reads, not how a
        # request gets there (tests/sharing/test_state_machine.py).
        share_request = ShareRequest.objects.create(
            requester_department=requester,
            requested_by=user,
            provider=provider,
            status=status,
            legal_basis="《政务数据共享条例》",
            purpose="administrative",
            scenario="测试",
            valid_from=today,
            valid_until=today + timedelta(days=90),
            submitted_at=now - timedelta(days=n),
            due_date=due,
            due_date_provisional=provisional,
            **extra,
        )
        # The first names all three resources, the others one each.
        for resource in resources if n == 0 else [resources[n % len(resources)]]:
            line = RequestLine.objects.create(request=share_request, resource=resource)
            line.items.set(resource.items.all())
        made.append(share_request.pk)
    rows = selectors.listing_rows(ShareRequest.objects.filter(pk__in=made)).order_by("pk")
    return Paginator(rows, 50).get_page(1)


def _both_tables(context: dict) -> tuple[str, str]:
    reference = _reference("request_table.html").render(context)
    current = get_template("sharing/includes/request_table.html").render(context)
    return reference, current


@pytest.mark.parametrize("language", LANGUAGES)
def test_request_rows_write_what_the_template_wrote(request_rows, language):
    with override(language):
        reference, current = _both_tables({"requests": request_rows})
    assert current == reference
    assert current.count("<tr>") == 11  # the head and ten rows
    assert current.count("text-bg-warning") == 3  # the provisional deadlines
    assert current.count("<td>—") == 3  # no reply due
    assert "<b>" not in current and "&lt;b&gt;x&lt;/b&gt;&amp;amp;" in current
    assert "、" in current  # the first request's three resources
    assert ("Refused after coordination" if language == "en" else "协调后不予共享") in current


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_requests_reads_the_same(language):
    with override(language):
        for context in ({"requests": []}, {"requests": Paginator([], 20).get_page(1)}, {}):
            reference, current = _both_tables(context)
            assert current == reference
            assert 'colspan="6"' in current


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_with_the_request_table_write_the_former_table(client, world, language):
    """The request lists, the coordination queue and a figure's requests, as users see them."""
    for key, approver in (("r_cons_1", "prov_approver_4"), ("r_other_2", "prov_approver_4")):
        request = world.requests[key]
        services.share_request_decide(
            actor=world.user(approver), request=request, decision="reject", reason="<否>"
        )
    services.share_request_escalate(
        actor=world.user("cons_staff_3"), request=world.requests["r_cons_1"], reason="请协调"
    )
    pages = [
        ("cons_staff_3", reverse("sharing:request_list")),
        ("prov_approver_4", reverse("sharing:request_list") + "?side=received"),
        ("coordinator_4", reverse("sharing:negotiation_list")),
        ("coordinator_4", reverse("accountability:request_drilldown")),
    ]
    for user_key, url in pages:
        client.force_login(world.user(user_key))
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        page = response.context["page_obj"]
        assert len(page.object_list), url
        with override(language):
            table = _reference("request_table.html").render({"requests": page})
        assert table in response.content.decode(), url


# --- grants -----------------------------------------------------------------------------------


@pytest.fixture
def grant_rows():
    """Grants in every state a row shows, with their item counts, as the list reads them."""
    provider = builders.department(f"{HTML_NAME} 市公安局")
    consumers = [
        builders.department(f"{HTML_NAME} 瑶海区民政局", region_code="340102"),
        builders.department("市人社局"),
        builders.department("市'卫健'委"),
    ]
    items = [
        builders.item("编号", is_key=True),
        builders.item("身份证号", kind="id_number"),
        builders.item("姓名", kind="name"),
    ]
    resources = [
        builders.resource(provider, name=f"{HTML_NAME} 户籍信息", items=items),
        builders.resource(provider, name='"常住" 人口'),
        builders.resource(provider, name="车辆登记"),
    ]
    now = timezone.now()
    local_midnight = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=41), datetime.min.time())
    )

    def grant(resource, department, start, end, **kwargs):
        return services.grant_create(
            actor=None,
            resource=resource,
            department=department,
            items=list(resource.items.all()),
            valid_from=start,
            valid_until=end,
            **kwargs,
        )

    # Ended before the periodic task tidied them: expired.
    grant(resources[2], consumers[0], now - timedelta(days=40), now - timedelta(days=3))
    services.grants_expire()
    personal = list(resources[0].items.filter(kind__in=["id_number", "name"]))
    made = [
        # In force, scoped to the district's rows, two items in clear.
        grant(
            resources[0],
            consumers[0],
            now - timedelta(days=1),
            now + timedelta(days=90),
            row_scope_region="340102",
            clear_items=personal,
            clear_reason="依据 <条例> & 规定",
        ),
        # Ending within the month, on a local midnight (its last day is the day before).
        grant(resources[1], consumers[0], now - timedelta(days=1), local_midnight),
        grant(resources[1], consumers[1], now - timedelta(days=5), now + timedelta(days=3)),
        # Approved for later.
        grant(resources[0], consumers[1], now + timedelta(days=10), now + timedelta(days=100)),
        # Past its end, not tidied yet.
        grant(resources[2], consumers[1], now - timedelta(days=30), now - timedelta(hours=1)),
        grant(resources[0], consumers[2], now - timedelta(days=30), now + timedelta(days=30)),
    ]
    services.grant_revoke(actor=None, grant=made[-1], reason="撤销 <原因>")
    grants = Grant.objects.filter(provider=provider).select_related(
        "resource__provider", "department"
    )
    listed = selectors.grants_count_items(grants.order_by("pk"))
    assert {g.status for g in listed} == {"active", "expired", "revoked"}
    return listed


def _grant_page(rows, **context) -> tuple[str, str]:
    user = builders.user(builders.department(), clearance=Level.L4)
    request = RequestFactory().get("/sharing/grants/?side=provider&x=<y>")
    request.user = user
    page = Paginator(rows, 20).get_page(1)
    values = {
        "page_obj": page,
        "side": "provider",
        "status": "",
        "statuses": Grant.Status.choices,
        # The page's CSRF token is masked anew on each rendering: the same one for both.
        "csrf_token": "tok<en>",
        **context,
    }
    reference = _reference("grant_list.html").render(values, request)
    current = get_template("sharing/grant_list.html").render(values, request)
    return reference, current


@pytest.mark.parametrize("language", LANGUAGES)
def test_grant_rows_write_what_the_template_wrote(grant_rows, language):
    with override(language):
        reference, current = _grant_page(grant_rows)
    assert current == reference
    assert current.count('<a href="/sharing/grants/') == 7
    assert "<b>" not in current and "&lt;b&gt;x&lt;/b&gt;&amp;amp;" in current
    local_last = timezone.localdate() + timedelta(days=40)
    assert f"<td>{local_last.isoformat()}</td>" in current
    if language == "en":
        assert "Approved, in force from" in current and "Revoked" in current
    else:
        assert "起生效" in current and "已撤销" in current


@pytest.mark.parametrize("language", LANGUAGES)
def test_grant_rows_without_their_counts_or_any_grant(grant_rows, language):
    for grant in grant_rows:
        del grant.item_count  # the template wrote nothing for a count not set
    with override(language):
        reference, current = _grant_page(grant_rows, status="active", side="expiring")
        assert current == reference
        reference, current = _grant_page([])
        assert current == reference
        assert 'colspan="6"' in current
