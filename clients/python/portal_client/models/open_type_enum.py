from enum import StrEnum


class OpenTypeEnum(StrEnum):
    CONDITIONAL = "conditional"
    NOT_OPEN = "not_open"
    UNCONDITIONAL = "unconditional"

    def __str__(self) -> str:
        return str(self.value)
