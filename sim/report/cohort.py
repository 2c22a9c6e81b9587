"""The index read back as a trainer's questions, one summary per scenario.

Who finished; which endings; at each scene, how the group split and how those who reached a
*best* ending chose differently from the rest; what they wrote in their reflections; how long
decisions took; where unfinished sessions stopped; per trainee, the manager/leader balance and
the trait lean (:func:`sim.traits.trait_lean` over all of a trainee's decisions). Everything
the terminal, the cohort screen and the HTML report show comes from :func:`build`, so the
three cannot disagree, and ``anonymize`` applies to all of them at once.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs

from sim.format import library, loader
from sim.format.diagnostics import ScenarioError
from sim.model import Scenario
from sim.report.index import Index
from sim.report.privacy import Pseudonyms
from sim.report.walk import as_decision
from sim.traits import trait_lean

BALANCE = ("mostly managing", "leaning managing", "balanced", "leaning leading", "mostly leading")
"""Bands of the leader share of a session's managing and leading decisions (neutral aside)."""
NO_NAME = "(no name)"


@attrs.frozen
class Filters:
    scenario: str | None = None
    trainee: str | None = None
    since: str | None = None
    until: str | None = None
    """``since``/``until`` as the log writes times (UTC ISO 8601); ``until`` is exclusive."""
    mode: str | None = None
    include_watch: bool = False


def strongest(lean: Sequence[str], count: int) -> list[str]:
    """The ``count`` clearest leans of :func:`sim.traits.trait_lean`'s list (by the gap
    between its ``(manager:leader)`` counts), balanced pairs last."""

    def gap(item: str) -> int:
        found = _COUNTS.search(item)
        return abs(int(found[1]) - int(found[2])) if found else 0

    return sorted(lean, key=gap, reverse=True)[:count]


_COUNTS = re.compile(r"\((\d+):(\d+)\)$")


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
    lean: tuple[str, ...]
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


@attrs.frozen
class DecisionRow:
    source: str
    step: int
    scene: str
    choice: str
    style: str
    traits: tuple[str, ...]
    elapsed: float
    goto: str
    after: dict[str, int]
    reflection: str | None


@attrs.frozen
class ChoiceSplit:
    choice: str
    text: str
    style: str
    count: int
    best: int
    rest: int


@attrs.frozen
class SceneSplit:
    scene: str
    sessions: int
    best_sessions: int
    rest_sessions: int
    choices: tuple[ChoiceSplit, ...]
    median_elapsed: float | None
    question: str | None
    reflections: tuple[tuple[str, str], ...]
    """(trainee, answer), oldest session first."""

    def difference(self, split: ChoiceSplit) -> float | None:
        """Share among best-ending sessions minus share among the rest, in percentage points."""
        if not self.best_sessions or not self.rest_sessions:
            return None
        return 100 * (split.best / self.best_sessions - split.rest / self.rest_sessions)


@attrs.frozen
class TraineeRow:
    name: str
    sessions: int
    finished: int
    best: int
    manager: int
    leader: int
    neutral: int
    lean: tuple[str, ...]


@attrs.frozen
class ScenarioSummary:
    id: str
    title: str
    sessions: tuple[SessionRow, ...]
    endings: tuple[tuple[str, str, str | None, int], ...]
    """(ending id, title, outcome, sessions), most reached first."""
    scenes: tuple[SceneSplit, ...]
    median_elapsed: float | None
    stopped: tuple[tuple[str, int], ...]
    balance: tuple[int, ...]
    trainees: tuple[TraineeRow, ...]
    meters: tuple[tuple[str, str], ...]
    """(meter id, label) in the scenario's order."""
    meter_paths: tuple[tuple[SessionRow, tuple[dict[str, int], ...]], ...]
    """Each session's meters at the start (when the scenario is at hand) and after each
    decision of its path."""
    flows: tuple[tuple[str, str, int], ...]
    """(from scene, to scene or ending, sessions) over every effective path."""
    start: str

    @property
    def finished(self) -> int:
        return sum(1 for s in self.sessions if s.finished)

    @property
    def damaged(self) -> int:
        return sum(1 for s in self.sessions if s.problem)

    @property
    def people(self) -> int:
        return len({s.trainee for s in self.sessions})


@attrs.frozen
class Cohort:
    scenarios: tuple[ScenarioSummary, ...]
    problems: tuple[tuple[str, int, str], ...]
    """(log, line, message) for every damaged or unreadable log."""
    decisions: dict[str, tuple[DecisionRow, ...]]

    @property
    def sessions(self) -> list[SessionRow]:
        return [s for sc in self.scenarios for s in sc.sessions]


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
        "SELECT sessions.* FROM sessions JOIN picked USING (source) WHERE "
        + " AND ".join(where)
        + " ORDER BY started, source",
        params,
    ).fetchall()
    sessions, problems = [], []
    for r in rows:
        if r[2] is None:  # no header: a problem, not a session
            problems.append((r[0], r[20] or 0, r[19] or "unreadable"))
            continue
        row = SessionRow(
            r[0], r[1], r[2], r[3], r[4], r[5] or NO_NAME, r[6], bool(r[7]), r[8], r[9],
            r[10], r[11], r[12], r[13], r[14], tuple(json.loads(r[15])), r[16], r[17],
            bool(r[18]), r[19], r[20], r[0], r[21] or "",
        )  # fmt: skip
        sessions.append(row)
        if row.problem:
            problems.append((row.source, row.problem_line or 0, row.problem))
    return sessions, problems


def load_decisions(index: Index, sessions: Sequence[SessionRow]) -> dict[str, list[DecisionRow]]:
    wanted = {s.source for s in sessions}
    found: dict[str, list[DecisionRow]] = defaultdict(list)
    for r in index.db.execute(
        "SELECT decisions.* FROM decisions JOIN picked USING (source) ORDER BY source, step"
    ):
        if r[0] in wanted:
            found[r[0]].append(
                DecisionRow(
                    r[0], r[1], r[2], r[3], r[4], tuple(filter(None, r[5].split(","))),
                    r[6], r[7], json.loads(r[8]), r[9],
                )
            )  # fmt: skip
    return found


def find(scenario_id: str, recorded: str = "", dirs: Iterable[Path] = ()) -> Scenario | None:
    """The scenario as it is now, for its labels (choice texts, ending titles): the file the
    newest session recorded, else the one with that id in ``dirs`` or shipped; None if gone."""
    try:
        if recorded and Path(recorded).is_file():
            found = loader.load(recorded)
            if found.id == scenario_id:
                return found
        return loader.load(library.resolve(scenario_id, dirs))
    except (ScenarioError, OSError):
        return None


def build(
    index: Index,
    sources: Iterable[str],
    filters: Filters = Filters(),
    *,
    pseudonyms: Pseudonyms | None = None,
    dirs: Iterable[Path] = (),
) -> Cohort:
    """The cohort report over ``sources`` (log paths or other source ids) in ``index``;
    with ``pseudonyms``, trainee names and log paths are replaced wherever they are shown."""
    sessions, problems = load_sessions(index, sources, filters)
    if pseudonyms is not None:
        p = pseudonyms
        sessions = [
            attrs.evolve(
                s,
                trainee=s.trainee if s.trainee == NO_NAME else p.trainee(s.trainee),
                log=p.log(s.source),
            )
            for s in sessions
        ]
        problems = [(p.log(source), line, m) for source, line, m in problems]
    decisions = load_decisions(index, sessions)
    by_scenario: dict[str, list[SessionRow]] = defaultdict(list)
    for s in sessions:
        by_scenario[s.scenario].append(s)
    dirs = tuple(dirs)
    summaries = [
        summarize(sid, rows, decisions, find(sid, rows[-1].scenario_file, dirs))
        for sid, rows in by_scenario.items()
    ]
    summaries.sort(key=lambda sc: (-len(sc.sessions), sc.id))
    return Cohort(
        tuple(summaries),
        tuple(problems),
        {k: tuple(v) for k, v in decisions.items()},
    )


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize(
    scenario_id: str,
    sessions: Sequence[SessionRow],
    decisions: dict[str, list[DecisionRow]],
    scenario: Scenario | None,
) -> ScenarioSummary:
    best = {s.source for s in sessions if s.outcome == "best"}
    endings = Counter(s.ending for s in sessions if s.ending)
    ending_rows = []
    for ending_id, count in endings.most_common():
        end = scenario.endings.get(ending_id) if scenario else None
        ending_rows.append(
            (ending_id, end.title if end else ending_id, end.outcome if end else None, count)
        )
    picks: dict[str, Counter[tuple[str, str, bool]]] = defaultdict(Counter)
    reached: dict[str, set[str]] = defaultdict(set)
    steps: dict[str, list[int]] = defaultdict(list)
    times: dict[str, list[float]] = defaultdict(list)
    notes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    flows: Counter[tuple[str, str]] = Counter()
    for s in sessions:
        for d in decisions.get(s.source, ()):
            picks[d.scene][(d.choice, d.style, s.source in best)] += 1
            reached[d.scene].add(s.source)
            steps[d.scene].append(d.step)
            times[d.scene].append(d.elapsed)
            flows[(d.scene, d.goto)] += 1
            if d.reflection:
                notes[d.scene].append((s.trainee, d.reflection))
    scenes = []
    for scene_id in sorted(picks, key=lambda k: (statistics.fmean(steps[k]), k)):
        scene = scenario.scenes.get(scene_id) if scenario else None
        counts: dict[str, list[int]] = {}
        styles: dict[str, str] = {}
        for (choice_id, style, is_best), n in picks[scene_id].items():
            counts.setdefault(choice_id, [0, 0])[0 if is_best else 1] += n
            styles[choice_id] = style
        order = [c.id for c in scene.choices] if scene else []
        ids = sorted(counts, key=lambda c: (order.index(c) if c in order else len(order), c))
        splits = []
        for cid in ids:
            b, r = counts[cid]
            choice = scene.choice(cid) if scene else None
            text = choice.text if choice else cid
            splits.append(ChoiceSplit(cid, text, styles[cid], b + r, b, r))
        n_best = len(reached[scene_id] & best)
        scenes.append(
            SceneSplit(
                scene_id,
                len(reached[scene_id]),
                n_best,
                len(reached[scene_id]) - n_best,
                tuple(splits),
                _median(times[scene_id]),
                scene.reflect if scene else None,
                tuple(notes[scene_id]),
            )
        )
    all_times = [t for ts in times.values() for t in ts]
    stopped = Counter(s.stopped for s in sessions if not s.finished and s.stopped)
    balance = [0] * len(BALANCE)
    for s in sessions:
        if s.balance is not None:
            balance[s.balance] += 1
    meters = tuple((m.id, m.label) for m in scenario.meters) if scenario else ()
    opening = ({m.id: m.start for m in scenario.meters},) if scenario else ()
    if not meters and sessions:
        first = next((d for s in sessions for d in decisions.get(s.source, ())), None)
        meters = tuple((k, k) for k in first.after) if first else ()
    return ScenarioSummary(
        scenario_id,
        scenario.title if scenario else sessions[0].title,
        tuple(sessions),
        tuple(ending_rows),
        tuple(scenes),
        _median(all_times),
        tuple(stopped.most_common()),
        tuple(balance),
        trainee_rows(sessions, decisions, best),
        meters,
        tuple((s, (*opening, *(d.after for d in decisions.get(s.source, ())))) for s in sessions),
        tuple((a, b, n) for (a, b), n in flows.most_common()),
        scenario.start if scenario else "",
    )


def trainee_rows(
    sessions: Sequence[SessionRow], decisions: dict[str, list[DecisionRow]], best: set[str]
) -> tuple[TraineeRow, ...]:
    people: dict[str, list[SessionRow]] = defaultdict(list)
    for s in sessions:
        people[s.trainee].append(s)
    rows = []
    for name, own in people.items():
        made = [
            as_decision(d.step, d.scene, d.choice, d.style, d.traits, d.goto)
            for s in own
            for d in decisions.get(s.source, ())
        ]
        rows.append(
            TraineeRow(
                name,
                len(own),
                sum(1 for s in own if s.finished),
                sum(1 for s in own if s.source in best),
                sum(s.manager for s in own),
                sum(s.leader for s in own),
                sum(s.neutral for s in own),
                tuple(trait_lean(made)),
            )
        )
    rows.sort(key=lambda t: t.name.lower())
    return tuple(rows)
