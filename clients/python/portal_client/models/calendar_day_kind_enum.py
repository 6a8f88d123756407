from enum import StrEnum


class CalendarDayKindEnum(StrEnum):
    HOLIDAY = "holiday"
    WORKDAY = "workday"

    def __str__(self) -> str:
        return str(self.value)
