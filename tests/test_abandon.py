"""Every assessment attempt stays visible: leaving one before its ending is logged as
abandoned, never offered for resume, listed as such, and never discarded; unfinished practice
logs can be discarded."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sim import log
from sim.format import loader
from sim.log import AbandonedRecord, LogError
from sim.model import Scenario
from sim.sessions import lifecycle
from sim.sessions.session import Session
from tests.helpers import leadsim

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


def attempt(scenario: Scenario, folder: Path, mode: str = "assessment") -> Session:
    session = Session(scenario, 3, mode=mode, recorder=log.SessionLog(folder))  # type: ignore[arg-type]
    session.begin()
    session.choose("plan")
    return session


def test_an_abandoned_assessment_is_logged_and_never_resumed(
    scenario: Scenario, tmp_path: Path
) -> None:
    session = attempt(scenario, tmp_path)
    session.abandon()
    path = session.recorder.path  # type: ignore[union-attr]
    records = list(log.LogFile(path).records())
    assert isinstance(records[-1], AbandonedRecord) and records[-1].step == 1
    info = log.summarize(path)
    assert info.abandoned and not info.finished and info.step == 1
    assert log.unfinished(scenario.id, folder=tmp_path) == []  # nothing to offer
    with pytest.raises(LogError, match="abandoned"):
        lifecycle.resume_session(path)
    with path.open("a") as f:  # nothing may follow an abandoned attempt
        f.write('{"type":"rewind","to_step":0}\n{"type":"rewind","to_step":0}\n')
    reader = log.LogFile(path)
    list(reader.records())
    assert reader.problem is not None and "after the attempt was abandoned" in str(reader.problem)


def test_leaving_practice_records_nothing(scenario: Scenario, tmp_path: Path) -> None:
    session = attempt(scenario, tmp_path, mode="practice")
    session.abandon()
    assert not log.summarize(session.recorder.path).abandoned  # type: ignore[union-attr]
    (offer,) = log.unfinished(scenario.id, folder=tmp_path)  # it can still be resumed
    assert offer.path == session.recorder.path  # type: ignore[union-attr]


def test_sessions_shows_mode_and_abandoned_and_discards_only_practice(
    scenario: Scenario, tmp_path: Path
) -> None:
    abandoned = attempt(scenario, tmp_path)
    abandoned.abandon()
    practice = attempt(scenario, tmp_path, mode="practice")
    recent = attempt(scenario, tmp_path, mode="practice")
    old = time.time() - 3600
    for s in (abandoned, practice):
        os.utime(s.recorder.path, (old, old))  # type: ignore[union-attr]
    listing = leadsim("sessions", str(tmp_path))
    rows = listing.stdout.splitlines()
    assert "assessment" in rows[1] and "ABANDONED before decision 2" in rows[1]
    assert "practice" in rows[2] and "unfinished, before decision 2" in rows[2]
    out = leadsim("sessions", str(tmp_path), "--discard")
    assert out.returncode == 0, out.stderr
    assert f"removed {practice.recorder.path.name}" in out.stdout  # type: ignore[union-attr]
    assert "Removed 1 unfinished practice log(s)" in out.stdout
    assert "assessment logs are never discarded" in out.stdout
    assert "in the last ten minutes" in out.stdout
    left = set(log.log_files(tmp_path))
    assert left == {abandoned.recorder.path, recent.recorder.path}  # type: ignore[union-attr]


def test_text_mode_asks_before_abandoning_an_assessment(tmp_path: Path) -> None:
    args = ["play", str(FIXTURE), "--text", "--assessment", "--seed", "3", "--log", str(tmp_path)]
    out = leadsim(*args, stdin="1\nq\nn\nq\ny\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("This attempt will count as abandoned. [y/N]") == 2
    assert "the attempt is recorded as abandoned" in out.stdout
    (path,) = log.log_files(tmp_path)
    assert log.summarize(path).abandoned
