from enum import StrEnum


class WebhookEventEnum(StrEnum):
    CORRECTION_ANSWERED = "correction.answered"
    DATA_VERSION = "data.version"
    GRANT_CREATED = "grant.created"
    GRANT_EXPIRING = "grant.expiring"
    GRANT_REVOKED = "grant.revoked"
    INTERFACE_DOWN = "interface.down"
    INTERFACE_UP = "interface.up"
    REQUEST_DECIDED = "request.decided"
    REQUEST_RETURNED = "request.returned"
    RESOURCE_CHANGED = "resource.changed"
    RESOURCE_RETIRED = "resource.retired"

    def __str__(self) -> str:
        return str(self.value)
