from enum import StrEnum


class ResourceStatusEnum(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"
    SUBMITTED = "submitted"

    def __str__(self) -> str:
        return str(self.value)
