from enum import StrEnum


class SystemStatusEnum(StrEnum):
    APPROVED = "approved"
    DRAFT = "draft"
    FILED = "filed"
    RETIRED = "retired"
    RETURNED = "returned"

    def __str__(self) -> str:
        return str(self.value)
