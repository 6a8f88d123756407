from enum import StrEnum


class NeedStatusEnum(StrEnum):
    LINKED = "linked"
    OPEN = "open"
    REFUSED = "refused"
    REGISTERING = "registering"
    ROUTED = "routed"

    def __str__(self) -> str:
        return str(self.value)
