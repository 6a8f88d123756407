"""Uploaded files are parsed in a child process that a CPU and a memory limit stop."""

from __future__ import annotations

import os

import pytest
from django.utils import translation

from kernel.files import UnsafeFile
from kernel.sandbox import ParseLimitExceeded, run_limited


def spin() -> None:
    while True:
        pass


def hoard() -> bytes:
    ballast = bytearray(512 << 20)  # far beyond the 32 MiB the tests allow
    ballast[-1] = 1
    return bytes(ballast[-10:])


def pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def refuse(message: str) -> None:
    raise UnsafeFile(message)


def test_the_result_is_computed_in_another_process():
    child, total = run_limited(pid_and_sum, [1, 2, 3])
    assert total == 6 and child != os.getpid()


def test_a_parse_that_loops_for_ever_is_stopped_by_the_cpu_limit(settings):
    settings.PORTAL_PARSE_CPU_SECONDS = 1
    with translation.override("zh-hans"), pytest.raises(ParseLimitExceeded) as stopped:
        run_limited(spin)
    assert stopped.value.kind == "cpu"
    assert "用时过长" in str(stopped.value)  # in the user's language
    assert isinstance(stopped.value, UnsafeFile)  # refused like any other unsafe file


def test_a_parse_that_allocates_beyond_the_memory_limit_is_stopped(settings):
    settings.PORTAL_PARSE_MEMORY_BYTES = 32 << 20
    with translation.override("en"), pytest.raises(ParseLimitExceeded) as stopped:
        run_limited(hoard)
    assert stopped.value.kind == "memory"
    assert str(stopped.value).startswith("The file took too much memory to read")
    # Within the limit the same work succeeds: the limit, not the function, stopped it.
    assert run_limited(hoard, memory_bytes=1 << 30) == bytes(9) + b"\x01"


def test_the_parsers_own_refusal_reaches_the_caller_unchanged():
    with pytest.raises(UnsafeFile, match="too many parts") as refused:
        run_limited(refuse, "too many parts")
    assert not isinstance(refused.value, ParseLimitExceeded)


def test_a_failing_heartbeat_stops_the_child(monkeypatch, settings):
    monkeypatch.setattr("kernel.sandbox.HEARTBEAT_SECONDS", 0.05)

    class Lost(Exception):
        pass

    def lost() -> None:
        raise Lost

    with pytest.raises(Lost):
        run_limited(spin, cpu_seconds=30, heartbeat=lost)


def nap() -> None:
    import time

    time.sleep(60)


def die() -> None:
    import faulthandler
    import signal

    # pytest's fault handler, inherited through the fork, would print the crash it expects to
    # the log as if something had gone wrong.
    faulthandler.disable()
    os.kill(os.getpid(), signal.SIGSEGV)


def test_a_child_blocked_past_the_wall_clock_allowance_is_stopped(monkeypatch):
    # Blocked, not computing: the CPU limit would never fire.
    monkeypatch.setattr("kernel.sandbox.WALL_FACTOR", 0)
    monkeypatch.setattr("kernel.sandbox.WALL_GRACE_SECONDS", 0.3)
    with pytest.raises(ParseLimitExceeded) as stopped:
        run_limited(nap, cpu_seconds=1)
    assert stopped.value.kind == "cpu"


def test_a_child_that_crashes_is_a_clear_refusal_too():
    with translation.override("en"), pytest.raises(ParseLimitExceeded) as stopped:
        run_limited(die)
    assert stopped.value.kind == "crash"
    assert str(stopped.value).startswith("Reading the file failed unexpectedly")
