from enum import StrEnum


class InterfaceDecideDecisionEnum(StrEnum):
    PUBLISH = "publish"
    RETURN = "return"

    def __str__(self) -> str:
        return str(self.value)
