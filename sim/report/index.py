"""The cohort index: every session walked once, kept in SQLite in leadsim's data folder.

A report over ten thousand logs should not read ten thousand logs each time. The index
(``HOME/report.sqlite3``, beside the sessions folder) remembers each log file's inode, size,
modification time and the byte offset of its last complete line, and what its session came to
(:class:`sim.report.walk.Walked`). An update reads only the files that are new or have
changed; a grown log is walked again from its start (a log is a few kilobytes: what the index
saves is reading the thousands that did not change), and a log whose only new bytes are an
unfinished last line is left alone until that line is complete.

Other sources (an LRS) add sessions through :meth:`Index.add` with any source id. A damaged
or unwritable index file is never fatal: it is set aside and rebuilt, or the index is kept in
memory for this run.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import attrs

from sim.collector import paused
from sim.log import SUFFIX, describe, home_dir
from sim.report.stored import SCHEMA, Batch, text
from sim.report.walk import Feed, LogSource, Scenarios, Walked, walk

FILE_NAME = "report.sqlite3"
VERSION = "6"
"""Changes when what the index stores changes; an index of another version is rebuilt."""


@attrs.frozen
class Scan:
    """What an update found: the log files under the paths asked for, how many were read."""

    sources: tuple[str, ...]
    read: int
    unchanged: int
    missing: tuple[str, ...] = ()


def log_paths(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The ``.jsonl`` files named or found (recursively) under ``paths``, and the paths that
    do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            found.extend(map(Path, sorted(_walk(str(path)))))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(str(path))
    return found, missing


def _walk(folder: str) -> Iterator[str]:
    """Every log file under ``folder`` (``os.scandir`` knows a file from a folder without a
    ``stat`` each, a third of a second saved on ten thousand logs)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir():
                yield from _walk(entry.path)
            elif entry.name.endswith(SUFFIX) and entry.is_file():
                yield entry.path
        except OSError:
            continue


class Index:
    """The index over one SQLite file (or memory: ``Index(None)``)."""

    def __init__(
        self, db: Path | None, scenarios: Scenarios | None = None, jobs: int | None = None
    ) -> None:
        self.path = db
        self.scenarios = scenarios or Scenarios()
        self.jobs = jobs
        """Processes that read logs at once, when there are enough to be worth it; None:
        as many as there are idle cores (up to four)."""
        self.note: str | None = None
        self.db = self._connect(db)

    @classmethod
    def default(cls, scenarios: Scenarios | None = None) -> Index:
        return cls(home_dir() / FILE_NAME, scenarios)

    # -- opening --

    def _connect(self, db: Path | None) -> sqlite3.Connection:
        if db is None:
            return self._ready(sqlite3.connect(":memory:"))
        try:
            db.parent.mkdir(parents=True, exist_ok=True)
            return self._ready(sqlite3.connect(db, timeout=30))
        except sqlite3.DatabaseError:  # not a database, or damaged: set it aside, start anew
            try:
                os.replace(db, db.with_name(db.name + ".damaged"))
                self.note = f"the report index {db} was damaged; it was set aside and rebuilt"
                return self._ready(sqlite3.connect(db, timeout=30))
            except (OSError, sqlite3.Error) as e:
                reason = str(e)
        except OSError as e:
            reason = describe(e)
        self.note = f"cannot use the report index {db} ({reason}); indexing in memory"
        self.path = None
        return self._ready(sqlite3.connect(":memory:"))

    @staticmethod
    def _ready(db: sqlite3.Connection) -> sqlite3.Connection:
        """Settings for a cache that can always be rebuilt from the logs (a damaged file is
        set aside and rebuilt, an index of another version is dropped): WAL, so the cohort
        screen can read while a report writes, and ``synchronous=NORMAL``, no sync at each
        commit. A cold index is one transaction of one row a session; a rollback journal or
        none, or ``synchronous=OFF``, measured no faster on it (within 0.1 s of 2 s)."""
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        version = None
        try:
            row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
            version = row[0] if row else None
        except sqlite3.OperationalError:
            pass  # a new file: no tables yet
        if version != VERSION:
            db.executescript(
                "DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS sessions;"
                "DROP TABLE IF EXISTS decisions; DROP TABLE IF EXISTS meta;"
            )
        db.executescript(SCHEMA)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (VERSION,))
        db.commit()
        return db

    def close(self) -> None:
        self.db.close()

    # -- adding sessions --

    def add(self, feed: Feed) -> Walked:
        """Walk one session from any source and store it under ``feed.source``."""
        walked = walk(feed, self.scenarios)
        batch = Batch()
        batch.add(walked)
        with self.db:
            batch.write(self.db)
        return walked

    # -- log files --

    def update(self, paths: Sequence[Path]) -> Scan:
        """Bring the index up to date with the log files under ``paths``."""
        files, missing = log_paths(paths)
        known = {
            row[0]: row[1:]
            for row in self.db.execute("SELECT path, inode, size, mtime_ns, offset FROM files")
        }
        sources: list[str] = []
        unchanged = 0
        todo: list[tuple[str, tuple[int, int, int]]] = []
        for path in files:
            real = os.path.abspath(path)
            source = text(real)  # the key; the file is read by its real name
            try:
                st = os.stat(path)
            except OSError:
                continue
            sources.append(source)
            seen = known.get(source)
            stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
            if seen is not None and (seen[:3] == stamp or _only_unfinished(path, seen)):
                unchanged += 1
                continue
            todo.append((real, stamp))
        jobs = min(self.jobs or _idle_cores(), len(todo) // PER_JOB)
        # Ten thousand logs make a million small objects and no cycles: with the collector
        # on it walks the growing heap again and again (a third of a warm report's time).
        with paused():
            if jobs > 1:
                batches = _in_parallel(todo, jobs, self.scenarios)
            else:
                batches = [_read(todo, self.scenarios)]
        with self.db:
            for done in batches:
                done.write(self.db)
        return Scan(tuple(sources), len(todo), unchanged, tuple(missing))

    def forget_missing(self, folder: Path, present: Iterable[str]) -> int:
        """Drop the sessions of files under ``folder`` that are gone; how many were dropped."""
        root = text(os.path.join(os.path.abspath(folder), ""))
        keep = set(present)
        gone = [p for (p,) in self.db.execute("SELECT path FROM files") if p.startswith(root)]
        gone = [p for p in gone if p not in keep]
        with self.db:
            for p in gone:
                self.db.execute("DELETE FROM files WHERE path=?", (p,))
                self.db.execute("DELETE FROM sessions WHERE source=?", (p,))
        return len(gone)

    def rows(self, sql: str, params: Iterable[object] = ()) -> Iterator[tuple[object, ...]]:
        return iter(self.db.execute(sql, tuple(params)))


PER_JOB = 1000
"""Logs to read before a second process pays for itself: it loads the scenarios again and
sends its rows back, and a spawned one (not forked) also imports leadsim, a fifth of a
second."""


def _idle_cores() -> int:
    """Cores nobody is using (by the one-minute load average), at most four: on a busy
    machine a second process only competes with the first, and costs its start-up."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return max(1, min(4, int(cores - busy + 0.5)))


def _read(todo: Sequence[tuple[str, tuple[int, int, int]]], scenarios: Scenarios) -> Batch:
    """Walk each log of ``todo`` (source, (inode, size, mtime)) into rows to store."""
    batch = Batch()
    for source, stamp in todo:
        path = Path(source)
        log = LogSource(path)
        if log.open() is None:
            batch.unreadable(log.source, log.problem)
            offset = stamp[1]
        else:
            batch.add(walk(log, scenarios))
            offset = _complete_offset(path, stamp[1]) if log.log.newline_missing else stamp[1]
        batch.files.append((text(source), *stamp, offset))
    return batch


def _read_part(todo: Sequence[tuple[str, tuple[int, int, int]]], dirs: tuple[Path, ...]) -> Batch:
    with paused():
        return _read(todo, Scenarios(dirs))


def _in_parallel(
    todo: Sequence[tuple[str, tuple[int, int, int]]], jobs: int, scenarios: Scenarios
) -> list[Batch]:
    """Read the logs in ``jobs`` processes, this one among them (a cold index of ten thousand
    logs is mostly parsing JSON, which one Python process does on one core). On Linux, when
    this process has one thread (``leadsim report``), the others are forked: they start in
    milliseconds, with the modules loaded. Otherwise they are spawned and import leadsim
    afresh, about a fifth of a second: the simulator calls this from a worker thread, and
    forking a threaded process is unsafe (as is forking on macOS). Any failure of the pool
    falls back to reading here."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    parts = [todo[i::jobs] for i in range(jobs)]
    alone = threading.active_count() == 1
    method = "fork" if sys.platform == "linux" and alone else "spawn"
    dirs = scenarios.dirs
    try:
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(jobs - 1, mp_context=context) as pool:
            others = [pool.submit(_read_part, part, dirs) for part in parts[1:]]
            mine = _read(parts[0], scenarios)
            return [mine] + [done.result() for done in others]
    except (OSError, RuntimeError, ImportError):  # no processes to be had: read them here
        return [_read(todo, scenarios)]


def _complete_offset(path: Path, size: int) -> int:
    """The byte offset just past the file's last newline (what a reader has fully read)."""
    try:
        with path.open("rb") as f:
            start = max(0, size - 65536)
            f.seek(start)
            tail = f.read(size - start)
    except OSError:
        return 0
    cut = tail.rfind(b"\n")
    return start + cut + 1 if cut >= 0 else start


def _only_unfinished(path: Path, seen: tuple[int, int, int, int]) -> bool:
    """Has the same file only grown by part of a line (a session writing its next line)?"""
    inode, size, _mtime, offset = seen
    try:
        st = os.stat(path)
        if st.st_ino != inode or st.st_size < size:
            return False
        with path.open("rb") as f:
            f.seek(offset)
            return b"\n" not in f.read()
    except OSError:
        return False
