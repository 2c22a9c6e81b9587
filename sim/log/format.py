"""The session log's format: its records and how one is written (each line is checked and
read by :mod:`sim.log.parse`).

One JSON object per line, ``type`` first: ``session`` (the header), ``decision``,
``narration`` (a narration scene read and left; format 2), ``reflection``, ``rewind``,
``resume``, ``end`` and ``abandoned`` (an assessment the trainee left before its ending: the
attempt counts, and it is never resumed). Meters are written by name, so a log stays readable
when a scenario reorders its meters. The README's "Session logs" section is the reference;
:data:`FORMAT` changes only when a reader of the old format could misread a log.
"""

from __future__ import annotations

import errno
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from sim import __version__
from sim.engine import Decision, State, meters_by_name, tally_by_style
from sim.model import CONTINUE
from sim.places import LOG_SUFFIX
from sim.safetext import one_line

if TYPE_CHECKING:
    from sim.model import Scenario


class Played(Protocol):
    """What the log reads of a session (a :class:`sim.sessions.session.Session` is one). The
    log sits below the sessions layer, so it names only what it needs."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def seed(self) -> int: ...
    @property
    def mode(self) -> str: ...
    @property
    def feedback(self) -> str | None: ...
    @property
    def trainee(self) -> str | None: ...
    @property
    def step(self) -> int: ...
    @property
    def state(self) -> State: ...


FORMAT = 2
"""The newest log format this version reads. It writes format 2 for a format 1.1 scenario
(whose logs may hold ``narration`` lines and a decision's ``shown`` order) and format 1
otherwise, so a log of a format 1 scenario is what it always was."""
KIND = "leadsim-session"
SUFFIX = LOG_SUFFIX
MAX_LINE = 1 << 20
"""Longest line the reader accepts (1 MiB); a real line is a few hundred bytes."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, as every log line writes times."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- problems ---------------------------------------------------------------------------


class LogError(Exception):
    """A log that cannot be read (from ``line`` on) or used as asked; ``format()`` gives the
    ``LOG:LINE: error: ...`` diagnostic the commands print."""

    def __init__(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        """The diagnostic on one line, cleaned for a terminal (:func:`sim.safetext.one_line`):
        a file name or a quoted log value cannot print escapes or start a forged line."""
        path = one_line(self.path)
        where = f"{path}:{self.line}" if self.line else path
        hint = f"; {self.hint}" if self.hint else ""
        return one_line(f"{where}: error: {self.message}{hint}")


def describe(error: OSError) -> str:
    """An OSError in a trainer's words."""
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    if error.errno == errno.ENOENT:
        return "the file or folder does not exist"
    return error.strerror or str(error)


# --- records ----------------------------------------------------------------------------


@attrs.frozen
class Header:
    """The first line: what was played, how, by whom, when."""

    line: int
    session: str
    mode: str
    feedback: str
    scenario: str
    title: str
    sha256: str
    path: str
    version: str
    seed: int
    trainee: str | None
    app: str
    started: str
    format: int = FORMAT
    watch: bool = False
    """A trainer's ``--watch`` run of a scenario being edited: listed, never offered for
    resume (each reload starts a new log)."""


@attrs.frozen
class DecisionRecord:
    line: int
    step: int
    scene: str
    choice: str
    style: str
    before: dict[str, int]
    after: dict[str, int]
    flags_set: tuple[str, ...]
    flags_cleared: tuple[str, ...]
    goto: str
    elapsed: float
    shown: tuple[str, ...] = ()
    """The offered choices' ids in the order shown, when they were shuffled (format 2)."""


@attrs.frozen
class NarrationRecord:
    """A narration scene read and left (format 2): a step with no choice, style or change."""

    line: int
    step: int
    scene: str
    meters: dict[str, int]
    goto: str
    elapsed: float

    def as_decision(self) -> DecisionRecord:
        """The record as the decision the engine replays: the scene's one way on."""
        return DecisionRecord(
            self.line,
            self.step,
            self.scene,
            CONTINUE,
            "neutral",
            self.meters,
            self.meters,
            (),
            (),
            self.goto,
            self.elapsed,
        )


@attrs.frozen
class ReflectionRecord:
    line: int
    step: int
    answer: str


@attrs.frozen
class RewindRecord:
    line: int
    to_step: int


@attrs.frozen
class ResumeRecord:
    line: int
    step: int
    at: str
    app: str
    cut_line: int | None


@attrs.frozen
class EndRecord:
    line: int
    step: int
    ending: str
    meters: dict[str, int]
    tally: dict[str, int]


@attrs.frozen
class AbandonedRecord:
    """The trainee left an assessment before its ending: the attempt counts as abandoned."""

    line: int
    step: int
    at: str


Record = (
    Header
    | DecisionRecord
    | NarrationRecord
    | ReflectionRecord
    | RewindRecord
    | ResumeRecord
    | EndRecord
    | AbandonedRecord
)
TYPES: dict[str, type[Record]] = {
    "session": Header,
    "decision": DecisionRecord,
    "narration": NarrationRecord,
    "reflection": ReflectionRecord,
    "rewind": RewindRecord,
    "resume": ResumeRecord,
    "end": EndRecord,
    "abandoned": AbandonedRecord,
}


# --- writing a record ----------------------------------------------------------------


def encode(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def log_format(scenario: Scenario) -> int:
    """The log format a session of ``scenario`` is written in (see :data:`FORMAT`)."""
    return 2 if scenario.format == "1.1" else 1


def header_record(
    session: Played, session_id: str, moment: datetime, *, watch: bool = False
) -> dict[str, Any]:
    sc = session.scenario
    record = {
        "type": "session",
        "format": log_format(sc),
        "log": KIND,
        "session": session_id,
        "mode": session.mode,
        "feedback": session.feedback,
        "scenario": sc.id,
        "title": sc.title,
        "sha256": sc.sha256,
        "path": str(Path(sc.path).resolve()) if sc.path else "",
        "version": sc.version,
        "seed": session.seed,
        "trainee": session.trainee,
        "app": __version__,
        "started": timestamp(moment),
    }
    if watch:
        record["watch"] = True  # written only when set, so ordinary headers stay as they were
    return record


def decision_record(scenario: Scenario, decision: Decision, elapsed: float) -> dict[str, Any]:
    """A decision's line; a narration scene's continue becomes a ``narration`` line, and
    ``shown`` (the order of shuffled choices) is written only when they were shuffled."""
    if decision.choice == CONTINUE:
        return {
            "type": "narration",
            "step": decision.step,
            "scene": decision.scene,
            "meters": meters_by_name(scenario, decision.after),
            "goto": decision.goto,
            "elapsed": round(elapsed, 3),
        }
    record = {
        "type": "decision",
        "step": decision.step,
        "scene": decision.scene,
        "choice": decision.choice,
        "style": decision.style,
        "before": meters_by_name(scenario, decision.before),
        "after": meters_by_name(scenario, decision.after),
        "flags_set": sorted(decision.flags_set),
        "flags_cleared": sorted(decision.flags_cleared),
        "goto": decision.goto,
        "elapsed": round(elapsed, 3),
    }
    if decision.shown:
        record["shown"] = list(decision.shown)
    return record


def end_record(scenario: Scenario, state: State) -> dict[str, Any]:
    return {
        "type": "end",
        "step": state.step,
        "ending": state.ending,
        "meters": meters_by_name(scenario, state.meters),
        "tally": tally_by_style(state),
    }
