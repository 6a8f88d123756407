from enum import StrEnum


class FundingStageEnum(StrEnum):
    CONSTRUCTION = "construction"
    INITIATION = "initiation"
    OPERATION = "operation"

    def __str__(self) -> str:
        return str(self.value)
