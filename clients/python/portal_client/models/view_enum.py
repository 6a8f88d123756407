from enum import StrEnum


class ViewEnum(StrEnum):
    DETAILS = "details"
    SUMMARY = "summary"

    def __str__(self) -> str:
        return str(self.value)
