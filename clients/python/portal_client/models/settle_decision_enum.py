from enum import StrEnum


class SettleDecisionEnum(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"

    def __str__(self) -> str:
        return str(self.value)
