from enum import StrEnum


class CorrectionsListStatus(StrEnum):
    ACCEPTED = "accepted"
    OPEN = "open"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
