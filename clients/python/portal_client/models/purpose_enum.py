from enum import StrEnum


class PurposeEnum(StrEnum):
    ADMINISTRATIVE = "administrative"
    COLLABORATION = "collaboration"
    OTHER = "other"
    REFERENCE = "reference"
    VERIFICATION = "verification"

    def __str__(self) -> str:
        return str(self.value)
