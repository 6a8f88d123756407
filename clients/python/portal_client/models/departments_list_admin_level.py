from enum import StrEnum


class DepartmentsListAdminLevel(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    PROVINCE = "province"
    TOWNSHIP = "township"

    def __str__(self) -> str:
        return str(self.value)
