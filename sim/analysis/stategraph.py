"""The explored state graph, read back: trails, endings with their meters and style mix,
and loops with no way out.

:mod:`sim.analysis.explore` records each state's successors and the decision that first reached it;
this module turns those arrays into what a trainer reads. Breadth-first discovery makes every
recorded trail a shortest one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

import attrs

from sim.analysis.statespace import Key, Space
from sim.model import STYLES


@attrs.frozen
class Step:
    """One decision of a trail: in ``scene`` the trainee took ``choice`` and landed in ``goto``
    (which chance decided, when the choice has chance routes)."""

    scene: str
    choice: str
    goto: str

    def __str__(self) -> str:
        return f"{self.scene}/{self.choice} -> {self.goto}"


@attrs.frozen
class Problem:
    """A place where a session goes wrong: a softlock, or a loop with no way out."""

    scene: str
    meters: Mapping[str, int]
    flags: frozenset[str]
    trail: tuple[Step, ...]
    scenes: tuple[str, ...] = ()  # for a loop: every scene the trainee can still reach


@attrs.frozen
class EndingReach:
    """How an ending is reached: the meter range it can be reached with, and how many
    decisions of each style lead there (``None`` as the most: a loop allows any number)."""

    id: str
    states: int
    meters: Mapping[str, tuple[int, int]]
    styles: Mapping[str, tuple[int, int | None]]
    trail: tuple[Step, ...]


class StateGraph:
    """The explored state graph, read back for endings, trails and loops."""

    def __init__(
        self,
        space: Space,
        keys: list[Key],
        parent: list[tuple[int, int, int]],
        edges: list[list[tuple[int, int]]],
    ) -> None:
        self.space = space
        self.keys = keys
        self.parent = parent
        # States found but not expanded (when the limit stopped the search) have no edges.
        self.edges = edges + [[] for _ in range(len(keys) - len(edges))]

    def trail(self, state: int) -> tuple[Step, ...]:
        steps = []
        places = self.space.places
        while self.parent[state][0] >= 0:
            before, option, route = self.parent[state]
            place = self.keys[before][0]
            choice = self.space.options[place][option].choice
            steps.append(Step(places[place], choice.id, choice.routes[route].goto))
            state = before
        return tuple(reversed(steps))

    def problem(self, state: int, scenes: tuple[str, ...] = ()) -> Problem:
        place, meters, flags, _, _, _ = self.keys[state]
        scenario = self.space.scenario
        return Problem(
            scene=self.space.places[place],
            meters={m.id: v for m, v in zip(scenario.meters, meters, strict=True)},
            flags=frozenset(f for f, b in self.space.flag_bit.items() if flags & b),
            trail=self.trail(state),
            scenes=scenes,
        )

    def endings(self) -> dict[str, EndingReach]:
        n = self.space.n_scenes
        finals: dict[int, list[int]] = {}
        for s, key in enumerate(self.keys):
            if key[0] >= n:
                finals.setdefault(key[0], []).append(s)
        if not finals:
            return {}
        fewest = [self._fewest(slot) for slot in range(3)]
        most = self._most()
        meters = self.space.scenario.meters
        out = {}
        for place in sorted(finals):
            states = finals[place]
            styles: dict[str, tuple[int, int | None]] = {}
            for slot, style in enumerate(STYLES):
                highs = [most[s][slot] for s in states]
                styles[style] = (
                    min(fewest[slot][s] for s in states),
                    None if any(h is None for h in highs) else max(highs),  # type: ignore[type-var]
                )
            eid = self.space.places[place]
            out[eid] = EndingReach(
                id=eid,
                states=len(states),
                meters={
                    m.id: (
                        min(self.keys[s][1][k] for s in states),
                        max(self.keys[s][1][k] for s in states),
                    )
                    for k, m in enumerate(meters)
                },
                styles=styles,
                trail=self.trail(states[0]),  # breadth first: the first found is a shortest
            )
        return out

    def _fewest(self, slot: int) -> list[int]:
        """Fewest decisions of one style on any path to each state (0-1 breadth first)."""
        inf = len(self.keys) + 1
        dist = [inf] * len(self.keys)
        dist[0] = 0
        queue = deque([0])
        while queue:
            s = queue.popleft()
            d = dist[s]
            for t, style in self.edges[s]:
                w = 1 if style == slot else 0
                if d + w < dist[t]:
                    dist[t] = d + w
                    if w:
                        queue.append(t)
                    else:
                        queue.appendleft(t)
        return dist

    def _most(self) -> list[tuple[int | None, ...]]:
        """Most decisions of each style on any path to each state; None where a loop that
        contains such a decision can come first (then there is no most)."""
        comp, count = components(self.edges)
        edges = self.edges
        members: list[list[int]] = [[] for _ in range(count)]
        loose = [[False, False, False] for _ in range(count)]  # True: a loop comes first
        for s, out in enumerate(edges):
            c = comp[s]
            members[c].append(s)
            for t, slot in out:
                if comp[t] == c:  # an edge inside a component lies on a cycle
                    loose[c][slot] = True
        # Tarjan numbers components in reverse topological order, so walking them from the
        # last sees each state after every state that leads to it. Three plain lists and an
        # unrolled loop: this runs once per transition of a large exploration.
        m0, m1, m2 = [0] * count, [0] * count, [0] * count
        for c in range(count - 1, -1, -1):
            a0, a1, a2 = m0[c], m1[c], m2[c]
            here = loose[c]
            stuck = here[0] or here[1] or here[2]
            for s in members[c]:
                for t, slot in edges[s]:
                    d = comp[t]
                    if d == c:
                        continue
                    b = a0 + (slot == 0)
                    if b > m0[d]:
                        m0[d] = b
                    b = a1 + (slot == 1)
                    if b > m1[d]:
                        m1[d] = b
                    b = a2 + (slot == 2)
                    if b > m2[d]:
                        m2[d] = b
                    if stuck:
                        there = loose[d]
                        there[0] = there[0] or here[0]
                        there[1] = there[1] or here[1]
                        there[2] = there[2] or here[2]
        return [
            (
                None if loose[c][0] else m0[c],
                None if loose[c][1] else m1[c],
                None if loose[c][2] else m2[c],
            )
            for c in comp
        ]

    def loops(self, softlocks: set[int]) -> tuple[Problem, ...]:
        """Reachable states from which no ending can be reached and no softlock either: the
        trainee goes round for ever. One problem per scene where such a loop is entered."""
        n = self.space.n_scenes
        back: list[list[int]] = [[] for _ in self.keys]
        for s, out in enumerate(self.edges):
            for t, _ in out:
                back[t].append(s)
        good = [False] * len(self.keys)
        queue = deque(s for s, k in enumerate(self.keys) if k[0] >= n or s in softlocks)
        for s in queue:
            good[s] = True
        while queue:
            t = queue.popleft()
            for s in back[t]:
                if not good[s]:
                    good[s] = True
                    queue.append(s)
        stuck = [s for s in range(len(self.keys)) if not good[s]]
        problems = []
        seen: set[int] = set()
        for s in stuck:  # breadth-first order: entries come before the states behind them
            before = self.parent[s][0]
            place = self.keys[s][0]
            if (before >= 0 and not good[before]) or place in seen:
                continue
            seen.add(place)
            problems.append(self.problem(s, self._scenes_from(s)))
        return tuple(problems)

    def _scenes_from(self, state: int) -> tuple[str, ...]:
        seen = {state}
        queue = deque([state])
        while queue:
            s = queue.popleft()
            for t, _ in self.edges[s]:
                if t not in seen:
                    seen.add(t)
                    queue.append(t)
        places = {self.keys[s][0] for s in seen}
        return tuple(p for p in self.space.places if self.space.place_index[p] in places)


def components(edges: list[list[tuple[int, int]]]) -> tuple[list[int], int]:
    """Strongly connected components (iterative Tarjan): each state's component number and
    how many there are, numbered in reverse topological order."""
    n = len(edges)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    count = 0
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            v, pos = work[-1]
            if pos == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            out = edges[v]
            if pos < len(out):
                work[-1] = (v, pos + 1)
                w = out[pos][0]
                if index[w] == -1:
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = count
                    if w == v:
                        break
                count += 1
    return comp, count
