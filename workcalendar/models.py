"""The statutory working-day calendar (法定工作日历), kept as data the city's operators maintain.

Only the days that differ from the plain week are stored: statutory holidays on which offices
close (放假) and the weekend days worked instead (调休上班). A year is *official* once its
schedule matches the State Council's notice; until then deadlines in it are computed from the
holiday rules and marked provisional (see ``workcalendar.workdays``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Years the calendar accepts: the statutory scheme dates from 1999; far future years are typos.
FIRST_YEAR = 1999
LAST_YEAR = 2199


class CalendarYear(models.Model):
    """One year of the calendar: whether its schedule is the official one, and where it came from."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    official = models.BooleanField(
        _("official"),
        default=False,
        help_text=_("The schedule matches the State Council's published notice."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    notice = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_("The State Council notice the schedule follows, e.g. 国办发明电〔2026〕7号."),
    )
    official_at = models.DateTimeField(_("made official"), null=True, blank=True)
    official_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made official by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="calendar_year_range",
            ),
        ]

    def __str__(self) -> str:
        return _("Calendar %(year)s") % {"year": self.year}


class CalendarDay(models.Model):
    """A day that differs from the plain week: a holiday on a weekday, or a weekend day worked."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (offices closed)")
        WORKDAY = "workday", _("Adjusted working day")

    calendar = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year")
    )
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "workday"]), name="calendar_day_kind"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="calendar_day_named"),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name} ({self.get_kind_display()})"
