from enum import StrEnum


class FormatClassEnum(StrEnum):
    DATABASE = "database"
    FILE = "file"
    IMAGE = "image"
    MEDIA = "media"
    OTHER = "other"
    SELFDESC = "selfdesc"
    SERVICE = "service"
    SHEET = "sheet"

    def __str__(self) -> str:
        return str(self.value)
