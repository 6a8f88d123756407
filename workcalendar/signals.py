"""Signals of the calendar, so that apps above it react without the calendar importing them.

``year_made_official`` is sent inside the transaction that marks a year official, with
``year`` (int) and ``actor`` (the user, or None for the system); a receiver that raises rolls
the whole change back. The sharing and needs apps recount provisional deadlines on it
(``workcalendar.deadlines.recount_provisional``).

``deadlines_recount`` is sent by the periodic sweep to catch up a deadline counted in another
process while a year was being made official; each receiver recounts its own records and returns
its counts (a dict of names to numbers) for the sweep's output. The needs app answers it.
"""

from django.dispatch import Signal

year_made_official = Signal()
deadlines_recount = Signal()
