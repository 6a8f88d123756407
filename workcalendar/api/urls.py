"""API routes of the working-day calendar."""

from django.urls import path

from . import views

urlpatterns = [path("calendar/<int:year>/", views.CalendarYearView.as_view(), name="calendar-year")]
