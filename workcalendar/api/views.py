"""The calendar API: one year's working-day schedule, for integrators that count deadlines."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import FIRST_YEAR, LAST_YEAR
from ..selectors import calendar_year_get, year_days
from ..workdays import is_official
from .serializers import CalendarYearSerializer


class CalendarYearView(generics.GenericAPIView):
    """Days off and adjusted working days of a year, and whether they are official."""

    serializer_class = CalendarYearSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(summary="Show a year's working-day calendar", tags=["calendar"])
    def get(self, request: Request, year: int) -> Response:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise NotFound()
        stored = calendar_year_get(year)
        official = is_official(year)
        payload = {
            "year": year,
            "official": official,
            "source": (stored.source if stored and official else "holidays"),
            "notice": stored.notice if stored and official else "",
            "days": year_days(year),
        }
        return Response(self.get_serializer(payload).data)
