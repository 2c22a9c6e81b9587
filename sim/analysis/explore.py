"""Explore every state a scenario can reach: the ground truth for deep validation and play-tests.

Breadth first from the start, taking every available choice (or only the one a persona
picks) and both sides of every chance, visiting each state of :mod:`sim.analysis.statespace` once.
It stops after ``limit`` states with ``complete=False`` rather than running away on a huge
file, and every result says whether it is complete. Pure: no clock, no I/O; a ``progress``
callback reports how far it got. The benchmark, the play-tester and deep validation all use
:func:`explore`; :mod:`sim.analysis.stategraph` reads the result back into trails and style mixes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import attrs

from sim.analysis.stategraph import EndingReach, Problem, StateGraph, Step
from sim.analysis.statespace import Key, Space, constant_truth, visit_caps
from sim.collector import paused
from sim.model import Choice, Scenario, Style

__all__ = [
    "DEFAULT_LIMIT",
    "PERSONAS",
    "Alternating",
    "Always",
    "EndingReach",
    "Exploration",
    "Persona",
    "Problem",
    "Step",
    "constant_truth",
    "explore",
    "visit_caps",
]

DEFAULT_LIMIT = 100_000
"""States explored before giving up: about a second of work."""


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
    graph: StateGraph | None = attrs.field(default=None, eq=False, repr=False)
    """The explored states and their successors, for analyses over every path
    (:mod:`sim.analysis.stylemix`, :mod:`sim.analysis.pacing`)."""

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

    @property
    def name(self) -> str: ...

    @property
    def period(self) -> int:
        """How many phases its rhythm has (1: it always plays the same way)."""
        ...

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
    with paused():
        return _explore(scenario, limit, persona, progress)


def _explore(
    scenario: Scenario, limit: int, persona: Persona | None, progress: Progress | None
) -> Exploration:
    space = Space(scenario)
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
            # A narration scene's continue is no decision, so a persona's rhythm waits.
            narrated = space.scenario.scenes[space.places[place]].narration
            phase = key[5] if narrated else (key[5] + 1) % period
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
    graph = StateGraph(space, keys, parent, edges)
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
        graph=graph,
    )


def _first_per_scene(keys: list[Key], states: list[int]) -> list[int]:
    seen: set[int] = set()
    out = []
    for s in states:
        if keys[s][0] not in seen:
            seen.add(keys[s][0])
            out.append(s)
    return out
