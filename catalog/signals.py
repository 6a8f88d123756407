"""Signals of the catalog, so that apps above it react without the catalog importing them.

``resource_returned`` is sent inside the transaction that sends a submitted resource back to
draft, with ``resource`` (the returned resource, its ``review_comment`` set), ``comment`` (str)
and ``actor`` (the reviewer, or None for the system); a receiver that raises rolls the return
back. The sharing app notifies the resource's editors on it.
"""

from django.dispatch import Signal

resource_returned = Signal()
