from enum import StrEnum


class ResourcesListShareType(StrEnum):
    CONDITIONAL = "conditional"
    NONE = "none"
    UNCONDITIONAL = "unconditional"

    def __str__(self) -> str:
        return str(self.value)
