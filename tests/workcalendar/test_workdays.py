"""Working days counted from the calendar table: official years, provisional years, caching."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workcalendar.models import CalendarDay, CalendarYear
from workcalendar.services import DayRange, year_make_official, year_schedule_set
from workcalendar.workdays import (
    add_working_days,
    deadline_after,
    is_official,
    is_workday,
    load_year,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def test_2026_comes_from_the_table_seeded_from_the_package():
    row = CalendarYear.objects.get(year=2026)
    assert row.official and row.source.startswith("chinese-calendar")
    national_day = CalendarDay.objects.get(day=date(2026, 10, 1))
    assert (national_day.kind, national_day.name) == ("holiday", "国庆节")
    assert CalendarDay.objects.get(day=date(2026, 10, 10)).kind == "workday"
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= set(range(2004, 2027))


def test_national_day_2026_counts_the_adjusted_saturday():
    # Oct 1-7 are off; Saturday Oct 10 is a working day (调休). Counting from Sep 30:
    # Oct 8, 9, 10(Sat), 12, 13, 14, 15, 16, 19, 20.
    assert not is_workday(date(2026, 10, 1)) and not is_workday(date(2026, 10, 7))
    assert is_workday(date(2026, 10, 10))
    assert deadline_after(date(2026, 9, 30), 10) == (date(2026, 10, 20), False)


def test_the_table_decides_not_the_package():
    # Remove the adjusted Saturday from the table: the count follows the table.
    CalendarDay.objects.filter(day=date(2026, 10, 10)).delete()
    assert load_year(2026).is_workday(date(2026, 10, 10)) is False


def test_spring_festival_2026_counts_both_adjusted_saturdays():
    assert is_workday(date(2026, 2, 14)) and is_workday(date(2026, 2, 28))
    assert not is_workday(date(2026, 2, 16)) and not is_workday(date(2026, 2, 23))
    assert add_working_days(date(2026, 2, 12), 10) == date(2026, 3, 4)


def test_working_days_left_and_overdue():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 20)) == 10
    assert working_days_between(date(2026, 10, 20), date(2026, 10, 20)) == 0
    assert working_days_between(date(2026, 10, 22), date(2026, 10, 20)) == -2


def test_a_year_not_official_is_counted_from_the_regulation_and_provisional():
    assert not is_official(2027)
    # Thu 2026-12-24: Dec 25, 28, 29, 30, 31, (Jan 1 元旦 off, weekend), Jan 4, 5, 6, 7, 8.
    assert deadline_after(date(2026, 12, 24), 10) == (date(2027, 1, 8), True)
    assert not is_workday(date(2027, 1, 1))
    # The lunar holidays come from the regulation too: 2027's Spring Festival from 除夕 (Feb 5).
    assert not is_workday(date(2027, 2, 5)) and not is_workday(date(2027, 2, 9))
    # A deadline entirely inside an official year is not provisional.
    assert deadline_after(date(2026, 12, 1), 10).provisional is False


def test_table_counts_agree_with_a_day_by_day_walk_across_years():
    def walk(a: date, b: date) -> int:
        low, high, sign = (a, b, 1) if a <= b else (b, a, -1)
        count, day = 0, low
        while day < high:
            day += timedelta(days=1)
            count += is_workday(day)
        return sign * count

    start = date(2025, 12, 20)
    for offset in range(0, 800, 7):
        for length in (0, 1, 5, 9, 17, 40, -3, 400):
            a = start + timedelta(days=offset)
            b = a + timedelta(days=length)
            assert working_days_between(a, b) == walk(a, b), (a, b)


def test_a_change_through_the_services_is_seen_at_once(django_user_model):
    assert deadline_after(date(2026, 12, 24), 10).provisional
    year_schedule_set(
        actor=None,
        year=2027,
        holidays=[DayRange(date(2027, 1, 1), date(2027, 1, 4), "元旦")],
        workdays=[],
    )
    # Entered but not official: still the regulation.
    assert deadline_after(date(2026, 12, 24), 10) == (date(2027, 1, 8), True)
    year_make_official(actor=None, year=2027)
    assert deadline_after(date(2026, 12, 24), 10) == (date(2027, 1, 11), False)


def test_schedules_set_through_the_old_settings_are_moved_into_the_table(monkeypatch):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("workcalendar.migrations.0001_initial")
    monkeypatch.setenv("PORTAL_EXTRA_HOLIDAYS", "2027-01-01, 2027-02-08")
    monkeypatch.setenv("PORTAL_EXTRA_WORKDAYS", "2027-02-20")
    migration.forwards(apps, None)
    year = CalendarYear.objects.get(year=2027)
    assert year.official and "PORTAL_EXTRA" in year.source
    assert dict(year.days.values_list("day", "kind")) == {
        date(2027, 1, 1): "holiday",
        date(2027, 2, 8): "holiday",
        date(2027, 2, 20): "workday",
    }
    # Running it again changes nothing (the package's years are already there).
    migration.forwards(apps, None)
    assert CalendarDay.objects.filter(calendar__year=2027).count() == 3
