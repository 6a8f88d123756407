"""What other apps may hear from the trail without the trail knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``audit.services.record`` after an event is appended, inside the caller's
# transaction, with ``action`` (the event's code). Receivers must be cheap: every audited
# write and data read sends it. accountability uses it to refresh its stored figures.
event_recorded = Signal()
