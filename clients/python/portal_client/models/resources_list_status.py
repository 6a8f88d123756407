from enum import StrEnum


class ResourcesListStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"
    SUBMITTED = "submitted"

    def __str__(self) -> str:
        return str(self.value)
