"""Fill the calendar from the chinese-calendar package (used by the data migration and tests).

Takes the model classes as arguments so that a migration can pass its historical models.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

PACKAGE_SOURCE = "chinese-calendar"


def package_schedule() -> dict[int, list[tuple[date, str, str]]]:
    """Return, per year the package covers, its (day, kind, name) rows."""
    from chinese_calendar import constants

    chinese = {holiday.value: holiday.chinese for holiday in constants.Holiday}
    years: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    for day, holiday in constants.holidays.items():
        years[day.year].append((day, "holiday", chinese.get(holiday, str(holiday))))
    for day, holiday in constants.workdays.items():
        years[day.year].append((day, "workday", chinese.get(holiday, str(holiday))))
    return dict(years)


def seed_from_package(year_model: Any, day_model: Any) -> list[int]:
    """Add every year the package covers and the calendar does not hold yet; return them."""
    import chinese_calendar

    source = f"{PACKAGE_SOURCE} {chinese_calendar.__version__}"
    known = set(year_model.objects.values_list("year", flat=True))
    added = []
    for year, rows in sorted(package_schedule().items()):
        if year in known:
            continue
        calendar = year_model.objects.create(year=year, official=True, source=source)
        day_model.objects.bulk_create(
            day_model(calendar=calendar, day=day, kind=kind, name=name, source=source)
            for day, kind, name in sorted(rows)
        )
        added.append(year)
    return added
