"""Signals of the live exchange, for apps above it (webhook deliveries connect to them).

- ``interface_down(sender=Interface, interface=..., reason=...)``: the interface's circuit
  opened after repeated failures, or the health probe found it down.
- ``interface_up(sender=Interface, interface=...)``: it answers again after being down.

Each is sent after the state change is recorded, outside any transaction of the caller's.
"""

from __future__ import annotations

from django.dispatch import Signal

interface_down = Signal()
interface_up = Signal()
