"""How the index stores a walked session: one row a session in ``sessions`` (with the files
table beside it), its effective path kept in the row as one JSON array.

Every string is stored as :func:`text` makes it, so whatever a log holds, SQLite can store
it and a terminal print it. :data:`sim.report.index.VERSION` changes with this layout.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from sim.log import LogError
from sim.report.walk import Walked

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY, inode INTEGER, size INTEGER, mtime_ns INTEGER, offset INTEGER);
CREATE TABLE IF NOT EXISTS sessions(
    source TEXT PRIMARY KEY, session TEXT, scenario TEXT, title TEXT, mode TEXT,
    trainee TEXT, started TEXT, watch INTEGER, steps INTEGER, ending TEXT, outcome TEXT,
    stopped TEXT, manager INTEGER, leader INTEGER, neutral INTEGER,
    resumes INTEGER, rewinds INTEGER, changed INTEGER, problem TEXT, problem_line INTEGER,
    path TEXT, decisions TEXT);
CREATE INDEX IF NOT EXISTS by_scenario ON sessions(scenario, started);
"""
COLUMNS = 22
DECISION = ("step", "scene", "choice", "style", "traits", "elapsed", "goto", "after", "reflection")
"""A session's effective path is kept in its row, as one JSON array of decisions, each an
array of these (``after``: the meters by name; ``traits``: comma-separated): a report reads
every decision of every session it shows, and one row a session is written and read back
in far fewer steps than a row a decision."""


class Batch:
    """Rows to write in one transaction: one ``executemany`` per table rather than a
    statement per session."""

    def __init__(self) -> None:
        self.sessions: list[tuple[object, ...]] = []
        self.files: list[tuple[object, ...]] = []

    def write(self, db: sqlite3.Connection) -> None:
        marks = ",".join("?" * COLUMNS)
        db.executemany(f"INSERT OR REPLACE INTO sessions VALUES ({marks})", self.sessions)
        db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?)", self.files)

    def unreadable(self, source: str, e: LogError | None) -> None:
        """A log with no readable header or no scenario to be found: listed as a problem,
        counted in no scenario."""
        row: list[object] = [text(source), *[None] * (COLUMNS - 1)]
        row[7], row[8] = 0, 0  # watch, steps
        row[18], row[19] = (text(e.message), e.line) if e else ("unreadable", 0)
        self.sessions.append(tuple(row))

    def add(self, w: Walked) -> None:
        h, e = w.header, w.problem
        if not w.counted:
            self.unreadable(w.source, e)
            return
        notes = w.reflections
        path = [
            # elapsed as a float, as the REAL column of index version 5 gave it back
            [d.step, d.scene, d.choice, d.style, traits, float(d.elapsed), d.goto, d.after,
             notes.get(d.step)]
            for d, traits in zip(w.path, w.traits, strict=True)
        ]  # fmt: skip
        decisions = json.dumps(path, ensure_ascii=False, separators=(",", ":"))
        if not decisions.isascii() and text(decisions) is not decisions:
            decisions = json.dumps(scrub(path), ensure_ascii=False, separators=(",", ":"))
        row = (
            w.source,
            h.session,
            h.scenario,
            h.title,
            h.mode,
            h.trainee,
            h.started,
            int(h.watch),
            len(w.path),
            w.ending,
            w.outcome,
            w.stopped,
            w.tally.get("manager", 0),
            w.tally.get("leader", 0),
            w.tally.get("neutral", 0),
            w.resumes,
            w.rewinds,
            int(w.changed),
            (e.message + (f"; {e.hint}" if e.hint else "")) if e else None,
            e.line if e else None,
            h.path,
            decisions,
        )
        self.sessions.append(tuple(text(v) if type(v) is str else v for v in row))


def text(value: str) -> str:
    """``value`` as SQLite can store it (and a terminal print it): a lone surrogate, which a
    log line's ``\\ud800`` escape or an undecodable byte in a file name gives, is written
    as its escape. Any other string is returned as it is, the very object."""
    if value.isascii():
        return value
    try:
        value.encode()
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode()
    return value


def scrub(value: Any) -> Any:
    """:func:`text` on every string in a JSON-like value."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {text(k): scrub(v) for k, v in value.items()}
    return value
