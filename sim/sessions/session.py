"""A playthrough in progress: the thin, stateful shell around the pure engine.

The engine turns one state into the next; a :class:`Session` remembers the states so far, the
reflections the trainee typed, and the branches abandoned by rewinding, and tells a
:class:`Recorder` (the session log) about each event as it happens. The text mode and the TUI
both drive a Session, so they cannot disagree about what a decision does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal, Protocol

import attrs

from sim import engine
from sim.engine import Decision, Offer, State
from sim.model import FeedbackMode, Prose, Scenario
from sim.prose import say
from sim.reprs import shared_repr

Mode = Literal["practice", "assessment"]


class Recorder(Protocol):
    """Receives every event of a session as it happens (the log implements it)."""

    def started(self, session: Session) -> None: ...
    def decided(
        self, session: Session, decision: Decision, state: State, elapsed: float
    ) -> None: ...
    def reflected(self, session: Session, step: int, answer: str) -> None: ...
    def rewound(self, session: Session, to_step: int) -> None: ...
    def abandoned(self, session: Session) -> None: ...
    def finished(self, session: Session) -> None: ...


class RewindNotAllowed(engine.EngineError):
    """Rewinding is switched off in an assessment."""


@attrs.frozen
@shared_repr
class Branch:
    """Decisions abandoned by a rewind, kept so the debrief can show the first run too."""

    from_step: int
    decisions: tuple[Decision, ...]
    ending: str | None


@attrs.define
@shared_repr
class Session:
    scenario: Scenario
    seed: int
    mode: Mode = "practice"
    feedback: FeedbackMode | None = None
    trainee: str | None = None
    recorder: Recorder | None = None
    clock: Callable[[], float] = time.monotonic
    states: list[State] = attrs.field(factory=list)
    reflections: dict[int, str] = attrs.field(factory=dict)
    branches: list[Branch] = attrs.field(factory=list)
    _last_time: float = 0.0

    def __attrs_post_init__(self) -> None:
        if self.feedback is None:
            self.feedback = self.scenario.feedback_mode
        if not self.states:
            self.states.append(engine.start(self.scenario, self.seed))
        self._last_time = self.clock()

    def begin(self) -> Session:
        """Announce the session to the recorder (separate from construction so resuming a
        session does not write a second header)."""
        if self.recorder is not None:
            self.recorder.started(self)
        return self

    # -- reading --

    @property
    def state(self) -> State:
        return self.states[-1]

    @property
    def over(self) -> bool:
        return self.state.over

    @property
    def step(self) -> int:
        return self.state.step

    def offers(self) -> tuple[Offer, ...]:
        return engine.choices(self.scenario, self.state)

    def decisions(self) -> list[Decision]:
        return [s.last for s in self.states[1:] if s.last is not None]

    def choice_ids(self) -> list[str]:
        return [d.choice for d in self.decisions()]

    def meters(self) -> dict[str, int]:
        return engine.meters_by_name(self.scenario, self.state.meters)

    def say(self, text: Prose | None, step: int | None = None) -> str:
        """``text`` as the trainee reads it now, or as it read after decision ``step`` (0: at
        the start): conditional parts resolved and values inserted (:func:`sim.prose.say`)."""
        state = self.state if step is None else self.states[step]
        return say(self.scenario, state, text, self.trainee)

    # -- acting --

    def choose(self, choice_id: str) -> Decision:
        """Take a choice; raise :class:`engine.ChoiceNotOffered` if it is not available."""
        state = engine.choose(self.scenario, self.state, choice_id)
        now = self.clock()
        elapsed, self._last_time = now - self._last_time, now
        self.states.append(state)
        assert state.last is not None
        if self.recorder is not None:
            self.recorder.decided(self, state.last, state, elapsed)
            if state.over:
                self.recorder.finished(self)
        return state.last

    def reflect(self, answer: str) -> None:
        """Keep the trainee's answer to the scene's reflection question with the last decision."""
        answer = answer.strip()
        if not answer or self.step == 0:
            return
        self.reflections[self.step] = answer
        if self.recorder is not None:
            self.recorder.reflected(self, self.step, answer)

    def rewind(self, to_step: int) -> None:
        """Go back to just before decision ``to_step + 1``; the abandoned decisions are kept in
        :attr:`branches` for the debrief and the log."""
        if self.mode == "assessment":
            raise RewindNotAllowed("rewinding is switched off in an assessment")
        if not 0 <= to_step < self.step:
            raise engine.EngineError(f"cannot rewind to step {to_step} from step {self.step}")
        abandoned = tuple(self.decisions()[to_step:])
        self.branches.append(Branch(to_step, abandoned, self.state.ending))
        del self.states[to_step + 1 :]
        for step in [s for s in self.reflections if s > to_step]:
            del self.reflections[step]
        self._last_time = self.clock()
        if self.recorder is not None:
            self.recorder.rewound(self, to_step)

    def abandon(self) -> None:
        """The trainee leaves an assessment before its ending: the log says so, the attempt
        counts as abandoned and is never offered for resume (a practice session just stays
        unfinished, to be resumed)."""
        if self.mode != "assessment" or self.over:
            return
        if self.recorder is not None:
            self.recorder.abandoned(self)

    def restart(self) -> None:
        """Start over from the first scene with the same seed (a rewind to step 0)."""
        if self.step:
            self.rewind(0)
