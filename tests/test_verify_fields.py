"""`replay --verify` checks every recorded field against the engine (issue 14, item 7): a log
forged in any one field is reported, with the kind of disagreement and its line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sim import log
from sim.format import loader
from sim.log import replay
from sim.model import Scenario
from sim.sessions.session import Session
from tests.helpers import leadsim

FIXTURE = Path(__file__).parent / "data" / "log_fixture.yaml"
Lines = list[dict[str, Any]]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return loader.load(FIXTURE)


def played(scenario: Scenario, folder: Path, *, rewind: bool = False) -> Path:
    """plan (sets 'planned'), a reflection, review (clears it), ship: an ending. With
    ``rewind``, a first attempt at the second decision is taken back."""
    session = Session(scenario, 3, recorder=log.SessionLog(folder)).begin()
    session.choose("plan")
    session.reflect("they were quiet")
    if rewind:
        session.choose("push")
        session.rewind(1)
    session.choose("review")
    session.choose("ship")
    assert isinstance(session.recorder, log.SessionLog) and session.recorder.path is not None
    session.recorder.close()
    return session.recorder.path


def forged(path: Path, change: Callable[[Lines], None]) -> Path:
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    change(lines)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def first(lines: Lines, kind: str, n: int = 0) -> dict[str, Any]:
    return [line for line in lines if line["type"] == kind][n]


def test_the_unforged_log_verifies(scenario: Scenario, tmp_path: Path) -> None:
    assert replay.verify(played(scenario, tmp_path)).ok
    assert replay.verify(played(scenario, tmp_path, rewind=True)).ok


FORGERIES: dict[str, tuple[str, Callable[[Lines], None]]] = {
    "goto": ("goto", lambda ls: first(ls, "decision").update(goto="monday")),
    "flags_set": ("flags", lambda ls: first(ls, "decision").update(flags_set=[])),
    "flags_cleared": ("flags", lambda ls: first(ls, "decision", 1).update(flags_cleared=[])),
    "extra flag": ("flags", lambda ls: first(ls, "decision", 2).update(flags_set=["hero"])),
    "tally": ("tally", lambda ls: first(ls, "end").update(tally={"leader": 3})),
    "feedback": ("header", lambda ls: ls[0].update(feedback="loud")),
    "mode": ("header", lambda ls: ls[0].update(mode="cheat")),
    "seed below": ("header", lambda ls: ls[0].update(seed=-1)),
    "seed above": ("header", lambda ls: ls[0].update(seed=2**64 + 3)),
    "reflection step": ("reflection", lambda ls: first(ls, "reflection").update(step=3)),
}


@pytest.mark.parametrize("name", FORGERIES)
def test_a_forged_field_is_reported(scenario: Scenario, tmp_path: Path, name: str) -> None:
    kind, change = FORGERIES[name]
    verdict = replay.verify(forged(played(scenario, tmp_path), change))
    assert not verdict.ok
    assert kind in {d.kind for d in verdict.divergences}, verdict.divergences


def test_a_rewind_in_an_assessment_is_reported(scenario: Scenario, tmp_path: Path) -> None:
    path = forged(
        played(scenario, tmp_path, rewind=True), lambda ls: ls[0].update(mode="assessment")
    )
    verdict = replay.verify(path)
    (rewind,) = [d for d in verdict.divergences if d.kind == "rewind"]
    assert "in an assessment, where going back is switched off" in rewind.message
    done = leadsim("replay", "--verify", str(path))
    assert done.returncode == 1 and "DIVERGES" in done.stdout
    assert f"{path}:{rewind.line}: a rewind to step 1 in an assessment" in done.stdout


def test_a_forged_resume_line_does_not_hide_a_damaged_line(
    scenario: Scenario, tmp_path: Path
) -> None:
    """A resume line may excuse only a line a crash cut off (the start of a log line)."""
    path = played(scenario, tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    resume = json.dumps({"type": "resume", "step": 1, "at": "x", "app": "x", "cut_line": 4})
    damaged = '{"type":"decision","step":2,"scene":"tuesday","oops"}\n'
    path.write_text("".join([*lines[:3], damaged, resume + "\n", *lines[3:]]))
    verdict = replay.verify(path)
    assert verdict.problem is not None and verdict.problem.line == 4
    assert "is not the start of a log line" in verdict.problem.message
    done = leadsim("replay", "--verify", str(path))
    assert done.returncode == 1 and "1 could not be read to the end" in done.stdout


def test_a_real_cut_line_named_by_a_resume_still_verifies(
    scenario: Scenario, tmp_path: Path
) -> None:
    path = played(scenario, tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    resume = json.dumps({"type": "resume", "step": 1, "at": "x", "app": "x", "cut_line": 4})
    cut = lines[3][:40] + "\n"  # what a crash left, then the newline resume adds
    path.write_text("".join([*lines[:3], cut, resume + "\n", *lines[3:]]))
    assert replay.verify(path).ok


def test_play_refuses_a_seed_outside_the_range(tmp_path: Path) -> None:
    done = leadsim("play", str(FIXTURE), "--text", "--seed", "-1", "--log", str(tmp_path))
    assert done.returncode == 2 and "-1 is not between 0 and 2^64-1" in done.stderr
