"""Signals of the datasets, so that apps above them react without the datasets importing them.

``version_activated`` is sent inside the transaction that makes a dataset version the active
one, with ``version`` (active, its ``row_count`` set) and ``actor``; a receiver that raises rolls
the activation back. The accountability app queues the comparisons of the resource's item links.
"""

from django.dispatch import Signal

version_activated = Signal()
