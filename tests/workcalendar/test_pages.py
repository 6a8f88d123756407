"""The calendar's pages and admin: who sees what, entering, importing, official, the banner."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from audit.models import AuditEvent
from tests import builders
from workcalendar import services
from workcalendar.files import HEADERS, MAX_FILE_BYTES
from workcalendar.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

HOLIDAYS_2027 = (
    "2027-01-01 元旦\n"
    "2027-02-05 至 2027-02-12 春节\n"
    "2027-04-03 至 2027-04-05 清明节\n"
    "2027-05-01 至 2027-05-05 劳动节\n"
    "2027-06-09 端午节\n"
    "2027-09-15 中秋节\n"
    "2027-10-01 至 2027-10-07 国庆节"
)
WORKDAYS_2027 = "2027-02-20 春节\n2027-05-08 劳动节\n2027-09-26 国庆节\n2027-10-09 国庆节"
HOLIDAY_COUNT = 1 + 8 + 3 + 5 + 1 + 1 + 7

CHANGERS = {"coordinator_4", "sysadmin"}
# Signed in: staff of several departments, an editor, an approver, a department admin, the
# coordinator, the system administrator and the auditor.
USER_KEYS = [
    "prov_staff_1",
    "cons_staff_3",
    "other_editor_3",
    "prov_approver_4",
    "prov_admin_3",
    "coordinator_4",
    "sysadmin",
    "auditor_2",
    "nodept_4",
]


def _zh(msgid: str, **params: object) -> str:
    with override("zh-hans"):
        text = gettext(msgid)
    assert text != msgid, f"not translated: {msgid}"
    return text % params if params else text


@pytest.fixture
def users(matrix):
    found = dict(matrix.users)
    found["sysadmin"] = builders.user(
        matrix.departments["coord"], roles=(Role.SYSTEM_ADMIN,), username="sysadmin", clearance=2
    )
    return found


def _snapshot():
    return (
        list(CalendarYear.objects.order_by("year").values_list("year", "official", "source")),
        list(CalendarDay.objects.order_by("day").values_list("day", "kind", "name")),
        AuditEvent.objects.filter(action__startswith="calendar.").count(),
    )


def _enter(client, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027, **kwargs):
    return client.post(
        reverse("workcalendar:enter", args=[year]),
        {"holidays": holidays, "workdays": workdays},
        **kwargs,
    )


def _upload(client, data: bytes, name: str, year: int = 2027):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(reverse("workcalendar:import", args=[year]), {"file": upload})


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- who sees what -----------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(client, users):
    before = _snapshot()
    for url in (
        reverse("workcalendar:index"),
        reverse("workcalendar:year", args=[2026]),
        reverse("workcalendar:template", args=[2027, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for name in ("enter", "import", "official", "reopen"):
        response = client.post(reverse(f"workcalendar:{name}", args=[2027]), {"reason": "x"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _snapshot() == before


@pytest.mark.parametrize("user_key", USER_KEYS)
def test_every_signed_in_user_reads_the_calendar_and_only_keepers_see_the_forms(
    client, users, user_key
):
    client.force_login(users[user_key])
    keeper = user_key in CHANGERS
    listing = client.get(reverse("workcalendar:index"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert 'data-year="2026"' in body and 'data-year="2004"' in body
    assert ('name="year"' in body) is keeper
    official = client.get(reverse("workcalendar:year", args=[2026])).content.decode()
    assert 'id="calendar-months"' in official and _zh("Official") in official
    assert ('id="calendar-reopen"' in official) is keeper
    assert 'id="calendar-enter"' not in official  # an official year must be reopened first
    provisional = client.get(reverse("workcalendar:year", args=[2027]))
    assert provisional.status_code == 200
    page = provisional.content.decode()
    assert 'id="calendar-provisional-note"' in page
    for marker in ('id="calendar-enter"', 'id="calendar-import"', 'id="calendar-make-official"'):
        assert (marker in page) is keeper, marker
    assert ("/calendar/2027/template.xlsx" in page) is keeper
    # The link in the navigation is for those who keep the calendar.
    home = client.get("/").content.decode()
    assert (f'href="{reverse("workcalendar:index")}"' in home) is keeper


@pytest.mark.parametrize("user_key", sorted(set(USER_KEYS) - CHANGERS))
def test_changes_are_refused_with_403_for_everybody_else(client, users, user_key):
    client.force_login(users[user_key])
    before = _snapshot()
    refusal = _zh("You may not change the working-day calendar.")
    answers = [
        _enter(client),
        _upload(client, "开始日期,结束日期,类型,名称\n2027-01-01,,放假,元旦\n".encode(), "a.csv"),
        client.post(reverse("workcalendar:official", args=[2026]), {"notice": ""}),
        client.post(reverse("workcalendar:reopen", args=[2026]), {"reason": "改"}),
        client.get(reverse("workcalendar:template", args=[2027, "csv"])),
        client.get(reverse("workcalendar:template", args=[2027, "xlsx"])),
    ]
    for response in answers:
        assert response.status_code == 403
        assert refusal in response.content.decode()
    assert _snapshot() == before


def test_get_never_changes_anything_and_posts_need_post(client, users):
    client.force_login(users["coordinator_4"])
    before = _snapshot()
    for name in ("enter", "import", "official", "reopen"):
        assert client.get(reverse(f"workcalendar:{name}", args=[2026])).status_code == 405
    assert client.post(reverse("workcalendar:year", args=[2026])).status_code == 405
    assert _snapshot() == before


def test_years_outside_the_calendar_do_not_exist(client, users):
    client.force_login(users["coordinator_4"])
    assert client.get(reverse("workcalendar:year", args=[1998])).status_code == 404
    assert client.get(reverse("workcalendar:year", args=[2200])).status_code == 404
    assert client.get(reverse("workcalendar:template", args=[2027, "pdf"])).status_code == 404
    assert _enter(client, year=2200).status_code == 404


def test_posts_are_csrf_protected(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["coordinator_4"])
    before = _snapshot()
    assert _enter(client).status_code == 403
    assert (
        client.post(reverse("workcalendar:reopen", args=[2026]), {"reason": "x"}).status_code == 403
    )
    assert _snapshot() == before
    page = client.get(reverse("workcalendar:year", args=[2027])).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 4  # language, log out, and each form


def test_the_list_opens_a_year_for_entry(client, users):
    client.force_login(users["coordinator_4"])
    response = client.get(reverse("workcalendar:index"), {"year": "2031"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workcalendar:year", args=[2031])
    response = client.get(reverse("workcalendar:index"), {"year": "1900"})
    assert response.status_code == 400
    assert "1999" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2031).exists()  # opening is not entering


# --- entering ----------------------------------------------------------------------------------


def test_the_coordinator_enters_2027_and_sees_it(client, users):
    client.force_login(users["coordinator_4"])
    response = _enter(client, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workcalendar:year", args=[2027])
    page = response.content.decode()
    assert _zh(
        "The schedule of %(year)s is saved. Check it, then make it official.", year=2027
    ) in (page)
    calendar = CalendarYear.objects.get(year=2027)
    assert not calendar.official
    assert calendar.days.filter(kind="holiday").count() == HOLIDAY_COUNT
    assert set(calendar.days.filter(kind="workday").values_list("day", flat=True)) == {
        date(2027, 2, 20),
        date(2027, 5, 8),
        date(2027, 9, 26),
        date(2027, 10, 9),
    }
    event = AuditEvent.objects.get(action="calendar.enter")
    assert event.actor_username == "coordinator_4"
    assert ["2027-02-05", "2027-02-12", "春节"] in event.details["holidays"]
    # History on the page: the action in words, the ranges, who.
    history = page.split('id="calendar-history"', 1)[1]
    assert _zh("Schedule entered") in history and "coordinator_4" in history
    assert "2027-02-05 至 2027-02-12 春节" in history
    # Not official yet: the grid still counts the regulation, the entry is shown apart.
    assert 'id="calendar-entered"' in page and 'id="calendar-provisional-note"' in page
    # The entry form starts from what is stored.
    form = response.context["schedule_form"]
    assert "2027-02-05 至 2027-02-12 春节" in form.initial["holidays"]
    assert "2027-10-09 国庆节" in form.initial["workdays"]
    assert _enter(client, holidays=form.initial["holidays"], workdays=form.initial["workdays"])[
        "Location"
    ] == reverse("workcalendar:year", args=[2027])
    assert calendar.days.count() == HOLIDAY_COUNT + 4


@pytest.mark.parametrize(
    ("holidays", "workdays", "msgid", "params"),
    [
        (
            "2027-02-05 至 2027-02-11 春节\n2027-02-10 至 2027-02-12 春节假期",
            "",
            "%(day)s is listed twice (%(first)s and %(second)s): ranges overlap.",
            {"day": "2027-02-10", "first": "春节", "second": "春节假期"},
        ),
        (
            "2027-01-01 元旦",
            "2027-02-10 春节",
            "%(day)s is a weekday: only a Saturday or a Sunday can be an adjusted working day.",
            {"day": "2027-02-10"},
        ),
        (
            "2026-12-31 至 2027-01-01 元旦",
            "",
            "%(range)s is not inside %(year)s.",
            {"range": "2026-12-31 – 2027-01-01", "year": 2027},
        ),
        (
            "2027-01-01 元旦\n1月1日 元旦",
            "",
            "Line %(number)s (“%(line)s”) is not “YYYY-MM-DD 至 YYYY-MM-DD name”.",
            {"number": 2, "line": "1月1日 元旦"},
        ),
        (
            "",
            "2027-01-02",
            "List at least one holiday.",
            {},
        ),
    ],
    ids=["overlap", "weekday-as-workday", "outside-year", "malformed", "no-holiday"],
)
def test_bad_input_shows_the_chinese_message_and_stores_nothing(
    client, users, holidays, workdays, msgid, params
):
    client.force_login(users["coordinator_4"])
    before = _snapshot()
    response = _enter(client, holidays=holidays, workdays=workdays)
    assert response.status_code == 400
    body = response.content.decode()
    assert _zh(msgid, **params) in body
    # What was typed is kept, so it can be corrected.
    assert response.context["schedule_form"]["holidays"].value() == holidays
    assert _snapshot() == before


def test_messages_follow_the_users_language(client, users):
    client.force_login(users["coordinator_4"])
    client.cookies["django_language"] = "en"
    response = _enter(client, holidays="2027-01-01 元旦", workdays="2027-02-10 春节")
    assert response.status_code == 400
    assert "2027-02-10 is a weekday" in response.content.decode()


# --- importing ---------------------------------------------------------------------------------

CSV_2027 = (
    "开始日期,结束日期,类型,名称\n"
    "2027-01-01,,放假,元旦\n"
    "2027-02-05,2027-02-12,放假,春节\n"
    "2027-02-20,,调休上班,春节\n"
).encode()


def test_import_a_csv(client, users):
    client.force_login(users["coordinator_4"])
    response = _upload(client, CSV_2027, "2027.csv")
    assert response.status_code == 302
    calendar = CalendarYear.objects.get(year=2027)
    assert calendar.days.count() == 1 + 8 + 1
    assert "2027.csv" in calendar.source
    event = AuditEvent.objects.get(action="calendar.import")
    page = client.get(reverse("workcalendar:year", args=[2027])).content.decode()
    assert _zh("Schedule imported") in page and event.actor_username in page


def test_import_an_xlsx(client, users):
    client.force_login(users["sysadmin"])
    data = _xlsx(
        [
            (date(2027, 1, 1), None, "放假", "元旦"),
            ("2027-10-01", "2027-10-07", "放假", "国庆节"),
            ("2027-10-09", None, "调休上班", "国庆节"),
        ]
    )
    assert _upload(client, data, "日历.xlsx").status_code == 302
    days = dict(CalendarDay.objects.filter(calendar__year=2027).values_list("day", "kind"))
    assert len(days) == 1 + 7 + 1 and days[date(2027, 10, 9)] == "workday"


@pytest.mark.parametrize(
    ("data", "name", "msgid", "params"),
    [
        (b"this is plain text", "2027.xlsx", "This is not an Excel workbook (.xlsx).", {}),
        (
            "日期,类型\n2027-01-01,放假\n".encode(),
            "2027.csv",
            "The first row must be the template's header: %(header)s.",
            {"header": "，".join(HEADERS)},
        ),
        (
            "开始日期,结束日期,类型,名称\n2027-13-01,,放假,元旦\n".encode(),
            "2027.csv",
            "Row %(line)s: “%(value)s” in column %(column)s is not a date (YYYY-MM-DD).",
            {"line": 2, "value": "2027-13-01", "column": "开始日期"},
        ),
        (
            CSV_2027 + b"\n" * (MAX_FILE_BYTES + 1),
            "2027.csv",
            "The file is larger than %(limit)s KB; a year's schedule is far smaller.",
            {"limit": MAX_FILE_BYTES // 1024},
        ),
        (CSV_2027, "2027.txt", "Upload a .csv or .xlsx file made from the template.", {}),
    ],
    ids=["not-xlsx", "wrong-header", "bad-date", "oversize", "wrong-type"],
)
def test_a_malformed_file_is_refused_and_stores_nothing(client, users, data, name, msgid, params):
    client.force_login(users["coordinator_4"])
    before = _snapshot()
    response = _upload(client, data, name)
    assert response.status_code == 400
    assert _zh(msgid, **params) in response.content.decode()
    assert _snapshot() == before


def test_an_upload_without_a_file_is_refused(client, users):
    client.force_login(users["coordinator_4"])
    before = _snapshot()
    response = client.post(reverse("workcalendar:import", args=[2027]), {})
    assert response.status_code == 400
    assert response.context["import_form"].errors["file"]
    assert _snapshot() == before


def test_the_templates_download_and_import_again_after_editing(client, users):
    client.force_login(users["coordinator_4"])
    csv_answer = client.get(reverse("workcalendar:template", args=[2027, "csv"]))
    assert csv_answer.status_code == 200
    assert csv_answer["Content-Type"].startswith("text/csv")
    assert csv_answer["Content-Disposition"] == 'attachment; filename="calendar-2027.csv"'
    text = csv_answer.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADERS)
    edited = text.replace("2027-02-06,2027-02-12", "2027-02-05,2027-02-11")
    assert _upload(client, edited.encode("utf-8-sig"), "calendar-2027.csv").status_code == 302
    days = set(CalendarDay.objects.filter(calendar__year=2027).values_list("day", flat=True))
    assert date(2027, 2, 5) in days and date(2027, 2, 12) not in days

    xlsx_answer = client.get(reverse("workcalendar:template", args=[2027, "xlsx"]))
    assert xlsx_answer.status_code == 200
    assert xlsx_answer["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx_answer["Content-Disposition"] == 'attachment; filename="calendar-2027.xlsx"'
    book = load_workbook(io.BytesIO(xlsx_answer.content))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    sheet.append(["2027-10-01", "2027-10-07", "放假", "国庆节"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _upload(client, buffer.getvalue(), "calendar-2027.xlsx").status_code == 302
    days = set(CalendarDay.objects.filter(calendar__year=2027).values_list("day", flat=True))
    assert date(2027, 10, 7) in days and date(2027, 2, 12) in days
    assert AuditEvent.objects.filter(action="calendar.import").count() == 2


# --- official and reopened ---------------------------------------------------------------------


def test_mark_official_then_reopen(client, users):
    coordinator = users["coordinator_4"]
    client.force_login(coordinator)
    official_url = reverse("workcalendar:official", args=[2027])
    # Nothing entered yet: refused, with the reason.
    before = _snapshot()
    response = client.post(official_url, {"notice": ""})
    assert response.status_code == 400
    assert _zh("Enter %(year)s's schedule before making it official.", year=2027) in (
        response.content.decode()
    )
    assert _snapshot() == before

    _enter(client)
    response = client.post(official_url, {"notice": "国办发明电〔2026〕7号"}, follow=True)
    page = response.content.decode()
    assert _zh("%(year)s is official: deadlines reaching into it are final.", year=2027) in page
    calendar = CalendarYear.objects.get(year=2027)
    assert calendar.official and calendar.official_by == coordinator
    assert calendar.notice == "国办发明电〔2026〕7号"
    assert 'id="calendar-status"' in page and _zh("Official") in page
    assert 'id="calendar-provisional-note"' not in page
    # The grid now counts the entered days: the adjusted working day is marked.
    assert 'data-date="2027-02-20" data-kind="workday"' in page
    assert 'data-date="2027-02-12" data-kind="holiday"' in page
    history = page.split('id="calendar-history"', 1)[1]
    assert _zh("Made official") in history and "国办发明电〔2026〕7号" in history

    # Reopening needs a reason; without one nothing changes.
    before = _snapshot()
    response = client.post(reverse("workcalendar:reopen", args=[2027]), {"reason": "  "})
    assert response.status_code == 400
    assert _zh("Say why the official schedule must change.") in response.content.decode()
    assert _snapshot() == before
    response = client.post(
        reverse("workcalendar:reopen", args=[2027]),
        {"reason": "国务院调整了端午节安排"},
        follow=True,
    )
    page = response.content.decode()
    assert not CalendarYear.objects.get(year=2027).official
    history = page.split('id="calendar-history"', 1)[1]
    assert _zh("Reopened") in history and "国务院调整了端午节安排" in history
    assert [e.action for e in response.context["history"]] == [
        "calendar.reopen",
        "calendar.official",
        "calendar.enter",
    ]


def test_an_official_year_refuses_a_new_schedule_until_reopened(client, users):
    client.force_login(users["coordinator_4"])
    before = _snapshot()
    response = _enter(client, year=2026, holidays="2026-01-01 元旦", workdays="")
    assert response.status_code == 400
    assert _zh("%(year)s is official. Reopen it before changing its schedule.", year=2026) in (
        response.content.decode()
    )
    assert _snapshot() == before


# --- queries -----------------------------------------------------------------------------------


def test_the_year_page_makes_a_fixed_number_of_queries(
    client, users, django_assert_max_num_queries
):
    """Session, user, roles, the year, its days, its history, the navigation's badges.

    The badges: the sharing queues in one query, the coordinator's review queue in another.
    """
    client.force_login(users["coordinator_4"])
    url = reverse("workcalendar:year", args=[2027])
    _enter(client)  # not official: the entered days are read for the form
    client.get(url)  # warm up: the year's schedule is cached after the first read
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    client.post(reverse("workcalendar:official", args=[2027]), {"notice": "通知"})
    for n in range(3):  # more history and more days do not mean more queries
        client.post(reverse("workcalendar:reopen", args=[2027]), {"reason": f"第{n}次"})
        client.post(reverse("workcalendar:official", args=[2027]), {"notice": ""})
    assert len(client.get(url).context["history"]) == 8
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("workcalendar:index")).status_code == 200


# --- the admin ---------------------------------------------------------------------------------


def test_the_admin_changes_the_calendar_through_the_services(client, users):
    sysadmin = users["sysadmin"]
    sysadmin.is_staff = True
    sysadmin.save(update_fields=["is_staff"])
    client.force_login(sysadmin)
    assert client.get(reverse("admin:workcalendar_calendaryear_changelist")).status_code == 200
    seeded = CalendarYear.objects.get(year=2026)
    change = client.get(reverse("admin:workcalendar_calendaryear_change", args=[seeded.pk]))
    assert change.status_code == 200 and "国庆节" in change.content.decode()
    # The model form writes nothing.
    client.post(
        reverse("admin:workcalendar_calendaryear_change", args=[seeded.pk]), {"official": ""}
    )
    assert CalendarYear.objects.get(year=2026).official
    assert client.get(reverse("admin:workcalendar_calendarday_changelist")).status_code == 200
    add = client.post(reverse("admin:workcalendar_calendaryear_add"), {"year": "2027"})
    schedule = reverse("admin:workcalendar_calendaryear_schedule", args=[2027])
    assert add["Location"] == schedule
    # A bad line: the service's message on the form, nothing stored.
    before = _snapshot()
    bad = client.post(schedule, {"action": "enter", "holidays": "2027-1-1元旦", "workdays": ""})
    assert bad.status_code == 400
    assert (
        _zh(
            "Line %(number)s (“%(line)s”) is not “YYYY-MM-DD 至 YYYY-MM-DD name”.",
            number=1,
            line="2027-1-1元旦",
        )
        in bad.content.decode()
    )
    assert _snapshot() == before
    ok = client.post(
        schedule, {"action": "enter", "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027}
    )
    assert ok.status_code == 302
    assert CalendarDay.objects.filter(calendar__year=2027).count() == HOLIDAY_COUNT + 4
    assert client.post(schedule, {"action": "official", "notice": "通知"}).status_code == 302
    assert CalendarYear.objects.get(year=2027).official
    refused = client.post(schedule, {"action": "reopen", "reason": ""})
    assert refused.status_code == 400 and CalendarYear.objects.get(year=2027).official
    assert client.post(schedule, {"action": "reopen", "reason": "更正"}).status_code == 302
    assert not CalendarYear.objects.get(year=2027).official
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendar.")
        .order_by("sequence")
        .values_list("action", "actor_username")
    )
    assert actions == [
        ("calendar.enter", "sysadmin"),
        ("calendar.official", "sysadmin"),
        ("calendar.reopen", "sysadmin"),
    ]


@pytest.mark.parametrize("user_key", ["prov_staff_1", "prov_admin_3", "auditor_2", "coordinator_4"])
def test_the_admin_is_closed_to_others(client, users, user_key):
    user = users[user_key]
    client.force_login(user)
    schedule = reverse("admin:workcalendar_calendaryear_schedule", args=[2027])
    changelist = reverse("admin:workcalendar_calendaryear_changelist")
    # Without staff status the admin site sends everybody to its own sign-in.
    for url in (changelist, schedule):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    before = _snapshot()
    if user_key == "coordinator_4":  # keeps the calendar: the admin works for them too
        assert client.get(schedule).status_code == 200
        return
    assert client.get(changelist).status_code == 403
    assert client.get(schedule).status_code == 403
    response = client.post(schedule, {"action": "enter", "holidays": HOLIDAYS_2027, "workdays": ""})
    assert response.status_code == 403
    assert _snapshot() == before


# --- the coordinator's dashboard ---------------------------------------------------------------


def test_the_dashboard_warns_from_november_until_next_year_is_official(client, users, freeze):
    coordinator = users["coordinator_4"]
    url = reverse("accountability:dashboard")
    warning = _zh(
        "The working-day calendar for %(year)s is not official yet; deadlines reaching into it "
        "are provisional.",
    ).replace("%(year)s", "2027")
    freeze(date(2026, 10, 31))
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "ranking" in page and 'id="calendar-warning"' not in page
    freeze(date(2026, 11, 1))
    client.force_login(coordinator)  # a day later: the idle session has expired
    page = client.get(url).content.decode()
    assert 'id="calendar-warning"' in page and warning in page
    assert f'href="{reverse("workcalendar:year", args=[2027])}"' in page
    services.year_schedule_enter(
        actor=users["coordinator_4"],
        year=2027,
        holidays_text=HOLIDAYS_2027,
        workdays_text=WORKDAYS_2027,
    )
    assert 'id="calendar-warning"' in client.get(url).content.decode()  # entered, not official
    services.year_make_official(actor=users["coordinator_4"], year=2027)
    assert 'id="calendar-warning"' not in client.get(url).content.decode()
