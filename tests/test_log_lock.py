"""One writer per log (issue 14, item 3): a second writer is told who holds the log and
refuses, writing nothing; the lock dies with its process, so kill -9 leaves nothing stale."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sim import log
from sim.format import loader
from sim.model import Scenario
from sim.sessions.lifecycle import continue_session
from sim.sessions.session import Session
from tests.helpers import leadsim

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


def unfinished_log(scenario: Scenario, folder: Path) -> Path:
    session = Session(scenario, 3, recorder=log.SessionLog(folder)).begin()
    session.choose("plan")
    assert isinstance(session.recorder, log.SessionLog) and session.recorder.path is not None
    session.recorder.close()
    return session.recorder.path


def holder(path: Path) -> subprocess.Popen[str]:
    """`leadsim resume --text LOG` in another process, waiting at its first question."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "resume", "--text", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # it has the lock once it says where it resumes
        if line.startswith("Resuming"):
            return proc
    raise AssertionError(proc.stderr.read() if proc.stderr else "no output")


def test_a_second_resume_is_told_who_writes_and_writes_nothing(
    scenario: Scenario, tmp_path: Path
) -> None:
    path = unfinished_log(scenario, tmp_path)
    first = holder(path)
    try:
        before = path.read_bytes()
        second = leadsim("resume", "--text", str(path), stdin="1\n1\n")
        assert second.returncode == 1
        assert f"this log is being written by process {first.pid} (leadsim resume" in (
            second.stderr
        )
        assert "running since" in second.stderr and "nothing was written" in second.stderr
        assert path.read_bytes() == before
    finally:
        first.kill()
        first.wait()


def test_kill_9_leaves_no_stale_lock(scenario: Scenario, tmp_path: Path) -> None:
    path = unfinished_log(scenario, tmp_path)
    first = holder(path)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    done = leadsim("resume", "--text", str(path), stdin="1\n" * 6)
    assert done.returncode == 0, done.stderr
    assert "Resuming" in done.stdout and "=== Ending:" in done.stdout
    assert list(tmp_path.iterdir()) == [path]  # nothing left beside the log


def test_play_into_a_log_that_is_being_resumed_refuses(scenario: Scenario, tmp_path: Path) -> None:
    """In-process: a resume holds the log; a second claim, and a new writer of that file,
    both refuse."""
    path = unfinished_log(scenario, tmp_path)
    session, _notes = continue_session(path)
    try:
        before = path.read_bytes()
        with pytest.raises(log.LogError, match=f"being written by process {os.getpid()}"):
            continue_session(path)
        warnings: list[str] = []
        other = Session(scenario, 3, recorder=log.SessionLog(path, warn=warnings.append))
        other.begin()
        assert "already exists" in warnings[0]  # --log FILE never appends to a log
        assert path.read_bytes() == before
    finally:
        assert isinstance(session.recorder, log.SessionLog)
        session.recorder.close()
    again, _notes = continue_session(path)  # closed: free again
    assert isinstance(again.recorder, log.SessionLog) and again.recorder.active
    again.recorder.close()
