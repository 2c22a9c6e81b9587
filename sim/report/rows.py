"""The index's rows as the report reads them: sessions that pass the filters, and their
decisions. The aggregation lives in :mod:`sim.report.cohort`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import attrs

from sim.report.index import Index

BALANCE = ("mostly managing", "leaning managing", "balanced", "leaning leading", "mostly leading")
"""Bands of the leader share of a session's managing and leading decisions (neutral aside)."""
NO_NAME = "(no name)"
SESSION_COLUMNS = (
    "source, session, scenario, title, mode, trainee, started, watch, steps, ending, outcome, "
    "stopped, manager, leader, neutral, resumes, rewinds, changed, problem, problem_line, path"
)


@attrs.frozen
class Filters:
    scenario: str | None = None
    trainee: str | None = None
    since: str | None = None
    until: str | None = None
    """``since``/``until`` as the log writes times (UTC ISO 8601); ``until`` is exclusive."""
    mode: str | None = None
    include_watch: bool = False


def time_bound(text: str, *, end: bool = False) -> str:
    """A ``--since``/``--until`` argument as a log time; a date alone means the whole day (so
    ``--until 2026-11-30`` includes that day). Raises ValueError for anything else."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if end and len(text.strip()) <= 10:
        moment += timedelta(days=1)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@attrs.frozen
class SessionRow:
    source: str
    session: str
    scenario: str
    title: str
    mode: str
    trainee: str
    started: str
    watch: bool
    steps: int
    ending: str | None
    outcome: str | None
    stopped: str | None
    manager: int
    leader: int
    neutral: int
    resumes: int
    rewinds: int
    changed: bool
    problem: str | None
    problem_line: int | None
    log: str = ""
    """The log as shown: its path, or a pseudonym under ``--anonymize``."""
    scenario_file: str = ""
    """The scenario file the session was played from, as the log recorded it."""

    @property
    def finished(self) -> bool:
        return self.ending is not None

    @property
    def balance(self) -> int | None:
        """The session's band in :data:`BALANCE`, None with no managing or leading decision."""
        styled = self.manager + self.leader
        return None if not styled else min(4, int(5 * self.leader / styled))


class DecisionRow(NamedTuple):
    """One decision of a session's effective path (a named tuple: a large cohort has a
    hundred thousand of them, and a tuple is made three times faster than a class)."""

    source: str
    step: int
    scene: str
    choice: str
    style: str
    traits: tuple[str, ...]
    elapsed: float
    goto: str
    after: dict[str, int]
    """The meters after the decision, by name."""
    reflection: str | None


def load_sessions(
    index: Index, sources: Iterable[str], filters: Filters
) -> tuple[list[SessionRow], list[tuple[str, int, str]]]:
    """The sessions among ``sources`` that pass ``filters``, oldest first, and the problems of
    the unreadable logs among them."""
    db = index.db
    db.execute("CREATE TEMP TABLE IF NOT EXISTS picked(source TEXT PRIMARY KEY)")
    db.execute("DELETE FROM picked")
    db.executemany("INSERT OR IGNORE INTO picked VALUES (?)", ((s,) for s in sources))
    where, params = ["1"], []
    for column, value, op in (
        ("scenario", filters.scenario, "="),
        ("trainee", filters.trainee, "="),
        ("started", filters.since, ">="),
        ("started", filters.until, "<"),
        ("mode", filters.mode, "="),
    ):
        if value is not None:
            where.append(f"{column} {op} ?")
            params.append(value)
    if not filters.include_watch:
        where.append("watch = 0")
    rows = db.execute(
        f"SELECT {SESSION_COLUMNS} FROM sessions JOIN picked USING (source) WHERE "
        + " AND ".join(where)
        + " ORDER BY started, source",
        params,
    ).fetchall()
    sessions, problems = [], []
    for r in rows:
        if r[2] is None:  # no header: a problem, not a session
            problems.append((r[0], r[19] or 0, r[18] or "unreadable"))
            continue
        row = SessionRow(
            r[0], r[1], r[2], r[3], r[4], r[5] or NO_NAME, r[6], bool(r[7]), r[8], r[9],
            r[10], r[11], r[12], r[13], r[14], r[15], r[16], bool(r[17]), r[18], r[19], r[0],
            r[20] or "",
        )  # fmt: skip
        sessions.append(row)
        if row.problem:
            problems.append((row.source, row.problem_line or 0, row.problem))
    return sessions, problems


def load_decisions(index: Index, sessions: Sequence[SessionRow]) -> dict[str, list[DecisionRow]]:
    """Each session's effective path (:data:`sim.report.stored.DECISION` says how it is kept)."""
    wanted = {s.source for s in sessions}
    found: dict[str, list[DecisionRow]] = {}
    traits: dict[str, tuple[str, ...]] = {"": ()}
    rows = index.db.execute(
        "SELECT source, decisions FROM sessions JOIN picked USING (source) "
        "WHERE decisions IS NOT NULL ORDER BY source"
    )
    for source, decisions in rows:
        if source not in wanted:
            continue
        path = found[source] = []
        for step, scene, choice, style, tags, elapsed, goto, after, note in json.loads(decisions):
            kept = traits.get(tags)
            if kept is None:
                kept = traits[tags] = tuple(tags.split(","))
            path.append(
                DecisionRow(source, step, scene, choice, style, kept, elapsed, goto, after, note)
            )
        if not path:
            del found[source]
    return found
