"""The index read back as a trainer's questions, one summary per scenario.

Who finished; which endings; at each scene, how the group split and how those who reached a
*best* ending chose differently from the rest; what they wrote in their reflections; how long
decisions took; where unfinished sessions stopped; per trainee, the manager/leader balance and
the trait lean (:func:`sim.traits.trait_lean` over all of a trainee's decisions). Everything
the terminal, the cohort screen and the HTML report show comes from :func:`build`, so the
three cannot disagree, and ``anonymize`` applies to all of them at once.
"""

from __future__ import annotations

import functools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

import attrs

from sim.collector import paused
from sim.engine import Decision
from sim.format import library, loader
from sim.format.diagnostics import ScenarioError
from sim.model import CONTINUE, Scenario, sketch
from sim.report.index import Index
from sim.report.privacy import Pseudonyms
from sim.report.rows import (
    BALANCE,
    NO_NAME,
    DecisionRow,
    Filters,
    SessionRow,
    load_decisions,
    load_sessions,
)
from sim.traits import trait_lean


def strongest(lean: Sequence[str], count: int) -> list[str]:
    """The ``count`` clearest leans of :func:`sim.traits.trait_lean`'s list (by the gap
    between its ``(manager:leader)`` counts), balanced pairs last."""
    return sorted(lean, key=_gap, reverse=True)[:count]


@functools.lru_cache(maxsize=4096)  # thousands of trainees share a few hundred leans
def _gap(item: str) -> int:
    manager, _, leader = item[item.rfind("(") + 1 : -1].partition(":")
    return abs(int(manager) - int(leader)) if manager.isdigit() and leader.isdigit() else 0


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
    paths: tuple[tuple[DecisionRow, ...], ...]
    """Each session's effective path, in the order of :attr:`sessions`."""
    opening: dict[str, int] | None
    """The meters' start values, when the scenario is at hand."""
    flows: tuple[tuple[str, str, int], ...]
    """(from scene, to scene or ending, sessions) over every effective path."""
    start: str

    @property
    def finished(self) -> int:
        return sum(1 for s in self.sessions if s.finished)

    def meter_paths(self) -> list[list[dict[str, int]]]:
        """Each session's meters at the start (if known) and after each decision."""
        start = [self.opening] if self.opening is not None else []
        return [start + [d.after for d in path] for path in self.paths if path]

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


def find(scenario_id: str, recorded: str = "", dirs: Iterable[Path] = ()) -> Scenario | None:
    """The scenario as it is now, for its labels (choice texts, ending titles): the file the
    newest session recorded, else the one with that id in ``dirs`` or shipped; None if gone."""
    try:
        file = library.recorded_file(recorded)
        if file is not None:
            found = loader.load(file)
            if found.id == scenario_id:
                return found
        path = library.find_id(scenario_id, dirs)
        return loader.load(path) if path is not None else None
    except (ScenarioError, OSError):
        return None


def build(
    index: Index,
    sources: Iterable[str],
    filters: Filters | None = None,
    *,
    pseudonyms: Pseudonyms | None = None,
    dirs: Iterable[Path] = (),
) -> Cohort:
    """The cohort report over ``sources`` (log paths or other source ids) in ``index``;
    with ``pseudonyms``, trainee names and log paths are replaced wherever they are shown."""
    with paused():
        return _build(index, sources, filters, pseudonyms, tuple(dirs))


def _build(
    index: Index,
    sources: Iterable[str],
    filters: Filters | None,
    pseudonyms: Pseudonyms | None,
    dirs: tuple[Path, ...],
) -> Cohort:
    sessions, problems = load_sessions(index, sources, filters or Filters())
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
    known = index.scenarios if index.scenarios.dirs == dirs else None  # loaded by the update
    summaries = []
    for sid, rows in by_scenario.items():
        recorded = rows[-1].scenario_file
        scenario = known.loaded(recorded, sid) if known is not None else None
        if scenario is None:
            scenario = find(sid, recorded, dirs)
        summaries.append(summarize(sid, rows, decisions, scenario))
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
    reached: dict[str, list[int]] = {}  # scene: [sessions, of them best]
    steps: dict[str, list[int]] = {}  # scene: [sum of its steps, decisions there]
    times: dict[str, list[float]] = defaultdict(list)
    notes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    flows: Counter[tuple[str, str]] = Counter()
    # A hundred thousand decisions: one pass, each row unpacked once.
    for s in sessions:
        path = decisions.get(s.source)
        if not path:
            continue
        is_best, seen = s.source in best, set()
        for _source, step, at, picked, style, _traits, elapsed, goto, _after, note in path:
            seen.add(at)
            total = steps.get(at)
            if total is None:
                steps[at] = [step, 1]
            else:
                total[0] += step
                total[1] += 1
            flows[(at, goto)] += 1
            if picked != CONTINUE:  # a narration scene is read, not decided: no split, no time
                picks[at][(picked, style, is_best)] += 1
                times[at].append(elapsed)
            if note:
                notes[at].append((s.trainee, note))
        for at in seen:
            counted = reached.setdefault(at, [0, 0])
            counted[0] += 1
            counted[1] += is_best
    scenes = []
    # By the mean step a scene was decided at (the sum over the count: what fmean gives).
    for scene_id in sorted(reached, key=lambda k: (steps[k][0] / steps[k][1], k)):
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
            # Conditional text (format 1.1) as the author wrote it: a cohort saw many paths.
            text = sketch(choice.text) if choice else cid
            splits.append(ChoiceSplit(cid, text, styles[cid], b + r, b, r))
        n_all, n_best = reached[scene_id]
        scenes.append(
            SceneSplit(
                scene_id,
                n_all,
                n_best,
                n_all - n_best,
                tuple(splits),
                _median(times[scene_id]),
                sketch(scene.reflect) or None if scene else None,
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
        tuple(tuple(decisions.get(s.source, ())) for s in sessions),
        {m.id: m.start for m in scenario.meters} if scenario else None,
        tuple((a, b, n) for (a, b), n in flows.most_common()),
        scenario.start if scenario else "",
    )


def lean(decisions: Sequence[DecisionRow]) -> tuple[str, ...]:
    """:func:`sim.traits.trait_lean` of recorded decisions. It reads a decision's style and
    traits only, which a row has: no need to build a hundred thousand engine Decisions."""
    return tuple(trait_lean(cast("list[Decision]", decisions)))


def trainee_rows(
    sessions: Sequence[SessionRow], decisions: dict[str, list[DecisionRow]], best: set[str]
) -> tuple[TraineeRow, ...]:
    people: dict[str, list[SessionRow]] = defaultdict(list)
    for s in sessions:
        people[s.trainee].append(s)
    rows = []
    for name, own in people.items():
        finished = reached_best = manager = leader = neutral = 0
        made: list[DecisionRow] = []
        for s in own:  # one loop, not a sum() apiece: there may be thousands of trainees
            finished += s.ending is not None
            reached_best += s.source in best
            manager += s.manager
            leader += s.leader
            neutral += s.neutral
            made += decisions.get(s.source, ())
        rows.append(
            TraineeRow(name, len(own), finished, reached_best, manager, leader, neutral, lean(made))
        )
    rows.sort(key=lambda t: t.name.lower())
    return tuple(rows)
