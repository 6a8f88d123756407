"""Keeping the calendar: validation, imports, official years, provisional deadlines recounted."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from audit.models import AuditEvent
from needs import services as need_services
from sharing import services as sharing_services
from sharing.models import Correction, Notification, ShareRequest
from sharing.services.periodic import sharing_sweep
from tests import sampling
from tests.needs import helpers as need_builders
from tests.sharing.conftest import submit
from workcalendar import services
from workcalendar.checks import CHECK_ID, next_year_official
from workcalendar.files import template_csv, template_xlsx
from workcalendar.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

HOLIDAYS_2027 = (
    "2027-01-01 至 2027-01-04 元旦\n2027-02-05 至 2027-02-11 春节\n2027-10-01 至 2027-10-07 国庆节"
)
WORKDAYS_2027 = "2027-02-20 春节\n2027-10-09 国庆节"
ANSWERER = "prov_approver_4"


def _snapshot():
    return (
        list(CalendarYear.objects.order_by("year").values_list("year", "official", "source")),
        list(CalendarDay.objects.order_by("day").values_list("day", "kind", "name")),
        AuditEvent.objects.count(),
    )


def test_the_coordinator_enters_a_year_and_it_is_audited(matrix):
    coordinator = matrix.users["coordinator_4"]
    year = services.year_schedule_enter(
        actor=coordinator, year=2027, holidays_text=HOLIDAYS_2027, workdays_text=WORKDAYS_2027
    )
    assert not year.official and "coordinator_4" in year.source
    days = dict(year.days.values_list("day", "kind"))
    assert days[date(2027, 2, 8)] == "holiday" and days[date(2027, 2, 20)] == "workday"
    assert len(days) == 4 + 7 + 7 + 2
    assert year.days.get(day=date(2027, 10, 9)).name == "国庆节"
    event = AuditEvent.objects.get(action="calendar.enter")
    assert event.object_id == str(year.pk) and event.actor_id == coordinator.pk
    assert ["2027-02-05", "2027-02-11", "春节"] in event.details["holidays"]


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ("2027-02-05 至 2027-02-11 春节\n2027-02-10 至 2027-02-12 春节", "", "2027-02-10"),
        ("2027-01-01 元旦", "2027-02-10 春节", "2027-02-10"),  # a Wednesday as 调休
        ("2026-12-31 至 2027-01-01 元旦", "", "2027"),  # outside the year
        ("2027-01-01 元旦", "2027-01-02 元旦", None),  # Sat 2 Jan fine; see next
        ("2027-01-01 至 2027-01-03 元旦", "2027-01-02 元旦", "2027-01-02"),  # both kinds
        ("2027-1-1元旦", "", "2027-1-1元旦"),  # malformed line
        ("2027-02-30 春节", "", "2027-02-30"),  # no such date
        ("2027-02-12 至 2027-02-05 春节", "", "2027-02-12"),  # ends before it starts
        ("2027-01-01 至 2027-03-01 元旦", "", "15"),  # absurdly long
        ("", "2027-01-02", None),  # no holiday at all
        ("2027-01-01", "", None),  # a holiday without a name
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    matrix, holidays, workdays, message
):
    coordinator = matrix.users["coordinator_4"]
    services.year_schedule_enter(
        actor=coordinator, year=2027, holidays_text="2027-01-01 元旦", workdays_text=""
    )
    before = _snapshot()
    if holidays == "2027-01-01 元旦" and workdays == "2027-01-02 元旦":
        # The control case: a Saturday worked after a Friday off is accepted.
        services.year_schedule_enter(
            actor=coordinator, year=2027, holidays_text=holidays, workdays_text=workdays
        )
        return
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.year_schedule_enter(
            actor=coordinator, year=2027, holidays_text=holidays, workdays_text=workdays
        )
    text = " ".join(caught.value.messages)
    if message:
        assert message in text
    assert _snapshot() == before


def test_messages_are_in_the_users_language(matrix):
    coordinator = matrix.users["coordinator_4"]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.year_schedule_enter(
            actor=coordinator,
            year=2027,
            holidays_text="2027-01-01 元旦",
            workdays_text="2027-02-10",
        )
    assert "周六" in " ".join(caught.value.messages)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.year_schedule_enter(
            actor=coordinator,
            year=2027,
            holidays_text="2027-01-01 元旦",
            workdays_text="2027-02-10",
        )
    assert "Saturday" in " ".join(caught.value.messages)


@pytest.mark.parametrize(
    "user_key", ["prov_staff_4", "prov_admin_3", "prov_approver_4", "auditor_2", "cons_staff_3"]
)
def test_only_the_coordinator_keeps_the_calendar(matrix, user_key):
    before = _snapshot()
    user = matrix.users[user_key]
    with pytest.raises(PermissionDenied):
        services.year_schedule_enter(
            actor=user, year=2027, holidays_text="2027-01-01 元旦", workdays_text=""
        )
    with pytest.raises(PermissionDenied):
        services.year_make_official(actor=user, year=2026)
    with pytest.raises(PermissionDenied):
        services.year_reopen(actor=user, year=2026, reason="x")
    assert _snapshot() == before


def test_an_official_year_must_be_reopened_before_it_changes(matrix):
    coordinator = matrix.users["coordinator_4"]
    with pytest.raises(ValidationError, match="2026"):
        services.year_schedule_enter(
            actor=coordinator, year=2026, holidays_text="2026-01-01 元旦", workdays_text=""
        )
    with pytest.raises(ValidationError):
        services.year_reopen(actor=coordinator, year=2026, reason="  ")
    services.year_reopen(actor=coordinator, year=2026, reason="国务院调整放假安排")
    assert not CalendarYear.objects.get(year=2026).official
    event = AuditEvent.objects.get(action="calendar.reopen")
    assert event.details["reason"] == "国务院调整放假安排"


def test_a_year_without_a_schedule_cannot_be_made_official(matrix):
    with pytest.raises(ValidationError, match="2028"):
        services.year_make_official(actor=matrix.users["coordinator_4"], year=2028)
    assert not CalendarYear.objects.filter(year=2028, official=True).exists()


# --- files --------------------------------------------------------------------------------------


def _csv(rows: list[str]) -> bytes:
    return ("\n".join(["开始日期,结束日期,类型,名称", *rows]) + "\n").encode("utf-8-sig")


def test_import_csv_and_xlsx(matrix):
    from openpyxl import Workbook

    coordinator = matrix.users["coordinator_4"]
    services.year_schedule_import(
        actor=coordinator,
        year=2027,
        data=_csv(
            [
                "2027-01-01,,放假,元旦",
                "2027-02-05,2027-02-11,放假,春节",
                "2027-02-20,,调休上班,春节",
            ]
        ),
        filename="2027年放假安排.csv",
    )
    year = CalendarYear.objects.get(year=2027)
    assert "2027年放假安排.csv" in year.source and "coordinator_4" in year.source
    assert year.days.count() == 9 and year.days.filter(kind="workday").count() == 1

    book = Workbook()
    sheet = book.active
    sheet.append(["开始日期", "结束日期", "类型", "名称"])
    sheet.append([date(2027, 1, 1), None, "放假", "元旦"])
    sheet.append(["2027/10/01", "2027/10/07", "放假", "国庆节"])
    buffer = io.BytesIO()
    book.save(buffer)
    services.year_schedule_import(
        actor=coordinator, year=2027, data=buffer.getvalue(), filename="schedule.xlsx"
    )
    assert CalendarYear.objects.get(year=2027).days.count() == 8
    assert AuditEvent.objects.filter(action="calendar.import").count() == 2


def test_a_calendar_file_whose_parse_exceeds_the_memory_limit_is_refused(
    matrix, settings, monkeypatch
):
    from workcalendar import files

    real = files.read_schedule_file

    def greedy(data, filename):
        ballast = bytearray(512 << 20)  # the limit below is 48 MiB
        ballast[-1] = 1
        return real(data, filename)

    monkeypatch.setattr(files, "read_schedule_file", greedy)
    monkeypatch.setattr(services, "read_schedule_file", greedy)
    settings.PORTAL_PARSE_MEMORY_BYTES = 48 << 20
    before = CalendarYear.objects.filter(year=2027).count()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.year_schedule_import(
            actor=matrix.users["coordinator_4"],
            year=2027,
            data=_csv(["2027-01-01,,放假,元旦"]),
            filename="2027.csv",
        )
    assert "too much memory" in refused.value.message_dict["file"][0]
    assert CalendarYear.objects.filter(year=2027).count() == before
    assert not AuditEvent.objects.filter(action="calendar.import").exists()


def test_the_templates_import_once_their_example_rows_fit_the_year(matrix):
    coordinator = matrix.users["coordinator_4"]
    services.year_schedule_import(
        actor=coordinator, year=2027, data=template_csv(2027), filename="template.csv"
    )
    services.year_schedule_import(
        actor=coordinator, year=2027, data=template_xlsx(2027), filename="template.xlsx"
    )
    assert CalendarYear.objects.get(year=2027).days.filter(kind="workday").count() == 1


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"not a workbook", "schedule.xlsx", ".xlsx"),
        (b"PK\x03\x04 broken zip", "schedule.xlsx", ".xlsx"),
        ("日期,名称\n2027-01-01,元旦\n".encode(), "schedule.csv", "开始日期"),
        (_csv(["2027-13-01,,放假,元旦"]), "schedule.csv", "2027-13-01"),
        (_csv(["2027-01-01,,休息,元旦"]), "schedule.csv", "休息"),
        (_csv([]), "schedule.csv", None),
        (_csv(["2027-02-20,,调休上班,春节"]), "schedule.csv", None),  # no holiday
        (_csv(["2027-01-01,,放假,元旦"] * 2), "schedule.csv", "2027-01-01"),  # overlap
        (b"x" * (300 * 1024), "schedule.csv", "KB"),
        (b"2027-01-01", "schedule.pdf", ".csv"),
    ],
)
def test_a_malformed_file_is_refused_and_changes_nothing(matrix, data, filename, message):
    before = _snapshot()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.year_schedule_import(
            actor=matrix.users["coordinator_4"], year=2027, data=data, filename=filename
        )
    if message:
        assert message in " ".join(caught.value.messages)
    assert _snapshot() == before


def test_a_zip_bomb_is_refused_before_it_is_parsed(matrix):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<a>" + "A" * (20 * 1024 * 1024) + "</a>")
    assert len(buffer.getvalue()) < 256 * 1024
    with pytest.raises(ValidationError):
        services.year_schedule_import(
            actor=matrix.users["coordinator_4"],
            year=2027,
            data=buffer.getvalue(),
            filename="bomb.xlsx",
        )


# --- provisional deadlines ---------------------------------------------------------------------


def test_provisional_deadlines_are_recounted_when_the_year_becomes_official(matrix, freeze):
    """The clock at 2026-12-24, 2027 not official: accepted, provisional, recounted later."""
    freeze(date(2026, 12, 24))
    requester = matrix.users["cons_staff_3"]
    (request,) = submit(requester, matrix.resources["pub_cond_1"])
    correction = sharing_services.correction_file(
        actor=requester, resource=matrix.resources["pub_cond_3"], description="数据有误"
    )
    # Weekends and 2027-01-01 skipped; both marked provisional.
    assert (request.due_date, request.due_date_provisional) == (date(2027, 1, 8), True)
    assert (correction.due_date, correction.due_date_provisional) == (date(2027, 1, 8), True)
    Notification.objects.all().delete()

    coordinator = matrix.users["coordinator_4"]
    services.year_schedule_enter(
        actor=coordinator, year=2027, holidays_text=HOLIDAYS_2027, workdays_text=WORKDAYS_2027
    )
    request.refresh_from_db()
    assert request.due_date_provisional  # entered, not yet official
    services.year_make_official(actor=coordinator, year=2027, notice="国办发明电〔2026〕号")

    request.refresh_from_db()
    correction.refresh_from_db()
    # 2027-01-01 to 01-04 are off in the official schedule: one working day later.
    assert (request.due_date, request.due_date_provisional) == (date(2027, 1, 11), False)
    assert (correction.due_date, correction.due_date_provisional) == (date(2027, 1, 11), False)
    moved = AuditEvent.objects.filter(action="deadline.recompute").order_by("sequence")
    assert [(e.object_type, e.details["old"], e.details["new"]) for e in moved] == [
        ("sharing.sharerequest", "2027-01-08", "2027-01-11"),
        ("sharing.correction", "2027-01-08", "2027-01-11"),
    ]
    told = set(
        Notification.objects.filter(kind="deadline_moved").values_list(
            "recipient__username", flat=True
        )
    )
    # Both sides: the requester and the provider's approvers (and editors, for corrections).
    assert {"cons_staff_3", "prov_approver_4", "prov_editor_4"} <= told
    assert "prov_staff_4" not in told
    with translation.override("zh-hans"):
        text = Notification.objects.filter(kind="deadline_moved").first().text
    assert "2027-01-11" in text and "2027-01-08" in text


def test_an_unchanged_deadline_is_confirmed_without_notices(matrix, freeze):
    freeze(date(2026, 12, 24))
    (request,) = submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_1"])
    Notification.objects.all().delete()
    coordinator = matrix.users["coordinator_4"]
    services.year_schedule_enter(
        actor=coordinator, year=2027, holidays_text="2027-01-01 元旦", workdays_text=""
    )
    services.year_make_official(actor=coordinator, year=2027)
    request.refresh_from_db()
    assert (request.due_date, request.due_date_provisional) == (date(2027, 1, 8), False)
    assert not Notification.objects.filter(kind="deadline_moved").exists()
    assert not AuditEvent.objects.filter(action="deadline.recompute").exists()


def test_the_sweep_recounts_deadlines_given_just_before_the_year_became_official(matrix, freeze):
    freeze(date(2026, 12, 24))
    (request,) = submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_1"])
    coordinator = matrix.users["coordinator_4"]
    need = need_builders.routed(
        matrix.users["cons_staff_3"], coordinator, matrix.departments["prov"].pk
    )
    services.year_schedule_enter(
        actor=coordinator, year=2027, holidays_text=HOLIDAYS_2027, workdays_text=""
    )
    # Made official behind the service's back (another process, a restore): the sweep catches up.
    CalendarYear.objects.filter(year=2027).update(official=True)
    from workcalendar.workdays import forget_all

    forget_all()
    from django.core.cache import cache

    cache.clear()
    counts = sharing_sweep()
    # Data needs too, through the calendar's signal (needs sits above sharing).
    assert (counts["deadlines_moved"], counts["need_deadlines_moved"]) == (1, 1)
    request.refresh_from_db()
    need.refresh_from_db()
    assert (request.due_date, request.due_date_provisional) == (date(2027, 1, 11), False)
    assert (need.due_date, need.due_date_provisional) == (date(2027, 1, 11), False)
    assert sharing_sweep()["need_deadlines_moved"] == 0  # recounted once


def test_a_recount_that_fails_leaves_the_year_unofficial(matrix, freeze, monkeypatch):
    freeze(date(2026, 12, 24))
    submit(matrix.users["cons_staff_3"], matrix.resources["pub_cond_1"])
    coordinator = matrix.users["coordinator_4"]
    services.year_schedule_enter(
        actor=coordinator, year=2027, holidays_text=HOLIDAYS_2027, workdays_text=""
    )

    def broken(*args, **kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr("sharing.services.deadlines.notify", broken)
    with pytest.raises(RuntimeError):
        services.year_make_official(actor=coordinator, year=2027)
    assert not CalendarYear.objects.get(year=2027).official
    assert ShareRequest.objects.get().due_date == date(2027, 1, 8)


def test_never_refused_for_want_of_a_calendar_over_the_next_400_days(matrix, monkeypatch):
    """Not frozen: every day from today on, a request and a correction go through the services.

    A sampled run takes every seventh day and every day of the turns of the year, where the
    calendar's years meet (every day under ``--full``).
    """
    from datetime import datetime, time

    requester = matrix.users["cons_staff_3"]
    resource = matrix.resources["pub_cond_1"]
    readable = matrix.resources["pub_unc_1"]  # unconditional: readable on every day
    real_today = timezone.localdate()
    days = [real_today + timedelta(days=offset) for offset in range(400)]
    if not sampling.FULL:
        days = [
            day
            for n, day in enumerate(days)
            if n % 7 == 0 or (day.month, day.day) >= (12, 15) or (day.month, day.day) <= (1, 15)
        ]
    for day in days:
        moment = timezone.make_aware(datetime.combine(day, time(9)))
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        (request,) = submit(requester, resource)
        assert request.due_date > day
        assert request.due_date_provisional == (not _official_through(day, request.due_date))
        sharing_services.share_request_withdraw(actor=requester, request=request)
        correction = sharing_services.correction_file(
            actor=requester, resource=readable, description="数据有误"
        )
        assert correction.due_date > day
    assert ShareRequest.objects.count() == len(days) and Correction.objects.count() == len(days)


def _official_through(start: date, end: date) -> bool:
    return all(
        CalendarYear.objects.filter(year=y, official=True).exists()
        for y in range(start.year, end.year + 1)
    )


# --- warnings ----------------------------------------------------------------------------------


def test_warnings_from_november_until_next_year_is_official(matrix, freeze, settings):
    freeze(date(2026, 10, 31))
    assert next_year_official() == []
    assert sharing_sweep()["calendar_warnings"] == 0

    freeze(date(2026, 11, 1))
    (warning,) = next_year_official()
    assert warning.id == CHECK_ID and "2027" in warning.msg
    assert sharing_sweep()["calendar_warnings"] == 1  # the one coordinator of the matrix
    assert sharing_sweep()["calendar_warnings"] == 0  # once only
    notice = Notification.objects.get(kind="calendar_missing")
    assert notice.recipient == matrix.users["coordinator_4"] and notice.url == "/calendar/2027/"

    coordinator = matrix.users["coordinator_4"]
    services.year_schedule_enter(
        actor=coordinator, year=2027, holidays_text="2027-01-01 元旦", workdays_text=""
    )
    services.year_make_official(actor=coordinator, year=2027)
    assert next_year_official() == []

    settings.PORTAL_CALENDAR_WARN_FROM = "12-15"
    freeze(date(2027, 12, 1))
    assert next_year_official() == []
    freeze(date(2027, 12, 15))
    assert "2028" in next_year_official()[0].msg


def test_manage_py_check_shows_the_warning(matrix, freeze, capsys):
    freeze(date(2026, 12, 2))
    call_command("check")
    captured = capsys.readouterr()
    assert CHECK_ID in captured.err + captured.out


def test_a_routed_needs_provisional_deadline_is_recounted_too(matrix, freeze):
    freeze(date(2026, 12, 24))
    coordinator = matrix.users["coordinator_4"]
    prov = matrix.departments["prov"]
    need = need_builders.routed(matrix.users["cons_staff_3"], coordinator, prov.pk)
    # Ten working days, 2027-01-01 skipped by the national regulation: provisional.
    assert (need.due_date, need.due_date_provisional) == (date(2027, 1, 8), True)
    answered = need_builders.routed(matrix.users["cons_staff_3"], coordinator, prov.pk)
    need_services.need_refuse(actor=matrix.users[ANSWERER], need=answered, reason="《保密法》")
    Notification.objects.all().delete()

    services.year_schedule_enter(
        actor=coordinator, year=2027, holidays_text=HOLIDAYS_2027, workdays_text=WORKDAYS_2027
    )
    services.year_make_official(actor=coordinator, year=2027)

    need.refresh_from_db()
    assert (need.due_date, need.due_date_provisional) == (date(2027, 1, 11), False)
    (moved,) = AuditEvent.objects.filter(action="deadline.recompute")
    assert (moved.object_type, moved.object_id) == ("needs.need", str(need.pk))
    assert (moved.details["old"], moved.details["new"]) == ("2027-01-08", "2027-01-11")
    told = set(
        Notification.objects.filter(kind="deadline_moved").values_list(
            "recipient__username", flat=True
        )
    )
    # The provider's answerers and the filer; nobody else, and nothing about the answered need.
    assert told == {"cons_staff_3", ANSWERER, "prov_approver_2", "prov_admin_3"}
    answered.refresh_from_db()
    assert answered.due_date_provisional  # answered already: its deadline is history
