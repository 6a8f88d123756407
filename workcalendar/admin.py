"""The calendar in the admin site: read the years and their days, change them through the services.

The model forms never write: a year's schedule is entered, made official or reopened on the
admin's "schedule" page, which calls the same services as the portal's pages (validation, one
transaction, the audit trail) and shows their refusals on its forms. The days are read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.admin_mixins import ReadOnlyAdmin

from . import policies, selectors, services
from .forms import (
    OfficialForm,
    ReopenForm,
    ScheduleForm,
    YearOpenForm,
    apply_errors,
    schedule_initial,
)
from .models import FIRST_YEAR, LAST_YEAR, CalendarDay, CalendarYear
from .views import history_entries


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    fields = ("day", "kind", "name", "source")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.can_change_calendar(request.user) or super().has_view_permission(
            request, obj
        )


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = (
        "year",
        "official",
        "source",
        "holiday_count",
        "workday_count",
        "official_at",
        "official_by",
        "schedule_link",
    )
    list_filter = ("official",)
    search_fields = ("=year", "source", "notice")
    list_select_related = ("official_by",)
    readonly_fields = (
        "year",
        "official",
        "source",
        "notice",
        "official_at",
        "official_by",
        "updated_at",
    )
    fields = readonly_fields
    inlines = [CalendarDayInline]
    change_form_template = "admin/workcalendar/calendaryear/change_form.html"

    # --- who may do what: reading for those who keep the calendar; writing only via services --

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.can_change_calendar(request.user) or super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # "Add" opens a year on the schedule page; nothing is saved by a model form.
        return policies.can_change_calendar(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # --- the list ----------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        return selectors.calendar_years().select_related("official_by")

    @admin.display(description=gettext_lazy("holidays"), ordering="holiday_count")
    def holiday_count(self, obj: CalendarYear) -> int:
        return getattr(obj, "holiday_count", 0)

    @admin.display(description=gettext_lazy("adjusted working days"), ordering="workday_count")
    def workday_count(self, obj: CalendarYear) -> int:
        return getattr(obj, "workday_count", 0)

    @admin.display(description=gettext_lazy("schedule"))
    def schedule_link(self, obj: CalendarYear) -> str:
        return format_html('<a href="{}">{}</a>', self._schedule_url(obj.year), _("Change"))

    # --- the schedule page -------------------------------------------------------------------

    def get_urls(self) -> list[Any]:
        return [
            path(
                "schedule/<int:year>/",
                self.admin_site.admin_view(self.schedule_view),
                name="workcalendar_calendaryear_schedule",
            ),
            *super().get_urls(),
        ]

    def _schedule_url(self, year: int) -> str:
        return reverse(f"{self.admin_site.name}:workcalendar_calendaryear_schedule", args=[year])

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """Ask which year to open, then go to its schedule page."""
        if not policies.can_change_calendar(request.user):
            raise PermissionDenied(_("You may not change the working-day calendar."))
        form = YearOpenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return HttpResponseRedirect(self._schedule_url(form.cleaned_data["year"]))
        return self._render(request, _("Open a year"), {"open_form": form})

    def schedule_view(self, request: HttpRequest, year: int) -> HttpResponse:
        """Enter, make official or reopen one year's schedule through the services."""
        if not policies.can_change_calendar(request.user):
            raise PermissionDenied(_("You may not change the working-day calendar."))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404
        calendar = selectors.calendar_year_get(year)
        official = bool(calendar and calendar.official)
        schedule_form = ScheduleForm(initial=schedule_initial(selectors.entered_days(year)))
        official_form = OfficialForm()
        reopen_form = ReopenForm()
        if request.method == "POST":
            action = request.POST.get("action", "")
            handlers = {
                "enter": (ScheduleForm, self._enter),
                "official": (OfficialForm, self._official),
                "reopen": (ReopenForm, self._reopen),
            }
            if action not in handlers:
                raise BadRequest(_("The form did not say what to do."))
            form_class, handler = handlers[action]
            form = form_class(request.POST)
            if form.is_valid():
                try:
                    message = handler(request, year, form.cleaned_data)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(self._schedule_url(year))
            if action == "enter":
                schedule_form = form  # type: ignore[assignment]
            elif action == "official":
                official_form = form  # type: ignore[assignment]
            else:
                reopen_form = form  # type: ignore[assignment]
        title = _("Working-day calendar %(year)s") % {"year": year}
        return self._render(
            request,
            title,
            {
                "year": year,
                "calendar": calendar,
                "official": official,
                "schedule_form": schedule_form,
                "official_form": official_form,
                "reopen_form": reopen_form,
                "history": history_entries(calendar),
                "portal_url": reverse("workcalendar:year", args=[year]),
            },
            status=400 if request.method == "POST" else 200,
        )

    def _enter(self, request: HttpRequest, year: int, data: dict[str, Any]) -> str:
        services.year_schedule_enter(
            actor=request.user,
            year=year,
            holidays_text=data["holidays"],
            workdays_text=data["workdays"],
        )
        return _("The schedule of %(year)s is saved. Check it, then make it official.") % {
            "year": year
        }

    def _official(self, request: HttpRequest, year: int, data: dict[str, Any]) -> str:
        services.year_make_official(actor=request.user, year=year, notice=data["notice"])
        return _("%(year)s is official: deadlines reaching into it are final.") % {"year": year}

    def _reopen(self, request: HttpRequest, year: int, data: dict[str, Any]) -> str:
        services.year_reopen(actor=request.user, year=year, reason=data["reason"])
        return _("%(year)s is reopened: correct its schedule, then make it official again.") % {
            "year": year
        }

    def _render(
        self, request: HttpRequest, title: str, context: dict[str, Any], status: int = 200
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/workcalendar/calendaryear/schedule.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },
            status=status,
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("day", "kind", "name", "calendar", "source")
    list_filter = ("kind", "calendar__official")
    search_fields = ("name", "source")
    list_select_related = ("calendar",)
    date_hierarchy = "day"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.can_change_calendar(request.user) or super().has_view_permission(
            request, obj
        )
