"""Paths through the explored state graph, as a trainer reads them.

The explorer keeps, per state, only its successors and the style of the decision that leads to
each (:class:`sim.analysis.stategraph.StateGraph`). The analyses over every path
(:mod:`sim.analysis.stylemix`, :mod:`sim.analysis.pacing`, :mod:`sim.analysis.rubric`) find
their answers as chains of states; this module turns such a chain back into the scene and
choice ids a trainer can replay, with the side of each chance that was taken, and searches
paths inside the graph (shortest, inside one loop, or from a state to an ending).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

import attrs

from sim.analysis.stategraph import StateGraph, Step
from sim.model import STYLES, Scenario, Style

Edge = tuple[int, int, int]
"""One decision in the graph: (state before, state after, style slot)."""

SLOT_STYLES: tuple[Style | None, ...] = (*STYLES, None)
"""The style of each slot; a narration scene's continue (the last slot) has none."""


@attrs.frozen
class Path:
    """A path from the start, as decisions. ``loop`` (start, end) marks steps that can be
    repeated any number of times, for a path that shows a count without a most."""

    steps: tuple[Step, ...]
    styles: tuple[Style | None, ...]
    loop: tuple[int, int] | None = None

    def count(self, style: Style) -> int:
        return sum(s == style for s in self.styles)

    def text(self, scenario: Scenario) -> str:
        """:func:`path_text`, with each manager decision marked ``[M]`` and each leader
        decision ``[L]`` so a writer sees which steps the counts count."""
        return path_text(scenario, self.steps, self.loop, self.styles)

    def to_json(self) -> dict[str, object]:
        return {
            "steps": [str(s) for s in self.steps],
            "styles": list(self.styles),
            "loop": list(self.loop) if self.loop is not None else None,
        }


MARKS = {"manager": "[M]", "leader": "[L]", "neutral": ""}


def path_text(
    scenario: Scenario,
    steps: Sequence[Step],
    loop: tuple[int, int] | None = None,
    styles: Sequence[Style | None] = (),
) -> str:
    """``monday/assign[M], tuesday/call[L] (chance: supplier-call), friday/wrap -> settled``:
    every decision as scene/choice (with its style mark when ``styles`` are given), the side a
    chance took where the choice rolls, the ending last, and ``[repeat: ...]`` around steps a
    loop can repeat."""
    if not steps:
        return "(at the start)"
    parts = []
    for i, step in enumerate(steps):
        scene = scenario.scenes.get(step.scene)
        choice = scene.choice(step.choice) if scene is not None else None
        rolled = choice is not None and any(r.chance is not None for r in choice.routes)
        part = f"{step.scene}/{step.choice}" + (
            MARKS.get(styles[i] or "", "") if i < len(styles) else ""
        )
        part += f" (chance: {step.goto})" if rolled else ""
        if loop is not None and i == loop[0]:
            part = "[repeat: " + part
        if loop is not None and i == loop[1] - 1:
            part += "]"
        parts.append(part)
    return ", ".join(parts) + f" -> {steps[-1].goto}"


class Paths:
    """Searches over one explored graph (of every choice, not a persona's)."""

    def __init__(self, graph: StateGraph) -> None:
        self.graph = graph
        self.space = graph.space
        self.edges = graph.edges
        self._back: list[list[tuple[int, int]]] | None = None

    @property
    def back(self) -> list[list[tuple[int, int]]]:
        """Per state: the states that lead to it, with the style slot of the decision."""
        if self._back is None:
            back: list[list[tuple[int, int]]] = [[] for _ in self.edges]
            for s, out in enumerate(self.edges):
                for t, w in out:
                    back[t].append((s, w))
            self._back = back
        return self._back

    def is_ending(self, state: int) -> bool:
        return self.graph.keys[state][0] >= self.space.n_scenes

    def step(self, edge: Edge) -> Step:
        """The decision behind one edge: which choice, and which route it took."""
        s, t, slot = edge
        key, target = self.graph.keys[s], self.graph.keys[t]
        places = self.space.places
        for option in self.space.available(key):
            if option.slot != slot:
                continue
            for succ, r in self.space.successors(key, option, key[5]):
                if succ == target:
                    choice = option.choice
                    return Step(places[key[0]], choice.id, choice.routes[r].goto)
        raise ValueError(f"no decision leads from state {s} to state {t}")  # pragma: no cover

    def path(self, edges: Iterable[Edge], loop: tuple[int, int] | None = None) -> Path:
        chain = list(edges)
        return Path(
            tuple(self.step(e) for e in chain), tuple(SLOT_STYLES[w] for _, _, w in chain), loop
        )

    def shortest(
        self, source: int, targets: set[int] | int, within: list[int] | None = None, comp: int = -1
    ) -> list[Edge]:
        """Fewest decisions from ``source`` to a state of ``targets`` (breadth first); with
        ``within`` (each state's component) only through states of component ``comp``."""
        goal = {targets} if isinstance(targets, int) else targets
        if source in goal:
            return []
        came: dict[int, tuple[int, int]] = {source: (-1, -1)}
        queue = deque([source])
        while queue:
            s = queue.popleft()
            for t, w in self.edges[s]:
                if t in came or (within is not None and within[t] != comp):
                    continue
                came[t] = (s, w)
                if t in goal:
                    return self._unwind(came, t)
                queue.append(t)
        raise ValueError(f"state {source} does not lead to {sorted(goal)[:3]}")  # pragma: no cover

    def from_start(self, state: int) -> list[Edge]:
        """The breadth-first (shortest) path the explorer recorded to ``state``."""
        out = []
        while self.graph.parent[state][0] >= 0:
            before = self.graph.parent[state][0]
            option = self.graph.parent[state][1]
            place = self.graph.keys[before][0]
            out.append((before, state, self.space.options[place][option].slot))
            state = before
        return out[::-1]

    def to_ending(self) -> list[int]:
        """Per state: the fewest decisions left to reach any ending (-1: none can be reached)."""
        left = [-1] * len(self.edges)
        queue = deque(s for s in range(len(self.edges)) if self.is_ending(s))
        for s in queue:
            left[s] = 0
        back = self.back
        while queue:
            t = queue.popleft()
            for s, _ in back[t]:
                if left[s] < 0:
                    left[s] = left[t] + 1
                    queue.append(s)
        return left

    def finish(self, state: int, left: list[int]) -> list[Edge]:
        """A quickest way from ``state`` to an ending, following ``left`` (:meth:`to_ending`)."""
        out = []
        while left[state] > 0:
            t, w = next((t, w) for t, w in self.edges[state] if left[t] == left[state] - 1)
            out.append((state, t, w))
            state = t
        return out

    @staticmethod
    def _unwind(came: dict[int, tuple[int, int]], state: int) -> list[Edge]:
        out = []
        while came[state][0] >= 0:
            before, w = came[state]
            out.append((before, state, w))
            state = before
        return out[::-1]
