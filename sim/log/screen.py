"""A log for the replay screen, which steps back and forth: an index, not the whole log.

:func:`collect` reads the log once, as `replay --verify` does (streaming, through the
:class:`~sim.log.replay.Walker`), and keeps only what the screen needs at once: the header,
the end, the divergences, the damage, and every :data:`BLOCK` decisions a checkpoint (the
walker's state and the byte offset to read on from). :class:`Steps` is the sequence of
decisions the screen indexes; a step is made on demand by re-reading its block from the
checkpoint, and the last few blocks are cached. So a 100 MB log opens in about the memory
`--verify` needs, not ten times the file's size (``benchmarks/replay_screen.py``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

import attrs

from sim.engine import State
from sim.log.format import (
    AbandonedRecord,
    DecisionRecord,
    EndRecord,
    Header,
    LogError,
    Record,
    ReflectionRecord,
)
from sim.log.parse import parse_record
from sim.log.reader import LogFile
from sim.log.replay import Divergence, Located, Step, Walker, find_scenario, open_log
from sim.log.shown import Shown, meter_changes, meter_values, offered
from sim.model import Scenario

__all__ = ["Shown", "meter_changes", "meter_values", "offered"]  # and the names below

BLOCK = 256
"""Decisions between two checkpoints: a step is at most this many decisions' re-run away."""
CACHED_BLOCKS = 4


# --- the index ---------------------------------------------------------------------------


@attrs.frozen
class Checkpoint:
    """Where the walker stood just before a block's first decision, and where to read on."""

    offset: int
    line: int
    state: State
    saved: dict[int, State]
    following: bool
    step: int
    ended: EndRecord | None
    rewound_from: int | None

    @classmethod
    def of(cls, walker: Walker, offset: int, line: int) -> Checkpoint:
        return cls(
            offset,
            line,
            walker.state,
            dict(walker.saved),
            walker.following,
            walker.step,
            walker.ended,
            walker.pending_rewind,
        )

    def walker(self, located: Located, header: Header, source: Path) -> Walker:
        walker = Walker(located, header, source, None)
        walker.state, walker.saved = self.state, dict(self.saved)
        walker.following, walker.step, walker.ended = self.following, self.step, self.ended
        walker.pending_rewind = self.rewound_from
        return walker


class Steps(Sequence[Step]):
    """The decisions of a log, each made when asked for (see the module docstring)."""

    def __init__(self, path: Path, located: Located, header: Header, stop: int | None) -> None:
        self.path, self.located, self.header = path, located, header
        self.stop = stop  # the first line not to read (the damage), if any
        self.checkpoints: list[Checkpoint] = []
        self.total = 0
        self._cache: OrderedDict[int, list[Step]] = OrderedDict()

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> Step: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Step]: ...
    def __getitem__(self, index: int | slice) -> Step | Sequence[Step]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.total))]
        if index < 0:
            index += self.total
        if not 0 <= index < self.total:
            raise IndexError(index)
        block = self._block(index // BLOCK)
        return block[index % BLOCK]

    def _block(self, number: int) -> list[Step]:
        if number in self._cache:
            self._cache.move_to_end(number)
            return self._cache[number]
        point = self.checkpoints[number]
        wanted = min(BLOCK, self.total - number * BLOCK)
        walker = point.walker(self.located, self.header, self.path)
        steps: list[Step] = []
        try:
            for record in self._records(point):
                if isinstance(record, ReflectionRecord):
                    if steps:
                        steps[-1] = attrs.evolve(steps[-1], reflection=record.answer)
                    continue
                if len(steps) == wanted and isinstance(record, DecisionRecord):
                    break
                step = walker.feed(record)
                if step is not None:
                    steps.append(step)
        except LogError:
            pass  # the first pass stopped at the same place
        self._cache[number] = steps
        while len(self._cache) > CACHED_BLOCKS:
            self._cache.popitem(last=False)
        return steps

    def _records(self, point: Checkpoint) -> Iterator[Record]:
        """The records from a checkpoint on; a line the first pass skipped (a cut-off line a
        resume line names) is skipped again, and reading stops at the damage."""
        for number, raw, _complete in LogFile(self.path).raw_lines(point.offset, point.line):
            if self.stop is not None and number >= self.stop:
                return
            try:
                yield parse_record(raw, number)
            except ValueError:
                continue


# --- collecting a log for a screen -----------------------------------------------------


@attrs.define
class Recorded:
    """A log re-run once and indexed, for a screen that steps back and forth."""

    path: Path
    header: Header
    located: Located
    steps: Steps
    end: EndRecord | None
    divergences: list[Divergence]
    problem: LogError | None
    cut_line: int | None
    abandoned: AbandonedRecord | None = None  # an assessment left before its ending

    @property
    def scenario(self) -> Scenario:
        return self.located.scenario


def collect(path: Path, override: Path | None = None, dirs: Iterable[Path] = ()) -> Recorded:
    """Index every step of a log (the intact part of a damaged one); raises
    :class:`LogError` only when there is nothing to show (no header, no scenario)."""
    log, header, records = open_log(path)
    located = find_scenario(header, path, override, dirs)
    walker = Walker(located, header, path, log.rewind_targets())
    problem = None
    # Where the last record's line ends (a block is re-read from there): the header's, first.
    after, after_line = log.position, header.line
    checkpoints: list[Checkpoint] = [Checkpoint.of(walker, after, after_line)]
    count = 0
    try:
        for record in records:
            if isinstance(record, DecisionRecord) and count and count % BLOCK == 0:
                checkpoints.append(Checkpoint.of(walker, after, after_line))
            if walker.feed(record) is not None:
                count += 1
            after, after_line = log.position, record.line
    except LogError as e:
        problem = e
    problem = problem or log.problem
    steps = Steps(path, located, header, problem.line if problem and problem.line else None)
    steps.checkpoints, steps.total = checkpoints, count
    return Recorded(
        path,
        header,
        located,
        steps,
        walker.ended,
        walker.divergences,
        problem,
        log.cut_line,
        walker.abandoned,
    )
