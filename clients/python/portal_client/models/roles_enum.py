from enum import StrEnum


class RolesEnum(StrEnum):
    APPROVER = "approver"
    AUDIT_ADMIN = "audit_admin"
    COORDINATOR = "coordinator"
    DEPARTMENT_ADMIN = "department_admin"
    EDITOR = "editor"
    SECURITY_ADMIN = "security_admin"
    STAFF = "staff"
    SYSTEM_ADMIN = "system_admin"

    def __str__(self) -> str:
        return str(self.value)
