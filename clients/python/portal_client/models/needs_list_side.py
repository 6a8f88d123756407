from enum import StrEnum


class NeedsListSide(StrEnum):
    MINE = "mine"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
