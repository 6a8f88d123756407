from enum import StrEnum


class CatalogScopeEnum(StrEnum):
    CLEARED = "cleared"
    DEPARTMENTS = "departments"
    PROVIDER = "provider"

    def __str__(self) -> str:
        return str(self.value)
