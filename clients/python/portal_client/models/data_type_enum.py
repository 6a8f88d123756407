from enum import StrEnum


class DataTypeEnum(StrEnum):
    B = "B"
    C = "C"
    D = "D"
    F = "F"
    G = "G"
    I = "I"
    L = "L"
    M = "M"
    N = "N"
    T = "T"
    Y = "Y"

    def __str__(self) -> str:
        return str(self.value)
