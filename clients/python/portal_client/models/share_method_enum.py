from enum import StrEnum


class ShareMethodEnum(StrEnum):
    API = "api"
    DATABASE = "database"
    EMAIL = "email"
    FILE = "file"
    MEDIA = "media"

    def __str__(self) -> str:
        return str(self.value)
