"""``bench/run --smoke`` fails on a 5xx, an unexpected status or an exception, naming each."""

from __future__ import annotations

import json
from types import SimpleNamespace

from bench.scenarios import HttpStatusError, Scenario, Subject
from bench.smoke import smoke


def _subject(label: str, kind: str = "staff") -> Subject:
    user = SimpleNamespace(forget_roles=lambda: None)
    return Subject(label, user, 0, kind=kind)  # type: ignore[arg-type]


def _raise(error: Exception):
    def run(subject: Subject):
        raise error

    return run


def test_smoke_names_each_failure_and_counts_them(capsys, tmp_path):
    people = [_subject("staff L1"), _subject("auditor", kind="auditor")]
    ran: list[str] = []
    scenarios = [
        Scenario("fine", lambda s: ran.append(s.label)),
        Scenario("crashes", _raise(HttpStatusError("/boom/", 500))),
        Scenario("forbidden", _raise(HttpStatusError("/no/", 403))),
        Scenario("raises", _raise(ValueError("bad"))),
        Scenario(
            "auditor_only",
            lambda s: ran.append(f"audit {s.label}"),
            applies=lambda s: s.kind == "auditor",
        ),
        Scenario("nobody", lambda s: None, applies=lambda s: False),
    ]
    out = tmp_path / "smoke.json"
    failed = smoke(scenarios, people, out)
    printed = capsys.readouterr().out
    assert failed == 6  # three failing scenarios, each for both subjects
    assert "FAIL crashes / staff L1: 5xx: /boom/: HTTP 500" in printed
    assert "FAIL forbidden / auditor: unexpected status: /no/: HTTP 403" in printed
    assert "FAIL raises / staff L1: ValueError: bad" in printed
    assert "fine" not in printed.split("FAIL", 1)[1]  # what passed is not reported as failing
    assert "not run (no subject or object in this data): nobody" in printed
    assert ran == ["staff L1", "auditor", "audit auditor"]  # once per applicable subject
    written = json.loads(out.read_text())
    assert written["queries"] == {
        "fine / staff L1": 0,
        "fine / auditor": 0,
        "auditor_only / auditor": 0,
    }
    assert len(written["failures"]) == 6


def test_smoke_passes_when_nothing_fails(capsys):
    assert smoke([Scenario("fine", lambda s: None)], [_subject("staff L1")], None) == 0
    assert "FAIL" not in capsys.readouterr().out
