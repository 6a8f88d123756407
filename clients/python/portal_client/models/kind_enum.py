from enum import StrEnum


class KindEnum(StrEnum):
    ADDRESS = "address"
    BANK_CARD = "bank_card"
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    NAME = "name"
    NONE = "none"
    USCC = "uscc"

    def __str__(self) -> str:
        return str(self.value)
