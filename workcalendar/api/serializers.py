"""Serializers of the calendar API."""

from __future__ import annotations

from rest_framework import serializers

from ..models import CalendarDay


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    kind = serializers.ChoiceField(
        choices=CalendarDay.Kind.choices,
        help_text="`holiday`: offices closed; `workday`: a Saturday or Sunday worked (调休上班).",
    )
    name = serializers.CharField(help_text="The holiday's name, e.g. 春节.")


class CalendarYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    official = serializers.BooleanField(
        help_text=(
            "The schedule is the State Council's. When false, `days` are the holidays of the "
            "national regulation and deadlines counted over them are provisional."
        )
    )
    source = serializers.CharField(allow_blank=True)  # type: ignore[assignment]  # the field, not Field.source
    notice = serializers.CharField(allow_blank=True)
    days = CalendarDaySerializer(
        many=True,
        help_text="Every day that differs from the plain week (Monday to Friday worked).",
    )
