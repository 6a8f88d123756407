from enum import StrEnum


class WebhookDeliveryStateEnum(StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"
    GAVE_UP = "gave_up"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
