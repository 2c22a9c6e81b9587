"""One session, from any source, reduced to what the cohort report counts.

The report's input is a session given as its log header plus its records (the types
:mod:`sim.log` reads), from wherever they came: a log file is one source (:class:`LogSource`),
an LRS read back as the same records is another (:class:`Given`). Every source goes through
:func:`walk`, which feeds the records to :class:`sim.log.replay.Walker`, the same walker
`leadsim replay` uses, so a session is counted by its *effective path*: a rewind drops the
decisions after its step (and the reflections on them) exactly as replay and resume read it,
and a resume line carries on where the session stood. A damaged log contributes its intact
part and keeps the damage (a :class:`LogError` with its line number).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

import attrs

from sim.log import (
    DecisionRecord,
    EndRecord,
    Header,
    LogError,
    LogFile,
    Record,
    ReflectionRecord,
    ResumeRecord,
    RewindRecord,
)
from sim.log.replay import Located, Walker, find_scenario
from sim.model import CONTINUE, Scenario


class Feed(Protocol):
    """A session as the report takes it. ``problem`` is read after ``records()`` is used up
    (a file source learns of damage only by reading)."""

    @property
    def source(self) -> str: ...
    @property
    def header(self) -> Header: ...
    def records(self) -> Iterator[Record]: ...
    @property
    def problem(self) -> LogError | None: ...


@attrs.frozen
class Given:
    """A session already in memory (built from LRS statements, say): ``records`` follow the
    header, in the order they happened."""

    source: str
    header: Header
    given: tuple[Record, ...] = ()
    problem: LogError | None = None

    def records(self) -> Iterator[Record]:
        return iter(self.given)


class LogSource:
    """A session log file, read up to its last complete line: the line a running session is
    still writing is left for the next update. :meth:`open` returns None (and sets
    :attr:`problem`) when the file has no readable header."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.source = os.path.abspath(path)
        self.log = LogFile(path)
        self._records = self.log.records()
        self._problem: LogError | None = None

    def open(self) -> Header | None:
        first = next(self._records, None)
        if isinstance(first, Header):
            self.header = first
            return first
        self._problem = self.log.problem or self.log.error(
            1, "the log is empty (the session was cut off as it started)"
        )
        return None

    @property
    def problem(self) -> LogError | None:
        return self._problem or self.log.problem

    def records(self) -> Iterator[Record]:
        held: Record | None = None
        for record in self._records:
            if held is not None:
                yield held
            held = record
        log = self.log
        if held is not None and not (log.newline_missing and held.line == log.last_line):
            yield held


@attrs.frozen
class Walked:
    """A session as the index stores it: its effective path and what it came to."""

    source: str
    header: Header
    path: tuple[DecisionRecord, ...]
    traits: tuple[str, ...]
    """Each decision's choice's traits, comma-separated (the choice as the scenario has it)."""
    reflections: dict[int, str]
    ending: str | None
    outcome: str | None
    tally: dict[str, int]
    stopped: str | None
    """The scene an unfinished session stands in (None once it has ended)."""
    resumes: int
    rewinds: int
    changed: bool
    problem: LogError | None
    counted: bool = True
    """False when the scenario cannot be found: the session is listed, not counted."""


class Scenarios:
    """Each scenario a log names, loaded once per (file, id, digest) and remembered, also when
    it cannot be found (so ten thousand logs of a deleted scenario cost one failed look-up)."""

    def __init__(self, dirs: Iterable[Path] = ()) -> None:
        self.dirs = tuple(dirs)
        self._found: dict[tuple[str, str, str], Located | LogError] = {}
        self._traits: dict[int, dict[tuple[str, str], str]] = {}

    def find(self, header: Header, source: str) -> Located:
        key = (header.path, header.scenario, header.sha256)
        found = self._found.get(key)
        if found is None:
            try:
                found = find_scenario(header, source, None, self.dirs)
            except LogError as e:
                found = e
            self._found[key] = found
        if isinstance(found, LogError):
            raise LogError(source, 1, found.message, found.hint)
        return found

    def loaded(self, recorded: str, scenario_id: str) -> Scenario | None:
        """The scenario already loaded for sessions that recorded the file ``recorded``, if
        its id is ``scenario_id`` (what :func:`sim.report.cohort.find` would load again)."""
        for (path, _id, _digest), found in self._found.items():
            if path == recorded and isinstance(found, Located) and found.scenario.id == scenario_id:
                return found.scenario
        return None

    def traits(self, scenario: Scenario) -> dict[tuple[str, str], str]:
        """Each (scene, choice) of ``scenario`` with the choice's traits, comma-separated:
        made once per scenario, as a hundred thousand decisions make a few hundred choices."""
        table = self._traits.get(id(scenario))
        if table is None:
            table = self._traits[id(scenario)] = {}
            for scene_id, scene in scenario.scenes.items():
                for choice in scene.choices:  # the first of an id, as Scene.choice finds it
                    table.setdefault((scene_id, choice.id), ",".join(choice.traits))
        return table


def walk(feed: Feed, scenarios: Scenarios) -> Walked:
    """Feed a session's records through the replay walker; never raises for a bad session."""
    header = feed.header
    try:
        located = scenarios.find(header, feed.source)
    except LogError as e:
        return _nothing(feed.source, header, e)
    walker = Walker(located, header, feed.source, {})
    # The report counts what was recorded; checking each decision against the engine is
    # `replay --verify`'s job and would double the cost of a cold index.
    walker.following = False
    walker.saved.clear()  # nor take it up again after a rewind to the start
    path: list[DecisionRecord] = []
    reflections: dict[int, str] = {}
    resumes = rewinds = 0
    problem = None
    try:
        for record in feed.records():
            step = walker.feed(record)
            if step is not None:
                path.append(step.record)
            elif isinstance(record, ReflectionRecord):
                if record.step <= walker.step:  # one ahead of the session is on no step of it
                    reflections[record.step] = record.answer
            elif isinstance(record, RewindRecord):
                rewinds += 1
                # The walker's step is where the session stands: after a rewind, what lies
                # beyond it is no longer the session's path (only a rewind moves it back).
                del path[walker.step :]
                for gone in [s for s in reflections if s > walker.step]:
                    del reflections[gone]
            elif isinstance(record, ResumeRecord):
                resumes += 1
    except LogError as e:
        problem = e
    scenario = located.scenario
    table = scenarios.traits(scenario)
    traits = tuple(table.get((rec.scene, rec.choice), "") for rec in path)
    ended: EndRecord | None = walker.ended
    ending = ended.ending if ended is not None else None
    if ended is not None:  # the end line's tally is the engine's (tally_by_style)
        tally = dict(ended.tally)
    else:
        tally = {"manager": 0, "leader": 0, "neutral": 0}
        for rec in path:
            if rec.choice != CONTINUE:  # a narration scene's continue is no decision
                tally[rec.style] = tally.get(rec.style, 0) + 1
    end = scenario.endings.get(ending) if ending else None
    return Walked(
        feed.source,
        header,
        tuple(path),
        traits,
        reflections,
        ending,
        end.outcome if end is not None else None,
        tally,
        None if ending else (path[-1].goto if path else scenario.start),
        resumes,
        rewinds,
        located.changed,
        problem or feed.problem,
    )


def _nothing(source: str, header: Header, problem: LogError) -> Walked:
    """A session whose scenario cannot be found: listed, with the reason, and nothing counted."""
    return Walked(
        source, header, (), (), {}, None, None, {}, None, 0, 0, False, problem, counted=False
    )
