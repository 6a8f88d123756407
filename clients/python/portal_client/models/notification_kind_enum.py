from enum import StrEnum


class NotificationKindEnum(StrEnum):
    CALENDAR_MISSING = "calendar_missing"
    CATALOG_IMPORT_FAILED = "catalog_import_failed"
    CHANGES_ASKED = "changes_asked"
    CONFLICTS_FOUND = "conflicts_found"
    CORRECTION_ANSWERED = "correction_answered"
    CORRECTION_FILED = "correction_filed"
    DEADLINE_MOVED = "deadline_moved"
    DEADLINE_SOON = "deadline_soon"
    GRANT_EXPIRING = "grant_expiring"
    GRANT_REVOKED = "grant_revoked"
    IMPORT_FAILED = "import_failed"
    INTERFACE_DOWN = "interface_down"
    NEED_ANSWERED = "need_answered"
    NEED_FILED = "need_filed"
    NEED_ROUTED = "need_routed"
    NEGOTIATION = "negotiation"
    OVERDUE = "overdue"
    REQUEST_DECIDED = "request_decided"
    REQUEST_SUBMITTED = "request_submitted"
    RESOURCE_CHANGED = "resource_changed"
    RESOURCE_NEW_DATA = "resource_new_data"
    RESOURCE_QUALITY_DROP = "resource_quality_drop"
    RESOURCE_RETIRED = "resource_retired"
    RESOURCE_RETURNED = "resource_returned"
    SIGNOFF_NEEDED = "signoff_needed"
    SYSTEM_APPROVED = "system_approved"
    SYSTEM_RETURNED = "system_returned"
    WEBHOOK_DISABLED = "webhook_disabled"

    def __str__(self) -> str:
        return str(self.value)
