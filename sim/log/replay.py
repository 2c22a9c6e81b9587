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
from sim.engine import State
from sim.format import library, loader
from sim.format.diagnostics import ScenarioError
from sim.log import (
    AbandonedRecord,
    DecisionRecord,
    EndRecord,
    Header,
    LogError,
    LogFile,
    Record,
    ReflectionRecord,
    RewindRecord,
)
from sim.model import Scenario
from sim.safetext import plain

# --- finding the scenario ---------------------------------------------------------------


@attrs.frozen
class Located:
    """The scenario a log is replayed against, and what a trainer should know about it."""

    scenario: Scenario
    changed: bool
    notes: tuple[str, ...] = ()


def find_scenario(
    header: Header, log_path: Path | str, override: Path | None = None, dirs: Iterable[Path] = ()
) -> Located:
    """The scenario for a log: ``override`` if given, else the recorded file if it still
    exists, else the shipped (or ``dirs``) scenario with the recorded id.

    Raises :class:`LogError` when none can be loaded."""
    if override is not None:
        path = override
    elif header.path and Path(header.path).is_file():
        path = Path(header.path)
    else:
        try:
            path = library.resolve(header.scenario, dirs)
        except ScenarioError:
            raise LogError(
                log_path,
                1,
                f"cannot find scenario {header.scenario!r}: the recorded file "
                f"{header.path or '(none)'} is gone and no shipped scenario has that id",
                "name the scenario file with --scenario FILE",
            ) from None
    try:
        scenario = loader.load(path)
    except ScenarioError as e:
        raise LogError(
            log_path, 1, f"the scenario {path} does not load: {e.diagnostics[0].format()}"
        ) from None
    notes = []
    if scenario.id != header.scenario:
        notes.append(f"The log is of scenario {header.scenario!r}; {path} is {scenario.id!r}.")
    changed = scenario.sha256 != header.sha256
    if changed:
        version = (
            f" (version {header.version} then, {scenario.version} now)"
            if scenario.version != header.version
            else ""
        )
        notes.append(
            f"The scenario file {path} has changed since this session was recorded{version}. "
            "What was recorded is shown as it happened; the engine follows the recorded "
            "choices only as far as they still exist."
        )
    return Located(scenario, changed, tuple(notes))


# --- walking a log through the engine ---------------------------------------------------


@attrs.frozen
class Divergence:
    """Where re-running a log stops agreeing with what it recorded."""

    line: int
    step: int
    kind: str  # "scene", "choice", "style", "meters" or "ending"
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
        self._rewound_from: int | None = None

    def diverge(self, line: int, step: int, kind: str, message: str) -> None:
        if not self.counts[kind]:
            self.divergences.append(Divergence(line, step, kind, message))
        self.counts[kind] += 1

    def feed(self, record: Record) -> Step | None:
        """Take one record; a decision comes back as a :class:`Step`."""
        if isinstance(record, DecisionRecord):
            return self._decision(record)
        if isinstance(record, RewindRecord):
            if not 0 <= record.to_step < self.step:
                raise LogError(
                    self.source,
                    record.line,
                    f"a rewind to step {record.to_step} from step {self.step}",
                )
            self._rewound_from, self.step, self.ended = self.step, record.to_step, None
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
        rewound_from, self._rewound_from = self._rewound_from, None
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
        self.state = after
        if self.keep is None or rec.step in self.keep:
            self.saved[rec.step] = after
        return Step(rec, before, after, rewound_from)

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


@attrs.frozen
class Shown:
    """A choice as a replay shows it at a recorded step."""

    id: str
    text: str
    style: str
    chosen: bool
    available: bool = True
    reason: str | None = None


def offered(scenario: Scenario, step: Step) -> list[Shown]:
    """The choices offered at ``step`` (as the engine offers them from the state before it),
    the recorded one marked; a recorded choice the scenario no longer offers is added last."""
    rec = step.record
    shown = []
    if step.before is not None and not step.before.over and step.before.scene == rec.scene:
        for o in engine.choices(scenario, step.before):
            c = o.choice
            shown.append(Shown(c.id, c.text, c.style, c.id == rec.choice, o.available, o.reason))
    if not any(s.chosen for s in shown):
        scene = scenario.scenes.get(rec.scene)
        choice = scene.choice(rec.choice) if scene is not None else None
        text = choice.text if choice is not None else f"({rec.choice}: no longer in the scenario)"
        shown.append(Shown(rec.choice, text, rec.style, True))
    return shown


def meter_changes(scenario: Scenario, before: dict[str, int], after: dict[str, int]) -> str:
    """'Team trust 50 -> 45 (-5), Results 50' from recorded meters, labelled by the scenario."""
    labels = {m.id: plain(m.label) for m in scenario.meters}
    parts = []
    for name, value in after.items():
        was = before.get(name, value)
        change = f" -> {value} ({value - was:+d})" if value != was else ""
        parts.append(f"{labels.get(name, plain(name))} {was}{change}")
    return ", ".join(parts)


def meter_values(scenario: Scenario, values: dict[str, int]) -> str:
    labels = {m.id: plain(m.label) for m in scenario.meters}
    return ", ".join(f"{labels.get(n, plain(n))} {v}" for n, v in values.items())


def open_log(path: Path | str) -> tuple[LogFile, Header, Iterator[Record]]:
    """A log's header and an iterator over the rest; raises :class:`LogError`."""
    log = LogFile(path)
    records = log.records()
    header = next(records, None)
    if not isinstance(header, Header):
        raise log.problem or log.error(
            1, "the log is empty (the session was cut off as it started)"
        )
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

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.divergences


def verify(path: Path, against: Path | None = None, dirs: Iterable[Path] = ()) -> Verdict:
    """Re-run ``path`` against its scenario (or ``against``); never raises for a bad log."""
    try:
        log, header, records = open_log(path)
        located = find_scenario(header, path, against, dirs)
    except LogError as e:
        return Verdict(path, None, problem=e)
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
    )


# --- collecting a log for a screen -----------------------------------------------------


@attrs.define
class Recorded:
    """A whole log re-run and kept in memory, for a screen that steps back and forth."""

    path: Path
    header: Header
    located: Located
    steps: list[Step]
    end: EndRecord | None
    divergences: list[Divergence]
    problem: LogError | None
    cut_line: int | None
    abandoned: AbandonedRecord | None = None  # an assessment left before its ending

    @property
    def scenario(self) -> Scenario:
        return self.located.scenario


def collect(path: Path, override: Path | None = None, dirs: Iterable[Path] = ()) -> Recorded:
    """Every step of a log (the intact part of a damaged one); raises :class:`LogError` only
    when there is nothing to show (no header, no scenario)."""
    log, header, records = open_log(path)
    located = find_scenario(header, path, override, dirs)
    walker = Walker(located, header, path, None)
    steps: list[Step] = []
    problem = None
    try:
        for record in records:
            step = walker.feed(record)
            if step is not None:
                steps.append(step)
            elif isinstance(record, ReflectionRecord) and steps:
                steps[-1] = attrs.evolve(steps[-1], reflection=record.answer)
    except LogError as e:
        problem = e
    return Recorded(
        path,
        header,
        located,
        steps,
        walker.ended,
        walker.divergences,
        problem or log.problem,
        log.cut_line,
        walker.abandoned,
    )
