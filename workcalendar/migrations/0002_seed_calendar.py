"""Fill the calendar from chinese-calendar, and keep any schedule set through the old settings.

Before the calendar was data, an operator could add a year the package did not cover through
the environment variables PORTAL_EXTRA_HOLIDAYS and PORTAL_EXTRA_WORKDAYS (ISO dates, comma-
separated). Their dates are moved into the table here, their years marked official (they were
the official schedule), and the settings are read no more.
"""

import os
from datetime import date

from django.db import migrations

from workcalendar.seeding import seed_from_package

SETTINGS_SOURCE = "settings PORTAL_EXTRA_HOLIDAYS / PORTAL_EXTRA_WORKDAYS"


def _dates(name):
    return [date.fromisoformat(d.strip()) for d in os.environ.get(name, "").split(",") if d.strip()]


def forwards(apps, schema_editor):
    year_model = apps.get_model("workcalendar", "CalendarYear")
    day_model = apps.get_model("workcalendar", "CalendarDay")
    seed_from_package(year_model, day_model)
    for name, kind, label in (
        ("PORTAL_EXTRA_HOLIDAYS", "holiday", "节假日"),
        ("PORTAL_EXTRA_WORKDAYS", "workday", "调休上班"),
    ):
        for day in _dates(name):
            calendar, _ = year_model.objects.get_or_create(
                year=day.year, defaults={"official": True, "source": SETTINGS_SOURCE}
            )
            if not calendar.official:
                calendar.official = True
                calendar.source = SETTINGS_SOURCE
                calendar.save()
            day_model.objects.update_or_create(
                day=day,
                defaults={"calendar": calendar, "kind": kind, "name": label, "source": SETTINGS_SOURCE},
            )


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
