from enum import StrEnum


class ShareRequestsListSide(StrEnum):
    MADE = "made"
    RECEIVED = "received"

    def __str__(self) -> str:
        return str(self.value)
