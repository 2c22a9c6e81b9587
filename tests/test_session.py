"""The Session shell: recording, reflections, rewinds and assessments."""

from __future__ import annotations

import pytest

from sim import engine
from sim.engine import Decision, State
from sim.model import Scenario
from sim.sessions.session import RewindNotAllowed, Session


class Events:
    """A recorder that keeps what it was told, in order."""

    def __init__(self) -> None:
        self.seen: list[tuple] = []

    def started(self, session: Session) -> None:
        self.seen.append(("started", session.seed))

    def decided(self, session: Session, decision: Decision, state: State, elapsed: float) -> None:
        self.seen.append(("decided", decision.choice, state.scene, elapsed))

    def reflected(self, session: Session, step: int, answer: str) -> None:
        self.seen.append(("reflected", step, answer))

    def rewound(self, session: Session, to_step: int) -> None:
        self.seen.append(("rewound", to_step))

    def abandoned(self, session: Session) -> None:
        self.seen.append(("abandoned", session.step))

    def finished(self, session: Session) -> None:
        self.seen.append(("finished", session.state.ending))


def clock() -> object:
    ticks = iter(range(0, 1000, 2))
    return lambda: float(next(ticks))


def test_session_tells_the_recorder_everything(small: Scenario) -> None:
    events = Events()
    s = Session(small, 1, recorder=events, clock=clock()).begin()
    s.choose("assign")
    s.reflect("  speed mattered  ")
    s.reflect("   ")  # skipped
    s.choose("chase")
    s.choose("back-to-work")
    assert events.seen == [
        ("started", 1),
        ("decided", "assign", "tuesday", 2.0),
        ("reflected", 1, "speed mattered"),
        ("decided", "chase", "coffee", 2.0),
        ("decided", "back-to-work", "shipped-tired", 2.0),
        ("finished", "shipped-tired"),
    ]
    assert s.reflections == {1: "speed mattered"}
    assert s.choice_ids() == ["assign", "chase", "back-to-work"]


def test_rewind_keeps_the_first_run(small: Scenario) -> None:
    s = Session(small, 1)
    for choice in ("assign", "chase", "back-to-work"):
        s.choose(choice)
    first_ending = s.state.ending
    s.rewind(1)
    assert s.step == 1 and s.state.scene == "tuesday" and not s.over
    (branch,) = s.branches
    assert branch.from_step == 1 and branch.ending == first_ending
    assert [d.choice for d in branch.decisions] == ["chase", "back-to-work"]
    # The new path continues from the same state, deterministically.
    assert s.state == engine.run(small, 1, ["assign"])


def test_assessment_forbids_rewinding(small: Scenario) -> None:
    s = Session(small, 1, mode="assessment")
    s.choose("assign")
    with pytest.raises(RewindNotAllowed):
        s.rewind(0)


def test_feedback_mode_defaults_to_the_scenarios(small: Scenario) -> None:
    assert Session(small, 1).feedback == "coach"
    assert Session(small, 1, feedback="debrief").feedback == "debrief"
