from enum import StrEnum


class UpdateCycleEnum(StrEnum):
    DAILY = "daily"
    DEKAD = "dekad"
    IRREGULAR = "irregular"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    REALTIME = "realtime"
    SEMIANNUAL = "semiannual"
    WEEKLY = "weekly"
    YEARLY = "yearly"

    def __str__(self) -> str:
        return str(self.value)
