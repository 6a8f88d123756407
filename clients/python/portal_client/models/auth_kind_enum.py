from enum import StrEnum


class AuthKindEnum(StrEnum):
    BEARER = "bearer"
    HEADER = "header"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
