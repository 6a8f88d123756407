"""The audit administrator's screens and the providers' "who read our data" page."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.csv_safe import neutralise
from audit.models import AuditEvent
from audit.services import record

from .. import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(matrix):
    return matrix.users["auditor_2"]


def _read(matrix, user_key, resource_key, rows=10):
    resource = matrix.resources[resource_key]
    return record(
        actor=matrix.users[user_key],
        action="data.read",
        obj=resource,
        details={
            "provider": resource.provider_id,
            "items": ["编号", "名称"],
            "rows": rows,
            "grant": None,
        },
    )


def _export(client, **params) -> list[list[str]]:
    response = client.get(reverse("audit:event_export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_auditor_searches_by_user_action_result_department_and_object(client, matrix, auditor):
    _read(matrix, "cons_staff_3", "pub_unc_1")
    record(actor=None, action="login.failure", result="failure", username="mallory")
    client.force_login(auditor)
    page = client.get(reverse("audit:event_list"), {"username": "mallory"})
    assert [e.action for e in page.context["page"]] == ["login.failure"]
    page = client.get(reverse("audit:event_list"), {"action": "data.", "result": "success"})
    assert {e.action for e in page.context["page"]} == {"data.read"}
    dept = matrix.departments["cons"]
    page = client.get(reverse("audit:event_list"), {"department": dept.pk, "action": "data"})
    assert len(page.context["page"]) == 1
    page = client.get(reverse("audit:event_list"), {"object": "pub_unc_1", "action": "data"})
    assert len(page.context["page"]) == 1


def test_time_range_filter_and_bad_range(client, matrix, auditor):
    client.force_login(auditor)
    today = timezone.localdate()
    page = client.get(
        reverse("audit:event_list"), {"start": today - timedelta(days=1), "end": today}
    )
    assert page.context["page"].total > 0
    page = client.get(reverse("audit:event_list"), {"end": today - timedelta(days=3)})
    assert page.context["page"].total == 0
    bad = client.get(
        reverse("audit:event_list"), {"start": today, "end": today - timedelta(days=1)}
    )
    assert bad.status_code == 200 and bad.context["form"].errors


def test_auditor_sees_nothing_above_their_clearance(client, matrix, auditor):
    _read(matrix, "cons_staff_4", "pub_cond_4")
    client.force_login(auditor)
    page = client.get(reverse("audit:event_list"), {"object": "pub_cond_4"})
    assert page.context["page"].total == 0
    assert "pub_cond_4" not in client.get(reverse("audit:event_list")).content.decode()
    rows = _export(client)
    assert not any("pub_cond_4" in cell for row in rows for cell in row)


def test_export_neutralises_formulas_and_is_audited(client, matrix, auditor):
    record(actor=None, action="login.failure", result="failure", username="=cmd|' /C calc'!A0")
    client.force_login(auditor)
    rows = _export(client, action="login.failure")
    assert rows[0][:2] == ["序号", "时间"]
    users = [row[2] for row in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in users
    assert AuditEvent.objects.filter(action="audit.export", actor=auditor).exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86", "'+86"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("张三", "张三"),
        (None, ""),
        (3, "3"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def _sequences(response) -> list[int]:
    return [event.sequence for event in response.context["page"]]


def test_list_pages_by_sequence_and_its_query_count_does_not_grow(
    client, matrix, auditor, django_assert_max_num_queries
):
    client.force_login(auditor)
    client.get(reverse("audit:event_list"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("audit:event_list"))
    # Read now: the captured queries are a slice of a log that later queries roll over.
    small_count = len(small.captured_queries)
    for _n in range(120):
        _read(matrix, "cons_staff_3", "pub_unc_1")
    visible = list(
        AuditEvent.objects.filter(level__lte=auditor.clearance)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
    )
    first = client.get(reverse("audit:event_list"))
    assert _sequences(first) == visible[:50]
    assert first.context["page"].newer is None
    # Older pages by the last sequence shown, never by an offset; the count is of the whole set.
    older = first.context["page"].older
    with django_assert_max_num_queries(small_count + 1):
        second = client.get(reverse("audit:event_list"), {"before": older})
    assert _sequences(second) == visible[50:100]
    assert second.context["page"].total == len(visible)
    # Back to the newer page, still newest first; the newest page has no newer link.
    back = client.get(reverse("audit:event_list"), {"after": second.context["page"].newer})
    assert _sequences(back) == visible[:50]
    assert back.context["page"].newer is None
    last = client.get(reverse("audit:event_list"), {"before": visible[-11]})
    assert _sequences(last) == visible[-10:] and last.context["page"].older is None
    # A malformed cursor is ignored: the newest page.
    for junk in ("abc", "-5", "1e9", "99999999999999999999999", "²", "١٢"):
        response = client.get(reverse("audit:event_list"), {"before": junk})
        assert response.status_code == 200 and _sequences(response) == visible[:50]


def test_the_count_stops_at_the_cap(client, matrix, auditor, monkeypatch):
    from kernel import keyset

    monkeypatch.setattr(keyset, "COUNT_CAP", 5)
    monkeypatch.setattr(keyset.keyset_page, "__kwdefaults__", {"count_cap": 5})
    for _n in range(8):
        _read(matrix, "cons_staff_3", "pub_unc_1")
    client.force_login(auditor)
    page = client.get(reverse("audit:event_list")).context["page"]
    assert (page.total, page.total_capped) == (5, True)
    assert "超过 5 条" in client.get(reverse("audit:event_list")).content.decode()


def test_without_a_search_the_log_shows_the_last_thirty_days(client, matrix, auditor):
    _read(matrix, "cons_staff_3", "pub_unc_1")
    client.force_login(auditor)
    response = client.get(reverse("audit:event_list"))
    start = timezone.localdate() - timedelta(days=29)
    assert response.context["form"].initial["start"] == start
    assert f'value="{start:%Y-%m-%d}"' in response.content.decode()
    since = AuditEvent.objects.filter(
        level__lte=auditor.clearance,
        created_at__gte=timezone.make_aware(datetime.combine(start, time.min)),
    )
    assert response.context["page"].total == since.count() > 0
    # The export without a search covers the same days.
    assert len(_export(client)) - 1 == since.count()


def test_the_auditor_is_told_how_many_events_the_clearance_hides(client, matrix, auditor):
    _read(matrix, "cons_staff_4", "pub_cond_4")
    _read(matrix, "cons_staff_4", "pub_cond_4")
    _read(matrix, "cons_staff_3", "pub_cond_3")
    client.force_login(auditor)
    hidden_above = AuditEvent.objects.filter(level__gt=auditor.clearance)
    response = client.get(reverse("audit:event_list"), {"object": "pub_cond"})
    hidden = hidden_above.filter(object_repr__icontains="pub_cond").count()
    assert response.context["hidden"] == hidden >= 2
    text = response.content.decode()
    assert f"{hidden} 条符合本次查询的事件涉及高于您密级" in text and "pub_cond_4" not in text
    # A search that matches nothing hidden says nothing.
    response = client.get(reverse("audit:event_list"), {"object": "pub_unc_1"})
    assert response.context["hidden"] == 0 and "高于您密级" not in response.content.decode()
    # The chain page says that verification covers the hidden events too.
    chain = client.get(reverse("audit:chain_status"))
    assert chain.context["hidden"] == hidden_above.count() > 0
    # An auditor cleared for everything is told nothing is hidden.
    top = builders.user(builders.department(), clearance=4, roles=(Role.AUDIT_ADMIN,))
    client.force_login(top)
    response = client.get(reverse("audit:event_list"), {"object": "pub_cond"})
    assert response.context["hidden"] == 0
    assert (
        response.context["page"].total
        == AuditEvent.objects.filter(object_repr__icontains="pub_cond").count()
    )


def test_chain_status_page(client, matrix, auditor):
    client.force_login(auditor)
    assert client.get(reverse("audit:chain_status")).status_code == 200
    response = client.post(reverse("audit:chain_status"))
    assert response.context["report"].ok
    assert AuditEvent.objects.filter(action="audit.verify", actor=auditor).exists()


# --- who read our data ----------------------------------------------------------------------


def test_provider_approver_sees_reads_of_own_data_only(client, matrix):
    _read(matrix, "cons_staff_3", "pub_cond_3", rows=42)
    _read(matrix, "cons_staff_4", "pub_cond_4")
    _read(matrix, "prov_staff_4", "other_cond_2")  # prov reading another department's data
    client.force_login(matrix.users["prov_approver_4"])
    page = client.get(reverse("audit:data_reads"))
    events = list(page.context["page"])
    assert {e.object_id for e in events} == {
        str(matrix.resources["pub_cond_3"].pk),
        str(matrix.resources["pub_cond_4"].pk),
    }
    content = page.content.decode()
    assert "cons_staff_3" in content and "42" in content and "编号、名称" in content
    assert "other_cond_2" not in content


def test_low_clearance_approver_does_not_see_reads_above_it(client, matrix):
    _read(matrix, "cons_staff_4", "pub_cond_4")
    _read(matrix, "cons_staff_3", "pub_unc_2")
    client.force_login(matrix.users["prov_approver_2"])
    content = client.get(reverse("audit:data_reads")).content.decode()
    assert "pub_unc_2" in content and "pub_cond_4" not in content


@pytest.mark.parametrize("user_key", ["prov_staff_4", "prov_editor_4", "auditor_2", "nodept_4"])
def test_others_are_refused_the_provider_page(client, matrix, user_key):
    client.force_login(matrix.users[user_key])
    assert client.get(reverse("audit:data_reads")).status_code == 403


def test_consumer_approver_sees_reads_of_their_own_department_data_only(client, matrix):
    _read(matrix, "cons_staff_3", "pub_cond_3")
    client.force_login(matrix.users["cons_approver_4"])
    page = client.get(reverse("audit:data_reads"))
    assert page.context["page"].total == 0


def test_department_admin_sees_the_provider_page(client, matrix):
    _read(matrix, "cons_staff_3", "pub_unc_1")
    admin = builders.user(matrix.departments["prov"], roles=(Role.STAFF, Role.DEPARTMENT_ADMIN))
    client.force_login(admin)
    assert client.get(reverse("audit:data_reads")).context["page"].total == 1


def test_actions_show_in_the_readers_language_with_the_code_beside(client, matrix, auditor):
    record(actor=None, action="share_request.settle_approve")
    client.force_login(auditor)
    page = client.get(reverse("audit:event_list")).content.decode()
    assert "协调机构裁定批准共享申请" in page
    assert "<code>share_request.settle_approve</code>" in page
    english = client.get(reverse("audit:event_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Share request approved by the coordinator" in english


def test_action_filter_accepts_words_of_the_readable_name(client, matrix, auditor):
    record(actor=None, action="login.failure", result="failure", username="mallory")
    record(actor=None, action="logout")
    record(actor=None, action="grant.create")
    client.force_login(auditor)
    page = client.get(reverse("audit:event_list"), {"action": "登录"})
    assert {e.action for e in page.context["page"]} >= {"login.failure", "logout"}
    assert "grant.create" not in {e.action for e in page.context["page"]}
    page = client.get(reverse("audit:event_list"), {"action": "login"})
    assert "login.failure" in {e.action for e in page.context["page"]}
    assert {e.action for e in page.context["page"]} <= {"login.failure", "login.success"}


def test_export_headers_follow_the_readers_language(client, matrix, auditor):
    record(actor=None, action="otp.verify")
    client.force_login(auditor)
    rows = _export(client, action="otp.verify")
    assert rows[0][4:6] == ["操作", "操作名称"]
    assert rows[1][4:6] == ["otp.verify", "双因素验证码校验"]
    english = client.get(
        reverse("audit:event_export"), {"action": "otp"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    text = b"".join(english.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert text.startswith("sequence,time,user,department,action,action name")


def test_every_recorded_action_has_a_readable_name():
    import ast
    from pathlib import Path

    from django.conf import settings

    from audit.actions import ACTION_LABELS

    root = Path(settings.BASE_DIR)
    codes: set[str] = set()
    apps = (
        "accounts",
        "audit",
        "catalog",
        "sharing",
        "datasets",
        "exchange",
        "needs",
        "workcalendar",
        "accountability",
    )
    for app in apps:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(call, ast.Call) or (
                    # a management command's argparse options are not audit actions
                    isinstance(call.func, ast.Attribute) and call.func.attr == "add_argument"
                ):
                    continue
                for node in call.keywords:
                    if node.arg != "action":
                        continue
                    values = [node.value]
                    if isinstance(node.value, ast.IfExp):
                        values = [node.value.body, node.value.orelse]
                    codes |= {
                        v.value
                        for v in values
                        if isinstance(v, ast.Constant) and isinstance(v.value, str)
                    }
    assert codes - set(ACTION_LABELS) == set()


def test_chain_check_names_the_tampered_event_in_the_readers_language(client, matrix, auditor):
    from django.db import connection

    event = record(actor=None, action="otp.verify")
    record(actor=None, action="otp.verify")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_auditevent SET object_repr = 'edited' WHERE id = %s", [event.pk]
        )
    client.force_login(auditor)
    page = client.post(reverse("audit:chain_status")).content.decode()
    assert f"事件 #{event.sequence}" in page and "已被篡改" in page
    assert "was altered" not in page
