"""Re-running a session log through the engine, for replay, verification and resume.

A session is exactly (scenario, seed, choice ids), and the log also records what each choice
did (meters before and after, where it led). Re-running the ids from the seed must therefore
give the recorded values; where it does not, the scenario has changed since the session (or the
log was edited), and :class:`Walker` says where: a choice that no longer exists, a scene the
engine no longer reaches, meters that now differ, a different ending. That is what makes old
sessions usable as regression tests for a scenario (`leadsim replay --verify`).

Replaying streams: the walker holds the current state, and only the states a later rewind
goes back to (found by a quick first pass over the log), so a 100,000-decision log replays in
the same memory as a short one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from sim import engine
from sim.engine import MAX_SEED, State
from sim.log import (
    AbandonedRecord,
    DecisionRecord,
    EndRecord,
    Header,
    LogError,
    LogFile,
    NarrationRecord,
    Record,
    ReflectionRecord,
    ResumeRecord,
    RewindRecord,
    signing,
)
from sim.log.locate import Located, find_scenario
from sim.log.shown import Shown, meter_changes, meter_values, offered
from sim.model import FEEDBACK_MODES

__all__ = [  # and the names below
    "Located",
    "Shown",
    "find_scenario",
    "meter_changes",
    "meter_values",
    "offered",
]

# --- walking a log through the engine ---------------------------------------------------

MODES = ("practice", "assessment")


@attrs.frozen
class Divergence:
    """Where re-running a log stops agreeing with what it recorded."""

    line: int
    step: int
    kind: str
    """What disagrees: "scene", "choice", "style", "meters", "goto", "flags", "ending" and
    "tally" (the engine now decides otherwise), "header" (a mode, feedback mode or seed no
    session can have), "rewind" (a rewind in an assessment), "reflection" and "resume" (a
    step that is not where the session stood)."""
    message: str


@attrs.frozen
class Step:
    """One recorded decision with what the engine makes of it now.

    ``before``/``after`` are the engine's states (None where it could not follow the log);
    ``rewound_from`` is set on the first decision after a rewind (the step gone back from)."""

    record: DecisionRecord
    before: State | None
    after: State | None
    rewound_from: int | None = None
    reflection: str | None = None


def meter_difference(recorded: dict[str, int], now: dict[str, int]) -> str | None:
    """'trust is 45 now, 40 in the log; ...' or None when they agree."""
    if recorded == now:
        return None
    parts = []
    for name in sorted(set(recorded) | set(now), key=lambda n: (n not in now, n)):
        if name not in now:
            parts.append(f"{name} is no longer a meter")
        elif name not in recorded:
            parts.append(f"{name} is a new meter")
        elif recorded[name] != now[name]:
            parts.append(f"{name} is {now[name]} now, {recorded[name]} in the log")
    return "; ".join(parts) or None


class Walker:
    """Feeds a log's records, in order, through the engine.

    Keeps the engine's current state and the states at ``keep`` steps (rewind targets, each
    with the line of the last rewind to it, from :meth:`LogFile.rewind_targets`; None keeps
    every state). The first divergence of each kind is kept in
    :attr:`divergences` and every one is counted in :attr:`counts`. A log that contradicts
    itself (a step out of order) raises :class:`LogError`."""

    def __init__(
        self, located: Located, header: Header, source: Path | str, keep: dict[int, int] | None
    ):
        self.scenario = located.scenario
        self.header = header
        self.source = source
        self.keep = dict(keep) if keep is not None else None
        self.state = engine.start(self.scenario, header.seed)
        self.saved: dict[int, State] = {0: self.state}
        self.following = True
        self.step = 0  # the recorded step the log stands at
        self.ended: EndRecord | None = None
        self.abandoned: AbandonedRecord | None = None
        self.divergences: list[Divergence] = []
        self.counts: Counter[str] = Counter()
        self.pending_rewind: int | None = None  # the step a rewind left, for the next Step
        self._check_header(header)

    def _check_header(self, h: Header) -> None:
        if h.mode not in MODES:
            self.diverge(1, 0, "header", f"the mode {h.mode!r} is not practice or assessment")
        if h.feedback not in FEEDBACK_MODES:
            known = ", ".join(FEEDBACK_MODES)
            self.diverge(1, 0, "header", f"the feedback mode {h.feedback!r} is not one of {known}")
        if not 0 <= h.seed <= MAX_SEED:
            self.diverge(
                1,
                0,
                "header",
                f"the seed {h.seed} is outside the seeds leadsim uses (0-{MAX_SEED})",
            )

    def diverge(self, line: int, step: int, kind: str, message: str) -> None:
        if not self.counts[kind]:
            self.divergences.append(Divergence(line, step, kind, message))
        self.counts[kind] += 1

    def feed(self, record: Record) -> Step | None:
        """Take one record; a decision comes back as a :class:`Step`."""
        if isinstance(record, NarrationRecord):
            record = record.as_decision()  # followed as the scene's one way on
        if isinstance(record, DecisionRecord):
            return self._decision(record)
        if isinstance(record, ReflectionRecord | ResumeRecord) and record.step != self.step:
            kind = "reflection" if isinstance(record, ReflectionRecord) else "resume"
            self.diverge(
                record.line,
                record.step,
                kind,
                f"a {kind} line at step {record.step}, where the session stood at {self.step}",
            )
        if isinstance(record, RewindRecord):
            if self.header.mode == "assessment":
                self.diverge(
                    record.line,
                    self.step,
                    "rewind",
                    f"a rewind to step {record.to_step} in an assessment, "
                    "where going back is switched off",
                )
            if not 0 <= record.to_step < self.step:
                raise LogError(
                    self.source,
                    record.line,
                    f"a rewind to step {record.to_step} from step {self.step}",
                )
            self.pending_rewind, self.step, self.ended = self.step, record.to_step, None
            for step in [s for s in self.saved if s > record.to_step]:
                del self.saved[step]
            saved = self.saved.get(record.to_step)
            if self.keep is not None and self.keep.get(record.to_step) == record.line:
                del self.keep[record.to_step]  # no later rewind comes back here
                self.saved.pop(record.to_step, None)
            self.following = saved is not None
            if saved is not None:
                self.state = saved
        elif isinstance(record, EndRecord):
            self._end(record)
        elif isinstance(record, AbandonedRecord):
            self.abandoned = record
        return None

    def _decision(self, rec: DecisionRecord) -> Step:
        if rec.step != self.step + 1:
            raise LogError(
                self.source, rec.line, f"decision step {rec.step} does not follow step {self.step}"
            )
        self.step = rec.step
        rewound_from, self.pending_rewind = self.pending_rewind, None
        if not self.following:
            return Step(rec, None, None, rewound_from)
        before = self.state
        where = f"step {rec.step} ({rec.scene}/{rec.choice})"
        if before.over:
            self.diverge(
                rec.line,
                rec.step,
                "ending",
                f"{where}: the session now ends at {before.ending!r} before this decision",
            )
            return self._lost(rec, before, rewound_from)
        if before.scene != rec.scene:
            self.diverge(
                rec.line,
                rec.step,
                "scene",
                f"{where}: the engine is now in scene {before.scene!r}, the log in {rec.scene!r}",
            )
            return self._lost(rec, before, rewound_from)
        try:
            after = engine.choose(self.scenario, before, rec.choice)
        except engine.ChoiceNotOffered:
            scene = self.scenario.scenes[rec.scene]
            why = (
                "is not available there now"
                if scene.choice(rec.choice) is not None
                else "no longer exists"
            )
            self.diverge(
                rec.line,
                rec.step,
                "choice",
                f"{where}: choice {rec.choice!r} {why} in scene {rec.scene!r}",
            )
            return self._lost(rec, before, rewound_from)
        decision = after.last
        assert decision is not None
        if rec.shown and decision.shown and decision.shown != rec.shown:
            self.diverge(
                rec.line,
                rec.step,
                "order",
                f"{where}: the choices are now shown as {', '.join(decision.shown)}, "
                f"in the log as {', '.join(rec.shown)}",
            )
        if decision.style != rec.style:
            self.diverge(
                rec.line,
                rec.step,
                "style",
                f"{where}: the choice is {decision.style} now, {rec.style} in the log",
            )
        for label, recorded, values in (
            ("before", rec.before, before.meters),
            ("after", rec.after, after.meters),
        ):
            diff = meter_difference(recorded, engine.meters_by_name(self.scenario, values))
            if diff:
                self.diverge(rec.line, rec.step, "meters", f"{where}: meters {label}: {diff}")
                break
        self._check_outcome(rec, decision, where)
        self.state = after
        if self.keep is None or rec.step in self.keep:
            self.saved[rec.step] = after
        return Step(rec, before, after, rewound_from)

    def _check_outcome(self, rec: DecisionRecord, decision: engine.Decision, where: str) -> None:
        """Where the choice led and which flags it changed, as recorded and as now."""
        if rec.goto != decision.goto:
            self.diverge(
                rec.line,
                rec.step,
                "goto",
                f"{where}: the choice now leads to {decision.goto!r}, the log says {rec.goto!r}",
            )
        for label, recorded, now in (
            ("sets", rec.flags_set, decision.flags_set),
            ("clears", rec.flags_cleared, decision.flags_cleared),
        ):
            if sorted(recorded) != sorted(now):
                self.diverge(
                    rec.line,
                    rec.step,
                    "flags",
                    f"{where}: the choice now {label} flags {sorted(now)}, "
                    f"the log says {sorted(recorded)}",
                )

    def _lost(self, rec: DecisionRecord, before: State, rewound_from: int | None) -> Step:
        self.following = False
        return Step(rec, before, None, rewound_from)

    def _end(self, rec: EndRecord) -> None:
        if rec.step != self.step:
            raise LogError(
                self.source,
                rec.line,
                f"the end line says step {rec.step}, the log is at {self.step}",
            )
        self.ended = rec
        if not self.following:
            return
        state = self.state
        if state.ending != rec.ending:
            now = f"ends at {state.ending!r}" if state.over else f"goes on to scene {state.scene!r}"
            self.diverge(
                rec.line,
                rec.step,
                "ending",
                f"after step {rec.step}: the session now {now}; the log ended at {rec.ending!r}",
            )
            return
        diff = meter_difference(rec.meters, engine.meters_by_name(self.scenario, state.meters))
        if diff:
            self.diverge(rec.line, rec.step, "meters", f"final meters: {diff}")
        tally = engine.tally_by_style(state)
        if rec.tally != tally:
            self.diverge(
                rec.line,
                rec.step,
                "tally",
                f"the end line counts decisions by style as {rec.tally}; the decisions that "
                f"led here make {tally}",
            )


def open_log(path: Path | str) -> tuple[LogFile, Header, Iterator[Record]]:
    """A log's header and an iterator over the rest; raises :class:`LogError`."""
    log = LogFile(path)
    records = log.records()
    header = next(records, None)
    if not isinstance(header, Header):
        raise log.no_header()
    return log, header, records


# --- verifying --------------------------------------------------------------------------


@attrs.frozen
class Verdict:
    """One log checked against the scenario as it is now."""

    path: Path
    header: Header | None
    decisions: int = 0
    notes: tuple[str, ...] = ()
    divergences: tuple[Divergence, ...] = ()
    counts: dict[str, int] = attrs.field(factory=dict)
    problem: LogError | None = None
    ended: str | None = None
    signatures: tuple[signing.Problem, ...] = ()
    """What is wrong with the log's signatures (checked only when a key is given)."""

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.divergences and not self.signatures


def verify(
    path: Path, against: Path | None = None, dirs: Iterable[Path] = (), key: bytes | None = None
) -> Verdict:
    """Re-run ``path`` against its scenario (or ``against``) and, given the signing ``key``,
    check its signatures; never raises for a bad log."""
    signatures = tuple(signing.check(path, key).problems) if key is not None else ()
    try:
        log, header, records = open_log(path)
        located = find_scenario(header, path, against, dirs)
    except LogError as e:
        return Verdict(path, None, problem=e, signatures=signatures)
    walker = Walker(located, header, path, log.rewind_targets())
    decisions = 0
    problem = None
    try:
        for record in records:
            if walker.feed(record) is not None:
                decisions += 1
    except LogError as e:
        problem = e
    return Verdict(
        path,
        header,
        decisions,
        located.notes,
        tuple(walker.divergences),
        dict(walker.counts),
        problem or log.problem,
        walker.ended.ending if walker.ended else None,
        signatures,
    )
