from enum import StrEnum


class ResourcesListExpand(StrEnum):
    ITEMS = "items"

    def __str__(self) -> str:
        return str(self.value)
