"""The style mix over every path: how many manager, leader and neutral decisions can lead to
each ending, and what a one-style player can reach.

Read from the complete explored state graph (every choice, both sides of every chance), so the
answers hold for every path a trainee can take, not for one bot's:

* the **fewest** decisions of a style on a path to an ending is a shortest path where a
  decision of that style costs one (:meth:`StateGraph.fewest`, which also feeds the table
  of `leadsim check`);
* the **most** is a longest path over the graph's loops condensed to single nodes
  (:class:`sim.analysis.stategraph.Most`): a loop that contains a decision of that style and
  can still reach the ending makes the most unbounded, and its evidence is a path with that
  loop marked ``[repeat: ...]``;
* a **pure** manager (or leader) player takes a choice of its style wherever one is offered
  (any of them) and any choice where none is; every side of every chance is followed.

Each count comes with a :class:`sim.analysis.paths.Path` that reaches it, so a scenario writer
can replay it. ``best_needs`` (:class:`sim.model.BestNeeds`) is checked by :func:`shortfalls`.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from sim.analysis.explore import Exploration
from sim.analysis.paths import Edge, Path, Paths
from sim.analysis.stategraph import Most, StateGraph, components
from sim.model import OUTCOMES, STYLES, Outcome, Scenario, Style

TAUGHT: tuple[Style, Style] = ("manager", "leader")
"""The two styles a best ending must mix (neutral decisions are neither)."""


@attrs.frozen
class Count:
    """The fewest or the most decisions of one style on a path to an ending; ``count`` is
    None when a loop lets the trainee take any number (``path.loop`` marks it)."""

    count: int | None
    path: Path


@attrs.frozen
class StyleRange:
    fewest: Count
    most: Count


@attrs.frozen
class EndingMix:
    id: str
    outcome: Outcome | None
    styles: Mapping[Style, StyleRange]


@attrs.frozen
class Shortfall:
    """A path to a best ending with fewer decisions of ``style`` than ``best_needs`` asks."""

    ending: str
    style: Style
    needs: int
    fewest: Count


@attrs.frozen
class PureReach:
    """What a player who always takes ``style`` where it can reaches: each ending with a
    path, over every side of every chance."""

    style: Style
    endings: Mapping[str, Path]
    outcomes: Mapping[str, Outcome | None]

    @property
    def best(self) -> Outcome | None:
        """The best outcome among the endings it reaches (None: none is rated)."""
        rated = [o for o in self.outcomes.values() if o is not None]
        return min(rated, key=OUTCOMES.index) if rated else None


def _graph(found: Exploration) -> StateGraph:
    if found.graph is None or found.persona is not None:
        raise ValueError("the style mix needs an exploration of every choice")
    return found.graph


def style_mix(found: Exploration) -> dict[str, EndingMix]:
    """Per reached ending, in file order: the fewest and most decisions of each style."""
    graph = _graph(found)
    scenario = graph.space.scenario
    paths = Paths(graph)
    finals: dict[str, list[int]] = {}
    n = graph.space.n_scenes
    for s, key in enumerate(graph.keys):
        if key[0] >= n:
            finals.setdefault(graph.space.places[key[0]], []).append(s)
    if not finals:
        return {}
    comp, count = components(graph.edges)
    ranges: dict[str, dict[Style, StyleRange]] = {e: {} for e in finals}
    for slot, style in enumerate(STYLES):
        cost, came = graph.fewest(slot)
        most = _Evidence(paths, Most(graph.edges, comp, count, slot))
        for eid, states in finals.items():
            low = min(states, key=lambda s: cost[s])
            fewest = Count(cost[low], paths.path(_unwind(came, low)))
            ranges[eid][style] = StyleRange(fewest, most.count(states))
    return {
        e.id: EndingMix(e.id, e.outcome, ranges[e.id])
        for e in scenario.endings.values()
        if e.id in ranges
    }


def shortfalls(scenario: Scenario, mix: Mapping[str, EndingMix]) -> list[Shortfall]:
    """Every best ending a path reaches with fewer manager or leader decisions than
    ``best_needs`` asks, with that path."""
    out = []
    for ending in mix.values():
        if ending.outcome != "best":
            continue
        for style in TAUGHT:
            needs = scenario.best_needs.of(style)
            fewest = ending.styles[style].fewest
            if fewest.count is not None and fewest.count < needs:
                out.append(Shortfall(ending.id, style, needs, fewest))
    return out


def pure_reach(found: Exploration, style: Style) -> PureReach:
    """Every ending a player reaches who, at each decision, takes a choice of ``style`` when
    one is offered (trying each) and any choice when none is, on every side of every chance."""
    graph = _graph(found)
    paths = Paths(graph)
    slot = STYLES.index(style)
    came: dict[int, tuple[int, int]] = {0: (-1, -1)}
    todo = [0]
    while todo:
        s = todo.pop()
        out = graph.edges[s]
        mine = [e for e in out if e[1] == slot] or out
        for t, w in mine:
            if t not in came:
                came[t] = (s, w)
                todo.append(t)
    reached: dict[str, Path] = {}
    for s in sorted(came):  # lowest state number first: found earliest, so a short path
        if paths.is_ending(s):
            eid = graph.space.places[graph.keys[s][0]]
            reached.setdefault(eid, paths.path(_unwind(came, s)))
    scenario = graph.space.scenario
    order = list(scenario.endings)
    ordered = {e: reached[e] for e in order if e in reached}
    return PureReach(style, ordered, {e: scenario.endings[e].outcome for e in ordered})


# --- evidence: paths that prove the counts --------------------------------------------------


def _unwind(came: list[tuple[int, int]] | dict[int, tuple[int, int]], state: int) -> list[Edge]:
    out = []
    while came[state][0] >= 0:
        before, w = came[state]
        out.append((before, state, w))
        state = before
    return out[::-1]


class _Evidence:
    """Paths for the most decisions of one style (:class:`StateGraph` numbers them)."""

    def __init__(self, paths: Paths, most: Most) -> None:
        self.paths = paths
        self.m = most

    def count(self, states: list[int]) -> Count:
        loose = [s for s in states if self.m.unbounded(s)]
        if loose:
            return Count(None, self._repeating(loose[0]))
        state = max(states, key=lambda s: self.m.value[self.m.comp[s]])
        return Count(self.m.value[self.m.comp[state]], self.paths.path(self._back_from(state)))

    def _back_from(self, state: int) -> list[Edge]:
        """A path from the start to ``state`` that takes the most: enter each component on
        its best entry edge and cross it (no decision of the style inside, so any way)."""
        comp, entries = self.m.comp, self.m.entry
        out: list[Edge] = []
        start = comp[0]
        while True:
            c = comp[state]
            entry = entries[c]
            origin = 0 if c == start or entry is None else entry[1]
            out[:0] = self.paths.shortest(origin, state, comp, c)
            if c == start or entry is None:
                return out
            out.insert(0, entry)
            state = entry[0]

    def _repeating(self, state: int) -> Path:
        """Start -> a loop with a decision of the style (once round) -> ``state``."""
        c = self.m.source[self.m.comp[state]]
        edge = self.m.loop_edge[c]
        assert edge is not None
        a, b = edge
        before = self.paths.from_start(a)
        loop = [(a, b, self.m.slot), *self.paths.shortest(b, a, self.m.comp, c)]
        after = self.paths.shortest(a, state)
        return self.paths.path([*before, *loop, *after], (len(before), len(before) + len(loop)))
