"""Where logs live and which exist: the per-user sessions folder, names, listings.

Listing reads a log's first line and its last 64 KiB only, so `leadsim sessions` stays quick
however long the sessions were.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from sim.log.format import (
    SUFFIX,
    AbandonedRecord,
    EndRecord,
    Header,
    LogError,
    ReflectionRecord,
    RewindRecord,
    describe,
)
from sim.log.parse import parse_record
from sim.log.reader import LogFile
from sim.places import sessions_dir

# --- where logs live --------------------------------------------------------------------


def names_a_file(target: Path) -> bool:
    """``--log PATH`` names a log file when it ends in ``.jsonl``; anything else is a folder
    (made if missing), so a mistyped folder never becomes an oddly named file."""
    return target.suffix == SUFFIX


def file_name(scenario_id: str, session_id: str, moment: datetime) -> str:
    """A name that sorts by start time and cannot collide: UTC time, scenario, short uuid."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%S%fZ}-{scenario_id}-{session_id[:8]}{SUFFIX}"


# --- listing ----------------------------------------------------------------------------


@attrs.frozen
class LogInfo:
    """What a listing shows of a log, read from its first line and its tail only."""

    path: Path
    header: Header | None
    step: int = 0
    ending: str | None = None
    finished: bool = False
    problem: str | None = None
    abandoned: bool = False
    """An assessment the trainee left before its ending (an ``abandoned`` line)."""

    @property
    def scenario(self) -> str:
        return self.header.scenario if self.header else "?"


_TAIL = 64 * 1024


def summarize(path: Path) -> LogInfo:
    """Header plus where the session stands, without reading the whole file."""
    log = LogFile(path)
    try:
        header = log.header()
    except LogError as e:
        return LogInfo(path, None, problem=e.format())
    try:
        with path.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            start = max(0, size - _TAIL)
            f.seek(start)
            tail = f.read()
    except OSError as e:
        return LogInfo(path, header, problem=describe(e))
    lines = tail.split(b"\n")
    if start > 0:
        lines = lines[1:]  # the first piece is probably part of a line
    for raw in reversed(lines):
        try:
            record = parse_record(raw, 0)
        except ValueError:
            continue
        if isinstance(record, AbandonedRecord):
            return LogInfo(path, header, record.step, abandoned=True)
        if isinstance(record, EndRecord):
            return LogInfo(path, header, record.step, record.ending, True)
        if isinstance(record, RewindRecord):
            return LogInfo(path, header, record.to_step)
        if isinstance(record, Header):
            return LogInfo(path, header)
        if isinstance(record, ReflectionRecord):
            continue  # a reflection may follow the end line; it moves nothing
        return LogInfo(path, header, record.step)
    return LogInfo(path, header)


def log_files(folder: Path) -> list[Path]:
    """The logs in ``folder``, oldest first (their names start with the UTC start time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == SUFFIX and p.is_file())


def list_sessions(folder: Path | None = None) -> list[LogInfo]:
    return [summarize(p) for p in log_files(folder if folder is not None else sessions_dir())]


_ANY: Any = object()


def unfinished(
    scenario_id: str,
    home: Path | None = None,
    *,
    folder: Path | None = None,
    trainee: str | None = _ANY,
    seed: int | None = None,
    mode: str | None = None,
) -> list[LogInfo]:
    """Unfinished sessions of ``scenario_id``, newest first: what `leadsim play` offers to
    resume. ``folder`` overrides ``HOME/sessions``; ``trainee`` (None meaning "no name
    given"), ``seed`` and ``mode`` narrow the list to sessions the new one could continue."""
    found = []
    for info in list_sessions(folder if folder is not None else sessions_dir(home)):
        h = info.header
        if h is None or info.finished or info.abandoned or h.watch or h.scenario != scenario_id:
            continue
        if info.step == 0:
            continue  # nothing was decided: starting afresh loses nothing
        if trainee is not _ANY and h.trainee != trainee:
            continue
        if (seed is not None and h.seed != seed) or (mode is not None and h.mode != mode):
            continue
        found.append(info)
    return found[::-1]
