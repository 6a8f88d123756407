"""Provisional holidays for a year whose official schedule is not in the calendar yet.

The State Council publishes each year's schedule (放假安排) in the previous November or
December. Until the coordinator enters it and marks the year official, the portal still has to
count working days, so it applies the national holiday regulation (《全国年节及纪念日放假办法》,
as revised in 2024: 元旦 1 day, 春节 4 days from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1,
国庆 3) with its lunar dates and the usual make-up days (补假) for holidays that fall on a
weekend. The ``holidays`` package computes exactly that; docs/decisions.md says why it was
chosen. Adjusted working days (调休上班) cannot be predicted, so none are assumed: a provisional
deadline is never earlier than the official one will be for want of a make-up Saturday.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

RULES_SOURCE = "holidays"


@lru_cache(maxsize=64)
def rule_holidays(year: int) -> dict[date, str]:
    """Return the days off the regulation gives in the year, with their Chinese names."""
    return dict(holidays.country_holidays("CN", years=year, language="zh_CN").items())
