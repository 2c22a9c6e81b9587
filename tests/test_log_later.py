"""A new session's log created later (sim/sessions/later.py): nothing recorded is lost or
reordered, the one-writer lock is taken before the first decision is written, and problems
are still reported."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sim import log
from sim.model import Scenario
from sim.sessions.later import LogLater
from sim.sessions.lifecycle import continue_session, make_session
from sim.sessions.request import Request


def kinds(path: Path) -> list[str]:
    return [json.loads(line)["type"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_nothing_is_created_until_the_log_is_opened(small: Scenario, tmp_path: Path) -> None:
    session = make_session(small, Request(seed=1, log=tmp_path), log_later=True).begin()
    recorder = session.recorder
    assert isinstance(recorder, LogLater)
    assert not recorder.opened and recorder.path is None
    assert list(tmp_path.iterdir()) == []
    recorder.open()
    assert recorder.path is not None and kinds(recorder.path) == ["session"]
    recorder.open()  # once only
    assert list(tmp_path.iterdir()) == [recorder.path]
    recorder.close()


def test_a_decision_before_the_log_exists_is_written_after_its_header_in_order(
    small: Scenario, tmp_path: Path
) -> None:
    session = make_session(small, Request(seed=1, log=tmp_path), log_later=True).begin()
    session.choose("assign")
    session.reflect("It was quick.")
    session.choose("chase")
    recorder = session.recorder
    assert isinstance(recorder, LogLater) and recorder.path is not None
    assert kinds(recorder.path) == ["session", "decision", "reflection", "decision"]
    lines = [json.loads(line) for line in recorder.path.read_text().splitlines()]
    assert [line.get("choice") for line in lines] == [None, "assign", None, "chase"]
    recorder.close()


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_the_lock_is_held_from_the_first_decision(small: Scenario, tmp_path: Path) -> None:
    session = make_session(small, Request(seed=1, log=tmp_path), log_later=True).begin()
    session.choose("assign")
    recorder = session.recorder
    assert isinstance(recorder, LogLater) and recorder.path is not None
    before = recorder.path.read_bytes()
    with pytest.raises(log.LogError, match="being written by"):
        continue_session(recorder.path)
    assert recorder.path.read_bytes() == before
    recorder.close()


def test_a_session_closed_before_its_log_was_opened_is_still_logged(
    small: Scenario, tmp_path: Path
) -> None:
    session = make_session(small, Request(seed=1, log=tmp_path), log_later=True).begin()
    recorder = session.recorder
    assert isinstance(recorder, LogLater)
    recorder.close()
    assert recorder.path is not None and kinds(recorder.path) == ["session"]


def test_a_log_that_cannot_be_created_warns_where_it_was_told(
    small: Scenario, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.jsonl"
    taken.write_text("", encoding="utf-8")
    warnings: list[str] = []
    session = make_session(small, Request(seed=1, log=taken), log_later=True).begin()
    assert session.recorder is not None and hasattr(session.recorder, "warn")
    session.recorder.warn = warnings.append  # as the simulator does, before the log exists
    assert warnings == []
    session.choose("assign")  # played on, unlogged
    assert len(warnings) == 1 and "already exists" in warnings[0]
    assert taken.read_text(encoding="utf-8") == ""
