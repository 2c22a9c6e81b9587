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
        fewest = [self.fewest(slot)[0] for slot in range(3)]
        comp, count = components(self.edges)
        most = [Most(self.edges, comp, count, slot) for slot in range(3)]
        meters = self.space.scenario.meters
        out = {}
        for place in sorted(finals):
            states = finals[place]
            styles: dict[str, tuple[int, int | None]] = {}
            for slot, style in enumerate(STYLES):
                styles[style] = (min(fewest[slot][s] for s in states), most[slot].most(states))
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

    def fewest(self, slot: int) -> tuple[list[int], list[tuple[int, int]]]:
        """Fewest decisions of one style on any path to each state (0-1 breadth first), and
        for each state the (state, style slot) it is best reached from, to rebuild a path."""
        inf = len(self.keys) + 1
        dist = [inf] * len(self.keys)
        came = [(-1, -1)] * len(self.keys)
        dist[0] = 0
        queue = deque([0])
        while queue:
            s = queue.popleft()
            d = dist[s]
            for t, style in self.edges[s]:
                w = 1 if style == slot else 0
                if d + w < dist[t]:
                    dist[t] = d + w
                    came[t] = (s, style)
                    if w:
                        queue.append(t)
                    else:
                        queue.appendleft(t)
        return dist, came

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


class Most:
    """Most decisions of one style on any path to each state: a longest path over the
    graph with its loops condensed (Tarjan's components). A loop that contains a decision of
    the style makes the most unbounded for every state it can reach. Keeps, per component,
    what :mod:`sim.analysis.stylemix` needs to rebuild a path that proves the count."""

    def __init__(
        self, edges: list[list[tuple[int, int]]], comp: list[int], count: int, slot: int
    ) -> None:
        self.comp = comp
        self.slot = slot
        members: list[list[int]] = [[] for _ in range(count)]
        self.loop_edge: list[tuple[int, int] | None] = [None] * count  # a style edge inside
        for s, out in enumerate(edges):
            c = comp[s]
            members[c].append(s)
            for t, w in out:
                if w == slot and comp[t] == c and self.loop_edge[c] is None:
                    self.loop_edge[c] = (s, t)
        self.value = [0] * count
        self.entry: list[tuple[int, int, int] | None] = [None] * count  # the edge bringing most
        self.source = [-1] * count  # for an unbounded component: the loop that makes it so
        # Tarjan numbers components in reverse topological order: walking them from the last
        # sees each component after every component that leads to it.
        for c in range(count - 1, -1, -1):
            if self.loop_edge[c] is not None:
                self.source[c] = c
            here, loose = self.value[c], self.source[c]
            for s in members[c]:
                for t, w in edges[s]:
                    d = comp[t]
                    if d == c:
                        continue
                    v = here + (w == slot)
                    if self.entry[d] is None or v > self.value[d]:
                        self.value[d] = v
                        self.entry[d] = (s, t, w)
                    if loose >= 0 and self.source[d] < 0:
                        self.source[d] = loose

    def unbounded(self, state: int) -> bool:
        return self.source[self.comp[state]] >= 0

    def most(self, states: list[int]) -> int | None:
        """The most over ``states`` (None: a loop allows any number)."""
        if any(self.unbounded(s) for s in states):
            return None
        return max(self.value[self.comp[s]] for s in states)


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
