from enum import StrEnum


class ModeEnum(StrEnum):
    APPEND = "append"
    REPLACE = "replace"
    UPSERT = "upsert"

    def __str__(self) -> str:
        return str(self.value)
