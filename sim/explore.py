"""Explore every state a scenario can reach: the ground truth for deep validation and play-tests.

A state is what decides the future of a session: the scene, the meters, the flags, the ``once``
choices taken, and the visit counts that some condition can tell apart. Everything else in an
engine state (step, seed, tally, last decision) is history, so two sessions that agree on the
first list behave the same from here on and are explored once (memoisation).

Visit counts would make every loop infinite, so they are kept only as far as a condition can
see them: a scene no condition names is not counted at all, ``visited('x')`` only needs "0 or
more", and ``visits('x') >= 3`` only needs "0, 1, 2, 3 or more". A count used in arithmetic is
kept exactly (and a loop through it then shows up as "too large").

Exploration is breadth first and stops after ``limit`` states with ``complete=False`` rather
than running away on a huge file; every result says whether it is complete. The module is pure:
no clock, no I/O. The successor rule mirrors :mod:`sim.engine` (effects, then routes checked on
the changed meters and flags, then the visit) and the tests hold the two to the same answers.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import attrs

from sim import conditions
from sim.engine import apply_effects
from sim.model import STYLES, Choice, Scenario, Style

DEFAULT_LIMIT = 100_000
"""States explored before giving up: about a second of work."""

_SLOT = {"manager": 0, "leader": 1, "neutral": 2}

# A state: (place, meters, flags, visits, taken, phase). ``place`` indexes scenes, then endings;
# flags and taken are bit sets; visits is aligned with the counted scenes; phase is the
# persona's position in its rhythm (0 when exploring every choice).
Key = tuple[int, tuple[int, ...], int, tuple[int, ...], int, int]


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


@attrs.frozen
class Exploration:
    """What an exploration found. Reachability facts are exact only when ``complete``."""

    states: int
    transitions: int
    limit: int
    complete: bool
    persona: str | None
    scenes: frozenset[str]
    endings: Mapping[str, EndingReach]
    choices: frozenset[tuple[str, str]]  # (scene, choice) taken in some reachable state
    routes: frozenset[tuple[str, str, int]]  # (scene, choice, route index) ever followed
    softlocks: tuple[Problem, ...]
    loops: tuple[Problem, ...]

    def unexercised_scenes(self, scenario: Scenario) -> list[str]:
        return [s for s in scenario.scenes if s not in self.scenes]

    def unexercised_endings(self, scenario: Scenario) -> list[str]:
        return [e for e in scenario.endings if e not in self.endings]

    def unexercised_choices(self, scenario: Scenario) -> list[tuple[str, str]]:
        """Choices of reached scenes that no reachable state offers."""
        return [
            (s.id, c.id)
            for s in scenario.scenes.values()
            if s.id in self.scenes
            for c in s.choices
            if (s.id, c.id) not in self.choices
        ]


# --- personas ---------------------------------------------------------------------------


class Persona(Protocol):
    """A fixed way of playing: picks one of the available choices at each decision."""

    name: str
    period: int  # how many phases its rhythm has (1: it always plays the same way)

    def pick(self, offered: Sequence[Choice], phase: int) -> Choice: ...


def _first(offered: Sequence[Choice], style: Style) -> Choice:
    return next((c for c in offered if c.style == style), offered[0])


@attrs.frozen
class Always:
    """At every scene the first available choice of ``style``, else the first available."""

    style: Style
    period: int = 1

    @property
    def name(self) -> str:
        return f"always-{self.style}"

    def pick(self, offered: Sequence[Choice], phase: int) -> Choice:
        return _first(offered, self.style)


@attrs.frozen
class Alternating:
    """Manager, then leader, then manager...: the first available of the style due."""

    styles: tuple[Style, ...] = ("manager", "leader")

    @property
    def name(self) -> str:
        return "alternating"

    @property
    def period(self) -> int:
        return len(self.styles)

    def pick(self, offered: Sequence[Choice], phase: int) -> Choice:
        return _first(offered, self.styles[phase])


PERSONAS: tuple[Persona, ...] = (Always("manager"), Always("leader"), Alternating())


# --- what conditions can see of visits --------------------------------------------------


def visit_caps(scenario: Scenario) -> dict[str, int | None]:
    """For each scene a condition names, the count beyond which no condition can tell visits
    apart (``None``: keep the exact count). Scenes no condition names are not counted."""
    caps: dict[str, int | None] = {}

    def need(scene: str, cap: int | None) -> None:
        if scene in caps and caps[scene] is None:
            return
        caps[scene] = None if cap is None else max(caps.get(scene) or 0, cap)

    def visit(node: conditions.Expr, context: str) -> None:
        if isinstance(node, conditions.Call):
            if node.function == "visited" or context == "truth":
                need(node.scene, 1)
            else:
                need(node.scene, None)  # arithmetic: keep it exact
            return
        if isinstance(node, conditions.BinOp) and node.op in conditions.COMPARISONS:
            for side, other in ((node.left, node.right), (node.right, node.left)):
                bound = _constant(other)
                if (
                    isinstance(side, conditions.Call)
                    and side.function == "visits"
                    and bound is not None
                ):
                    need(side.scene, max(1, int(bound // 1) + 1))
                else:
                    visit(side, "number")
            return
        if isinstance(node, conditions.BinOp):
            logic = "truth" if node.op in ("and", "or") else "number"
            visit(node.left, logic)
            visit(node.right, logic)
        elif isinstance(node, conditions.Not):
            visit(node.operand, "truth")
        elif isinstance(node, conditions.Neg):
            visit(node.operand, "number")

    for guard in _guards(scenario):
        visit(guard.condition.tree, "truth")
    return caps


def _constant(node: conditions.Expr) -> float | None:
    """The number a tree always evaluates to, if it reads no meter, flag or visit."""
    if any(isinstance(n, conditions.Name | conditions.Call) for n in conditions.walk(node)):
        return None
    value = conditions.compile_expr(node)(None)  # type: ignore[arg-type]
    return float(value)


def constant_truth(condition: conditions.Condition) -> bool | None:
    """True or False when a condition reads nothing that can change, else None."""
    value = _constant(condition.tree)
    return None if value is None else bool(value)


def _guards(scenario: Scenario):
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.guard is not None:
                yield choice.guard
            for route in choice.routes:
                if route.guard is not None:
                    yield route.guard


# --- the explorer -----------------------------------------------------------------------


class _Facts:
    """What a condition sees of an explored state (the same answers engine._Facts gives)."""

    __slots__ = ("flag_bit", "flags", "meter_index", "meters", "visit_index", "visits")

    def __init__(self, space: _Space, meters: tuple[int, ...], flags: int, visits: tuple[int, ...]):
        self.meter_index = space.meter_index
        self.flag_bit = space.flag_bit
        self.visit_index = space.visit_index
        self.meters = meters
        self.flags = flags
        self.visits = visits

    def value_of(self, name: str) -> float:
        i = self.meter_index.get(name)
        if i is not None:
            return self.meters[i]
        bit = self.flag_bit.get(name)
        return bit is not None and bool(self.flags & bit)

    def visits_of(self, scene: str) -> int:
        i = self.visit_index.get(scene)
        return 0 if i is None else self.visits[i]


@attrs.frozen
class _Option:
    """A choice, pre-digested for the hot loop."""

    index: int
    choice: Choice
    once_bit: int
    set_bits: int
    clear_bits: int
    slot: int
    routes: tuple[tuple[int, object, float], ...]  # (target place, guard test | None, chance)


class _Space:
    """The scenario's ids turned into small integers, and the successor rule."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.places = [*scenario.scenes, *scenario.endings]
        self.place_index = {p: i for i, p in enumerate(self.places)}
        self.n_scenes = len(scenario.scenes)
        self.meter_index = dict(scenario.meter_index)
        self.flag_names = sorted(scenario.flags)
        self.flag_bit = {f: 1 << i for i, f in enumerate(self.flag_names)}
        caps = visit_caps(scenario)
        self.counted = sorted(s for s in caps if s in scenario.scenes)
        self.visit_index = {s: i for i, s in enumerate(self.counted)}
        self.caps = tuple(caps[s] for s in self.counted)
        self.place_visit = {self.place_index[s]: i for s, i in self.visit_index.items()}
        self.options: list[tuple[_Option, ...]] = []
        once = 0
        for scene in scenario.scenes.values():
            opts = []
            for i, c in enumerate(scene.choices):
                bit = 0
                if c.once:
                    bit, once = 1 << once, once + 1
                routes = tuple(
                    (
                        self.place_index[r.goto],
                        r.guard.test if r.guard is not None else None,
                        1.0 if r.chance is None else min(1.0, max(0.0, r.chance)),
                    )
                    for r in c.routes
                )
                opts.append(
                    _Option(
                        i,
                        c,
                        bit,
                        sum(self.flag_bit[f] for f in c.effects.set),
                        sum(self.flag_bit[f] for f in c.effects.clear),
                        _SLOT[c.style],
                        routes,
                    )
                )
            self.options.append(tuple(opts))

    def start(self) -> Key:
        place = self.place_index[self.scenario.start]
        return (
            place,
            tuple(m.start for m in self.scenario.meters),
            0,
            self.enter((0,) * len(self.counted), place),
            0,
            0,
        )

    def enter(self, visits: tuple[int, ...], place: int) -> tuple[int, ...]:
        i = self.place_visit.get(place)
        if i is None:
            return visits
        cap = self.caps[i]
        if cap is not None and visits[i] >= cap:
            return visits
        return (*visits[:i], visits[i] + 1, *visits[i + 1 :])

    def available(self, key: Key) -> list[_Option]:
        place, meters, flags, visits, taken, _ = key
        facts = _Facts(self, meters, flags, visits)
        return [
            o
            for o in self.options[place]
            if not (o.once_bit & taken) and (o.choice.guard is None or o.choice.guard.test(facts))
        ]

    def successors(self, key: Key, option: _Option, phase: int) -> list[tuple[Key, int]]:
        """Every state taking ``option`` can lead to, with the index of the route taken."""
        _, meters, flags, visits, taken, _ = key
        meters = apply_effects(self.scenario, meters, option.choice.effects)
        flags = (flags | option.set_bits) & ~option.clear_bits
        taken |= option.once_bit
        facts = _Facts(self, meters, flags, visits)
        out: list[tuple[Key, int]] = []
        remaining = 1.0
        for r, (target, test, p) in enumerate(option.routes):
            if test is not None and not test(facts):  # type: ignore[operator]
                continue
            if p > 0:
                if target >= self.n_scenes:
                    out.append(((target, meters, 0, (), 0, 0), r))
                else:
                    out.append(
                        ((target, meters, flags, self.enter(visits, target), taken, phase), r)
                    )
            remaining *= 1 - p
            if remaining <= 0:
                break
        return out


Progress = Callable[[int], None]


def explore(
    scenario: Scenario,
    limit: int = DEFAULT_LIMIT,
    persona: Persona | None = None,
    progress: Progress | None = None,
) -> Exploration:
    """Every state reachable from the start (taking every available choice, or only the one
    ``persona`` picks), and both sides of every chance; stop after ``limit`` states."""
    # The search allocates hundreds of thousands of tuples and frees none of them, which only
    # makes the cycle collector scan again and again (a third of the time); pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _explore(scenario, limit, persona, progress)
    finally:
        if collecting:
            gc.enable()


def _explore(
    scenario: Scenario, limit: int, persona: Persona | None, progress: Progress | None
) -> Exploration:
    space = _Space(scenario)
    start = space.start()
    index: dict[Key, int] = {start: 0}
    keys: list[Key] = [start]
    parent: list[tuple[int, int, int]] = [(-1, -1, -1)]  # (state, option, route) it came from
    edges: list[list[tuple[int, int]]] = []  # per state: (successor, style slot)
    choices: set[tuple[int, int]] = set()
    routes: set[tuple[int, int, int]] = set()
    softlocks: list[int] = []
    transitions = 0
    complete = True
    period = persona.period if persona is not None else 1
    i = 0
    while i < len(keys):
        if progress is not None and i % 4096 == 0:
            progress(i)
        key = keys[i]
        place = key[0]
        out: list[tuple[int, int]] = []
        edges.append(out)
        if place < space.n_scenes:
            offered = space.available(key)
            if persona is not None and offered:
                picked = persona.pick([o.choice for o in offered], key[5])
                offered = [o for o in offered if o.choice is picked]
            if not offered:
                softlocks.append(i)
            phase = (key[5] + 1) % period
            for option in offered:
                choices.add((place, option.index))
                for succ, r in space.successors(key, option, phase):
                    transitions += 1
                    routes.add((place, option.index, r))
                    j = index.get(succ)
                    if j is None:
                        if len(keys) >= limit:
                            complete = False
                            continue
                        j = index[succ] = len(keys)
                        keys.append(succ)
                        parent.append((i, option.index, r))
                    out.append((j, option.slot))
        if not complete:
            break
        i += 1
    if not complete:
        # States found but not expanded can still be softlocks, and checking is cheap.
        softlocks.extend(
            j
            for j in range(i, len(keys))
            if keys[j][0] < space.n_scenes and not space.available(keys[j])
        )
    if progress is not None:
        progress(len(keys))
    graph = _Graph(space, keys, parent, edges)
    scenes_by_index = list(scenario.scenes.values())
    return Exploration(
        states=len(keys),
        transitions=transitions,
        limit=limit,
        complete=complete,
        persona=persona.name if persona is not None else None,
        scenes=frozenset(space.places[k[0]] for k in keys if k[0] < space.n_scenes),
        endings=graph.endings(),
        choices=frozenset((space.places[p], scenes_by_index[p].choices[c].id) for p, c in choices),
        routes=frozenset(
            (space.places[p], scenes_by_index[p].choices[c].id, r) for p, c, r in routes
        ),
        softlocks=tuple(graph.problem(s) for s in _first_per_scene(keys, softlocks)),
        loops=graph.loops(set(softlocks)) if complete else (),
    )


def _first_per_scene(keys: list[Key], states: list[int]) -> list[int]:
    seen: set[int] = set()
    out = []
    for s in states:
        if keys[s][0] not in seen:
            seen.add(keys[s][0])
            out.append(s)
    return out


class _Graph:
    """The explored state graph, read back for endings, trails and loops."""

    def __init__(
        self,
        space: _Space,
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
        most = [self._most(slot) for slot in range(3)]
        meters = self.space.scenario.meters
        out = {}
        for place in sorted(finals):
            states = finals[place]
            styles = {}
            for slot, style in enumerate(STYLES):
                highs = [most[slot][s] for s in states]
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

    def _most(self, slot: int) -> list[int | None]:
        """Most decisions of one style on any path to each state; None when a loop that
        contains such a decision can come first (then there is no most)."""
        comp, order = _components(self.edges)
        n_comp = len(order)
        unbounded = [False] * n_comp
        best = [0] * n_comp
        reached = [False] * n_comp
        reached[comp[0]] = True
        for s, out in enumerate(self.edges):
            for t, style in out:
                if style == slot and comp[s] == comp[t]:
                    unbounded[comp[s]] = True
        members: list[list[int]] = [[] for _ in range(n_comp)]
        for s, c in enumerate(comp):
            members[c].append(s)
        # Tarjan numbers components in reverse topological order: walk them from the last.
        for c in range(n_comp - 1, -1, -1):
            if not reached[c]:
                continue
            for s in members[c]:
                for t, style in self.edges[s]:
                    d = comp[t]
                    if d == c:
                        continue
                    reached[d] = True
                    unbounded[d] = unbounded[d] or unbounded[c]
                    best[d] = max(best[d], best[c] + (style == slot))
        return [None if unbounded[comp[s]] else best[comp[s]] for s in range(len(self.keys))]

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


def _components(edges: list[list[tuple[int, int]]]) -> tuple[list[int], list[int]]:
    """Strongly connected components (iterative Tarjan): each state's component number and
    the list of components, numbered in reverse topological order."""
    n = len(edges)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    order: list[int] = []
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
                c = len(order)
                order.append(c)
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = c
                    if w == v:
                        break
    return comp, order
