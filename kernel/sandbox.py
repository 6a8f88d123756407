"""Uploaded files parsed in a child process that the kernel stops at a CPU and a memory limit.

``kernel.files`` refuses a workbook whose zip directory declares too much, and CSV lines that are
too long, before any parser opens the file. What is left (a workbook of a million tiny cells, a
parser's worst case in XML, a bug in a parser) can still take a worker's CPU or memory for as
long as it likes. So every parse of an uploaded file runs in a forked child that first lowers its
own limits: ``RLIMIT_CPU`` (the kernel sends SIGXCPU, then SIGKILL a second later) and
``RLIMIT_AS`` (an allocation beyond it fails: Python raises MemoryError). The parent waits for
the result, also stops a child that outlives a generous wall-clock allowance (one blocked rather
than computing), and turns any of these ends into ``ParseLimitExceeded``, an ``UnsafeFile`` whose
message says, in the user's language, that the file took too long or too much memory to read.

The limits are the settings ``PORTAL_PARSE_CPU_SECONDS`` and ``PORTAL_PARSE_MEMORY_BYTES``
(docs/operations.md). The memory limit is what the parse may add to the process as it was forked
(a forked child starts with its parent's address space; see docs/decisions.md for why "fork").

The parse function runs with the parent's settings, translations and imports, but must not use
the database: the child shares the parent's connections' sockets, and leaves them untouched (it
ends with ``os._exit``, which closes nothing gracefully). It returns a picklable result no larger
than the memory limit; large outputs belong in a temporary file whose path is returned.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from .files import UnsafeFile

T = TypeVar("T")

# How often the parent wakes while it waits, to call ``heartbeat`` (e.g. renew a job's lease).
HEARTBEAT_SECONDS = 20.0
# A child gets this many seconds of wall-clock time per second of CPU (plus the grace): a busy
# machine shares its cores, but a child that is blocked rather than computing is stopped too.
WALL_FACTOR = 3
WALL_GRACE_SECONDS = 10.0

_CONTEXT = multiprocessing.get_context("fork")


class ParseLimitExceeded(UnsafeFile):
    """The parse was stopped by a limit (``kind``: "cpu", "memory" or "crash")."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def cpu_seconds_setting() -> int:
    return max(1, int(getattr(settings, "PORTAL_PARSE_CPU_SECONDS", 300)))


def memory_bytes_setting() -> int:
    return max(1 << 20, int(getattr(settings, "PORTAL_PARSE_MEMORY_BYTES", 1 << 30)))


def _too_long() -> ParseLimitExceeded:
    return ParseLimitExceeded(
        "cpu",
        _(
            "The file took too long to read and was refused. Split it into smaller files, "
            "or save it again as CSV."
        ),
    )


def _too_big() -> ParseLimitExceeded:
    return ParseLimitExceeded(
        "memory",
        _(
            "The file took too much memory to read and was refused. Split it into smaller "
            "files, or save it again as CSV."
        ),
    )


def _crashed() -> ParseLimitExceeded:
    return ParseLimitExceeded(
        "crash", _("Reading the file failed unexpectedly. Save it again and retry.")
    )


def _address_space() -> int:
    """Return this process's current virtual size in bytes (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _set_limit(limit: int, soft: int, hard: int) -> None:
    """Set a limit of this (child) process, never above the hard limit it already has."""
    _soft, current = resource.getrlimit(limit)
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(limit, (soft, hard))


def _apply_limits(cpu_seconds: int, memory_bytes: int) -> None:
    # Soft limit: SIGXCPU, which ends the process (Python installs no handler for it); the hard
    # limit a second later is SIGKILL, should anything have caught the first.
    _set_limit(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)
    space = _address_space() + memory_bytes
    _set_limit(resource.RLIMIT_AS, space, space)


def _child(
    sender: Connection, func: Callable[..., Any], args: tuple, kwargs: dict, cpu: int, memory: int
) -> None:
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    outcome: tuple[Any, ...]
    try:
        _apply_limits(cpu, memory)
        outcome = ("ok", func(*args, **kwargs))
    except MemoryError:
        outcome = ("memory",)
    except BaseException as exc:  # returned to the parent, which raises it there
        outcome = ("raise", exc, traceback.format_exc())
    try:
        payload = pickle.dumps(outcome)
    except MemoryError:
        payload = pickle.dumps(("memory",))
    except Exception as exc:  # an exception or result that does not pickle
        payload = pickle.dumps(("raise", RuntimeError(repr(exc)), traceback.format_exc()))
    try:
        sender.send_bytes(payload)
    finally:
        sender.close()


def run_limited(
    func: Callable[..., T],
    *args: Any,
    cpu_seconds: int | None = None,
    memory_bytes: int | None = None,
    heartbeat: Callable[[], None] | None = None,
    **kwargs: Any,
) -> T:
    """Return ``func(*args, **kwargs)`` computed in a child process under CPU and memory limits.

    An exception ``func`` raises is raised here (so a parser's own ``UnsafeFile`` or
    ``FileUnreadable`` reaches the caller unchanged). A child stopped by a limit, or dying
    otherwise, raises ``ParseLimitExceeded``. ``heartbeat`` is called about every
    ``HEARTBEAT_SECONDS`` while the child runs; if it raises, the child is stopped first.
    """
    cpu = int(cpu_seconds or cpu_seconds_setting())
    memory = int(memory_bytes or memory_bytes_setting())
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child, args=(sender, func, args, kwargs, cpu, memory), daemon=True
    )
    process.start()
    sender.close()
    answered = [False]  # whether the child closed its end: sent its result, or died
    payload: bytes | None = None
    try:
        payload = _receive(
            receiver, cpu * WALL_FACTOR + WALL_GRACE_SECONDS, memory, heartbeat, answered
        )
    finally:
        receiver.close()
        # A child that answered is ending (let its exit code tell how); any other may be
        # spinning (out of time, or the heartbeat raised) and is stopped at once.
        process.join(timeout=5 if answered[0] else 0)
        if process.is_alive():
            process.kill()
        process.join()
    exitcode = process.exitcode
    process.close()
    if payload is None:
        # SIGXCPU and SIGKILL: the CPU limit's two steps, or the wall-clock stop above.
        if exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise _too_long()
        raise _crashed()
    # Written by our own code in the child, not by the file: the child is a resource limit, not a
    # privilege boundary (same user, same environment), so unpickling gives it nothing new.
    outcome = pickle.loads(payload)  # noqa: S301
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "memory":
        raise _too_big()
    exc = outcome[1]
    exc.add_note(f"Raised in the parsing child process:\n{outcome[2]}")
    raise exc


def _receive(
    receiver: Connection,
    wall_seconds: float,
    max_bytes: int,
    heartbeat: Callable[[], None] | None,
    answered: list[bool],
) -> bytes | None:
    """Return the child's message; None if it ended without one or ran out of wall-clock time."""
    waited = 0.0
    while waited < wall_seconds:
        step = min(HEARTBEAT_SECONDS, wall_seconds - waited)
        if receiver.poll(step):
            answered[0] = True
            try:
                return receiver.recv_bytes(max_bytes)
            except EOFError:  # it died without a word: a limit's signal, or a crash
                return None
            except OSError:  # a result larger than the memory limit
                raise _too_big() from None
        waited += step
        if heartbeat is not None:
            heartbeat()
    return None
