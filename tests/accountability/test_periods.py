"""Periods, cycle windows and the legal-basis check."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from accountability.periods import PeriodError, add_months, parse_period
from accountability.rules import cites_legal_basis, cycle_threshold


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        (" 2026-12 ", date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_periods(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["", "2026-Q0", "2026-13", "2026-7", "abc", "1999", "2026/07"])
def test_bad_periods_are_refused_with_a_message(text):
    with pytest.raises(PeriodError) as error:
        parse_period(text)
    assert "2026-Q3" in str(error.value)


def test_months_of_a_quarter_and_month_arithmetic():
    assert [m.key for m in parse_period("2026-Q2").months()] == ["2026-04", "2026-05", "2026-06"]
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_cycle_windows():
    as_of = timezone.make_aware(datetime(2026, 3, 31, 12, 0))
    assert cycle_threshold("daily", as_of) == timezone.make_aware(datetime(2026, 3, 30, 12, 0))
    assert cycle_threshold("dekad", as_of).date() == date(2026, 3, 21)
    assert cycle_threshold("monthly", as_of).date() == date(2026, 2, 28)
    assert cycle_threshold("semiannual", as_of).date() == date(2025, 9, 30)


@pytest.mark.parametrize(
    "reason,cites",
    [
        ("依据《政务数据共享条例》第十五条不予提供", True),
        ("涉及国家秘密，依保密法不予共享", True),
        ("不同意", False),
        ("数据正在整理中，暂时无法提供，请稍后再申请", False),
        ("法人单位数据涉及商业秘密，没办法提供", False),
        ("根据本局第三条内部要求", True),
    ],
)
def test_legal_basis_check(reason, cites):
    assert cites_legal_basis(reason) is cites
