"""Random play-testing at speed: a scenario compiled into flat tables for seeded random runs.

:mod:`sim.engine` builds an immutable :class:`~sim.engine.State` and a
:class:`~sim.engine.Decision` at every step, which a session needs (the log, rewinding, the
debrief) and a random play-tester does not: it only needs where each run ends, with which
meters, and which options it took. This module compiles a :class:`~sim.model.Scenario` once
into tuples of plain values (scenes and endings numbered, each option's effects as
``(meter index, amount, min, max)``, its routes with their compiled conditions) and runs
the playthroughs in one loop over mutable lists.

It is held to the engine, not trusted: ``tests/test_kernel.py`` plays generated scenarios
through both, seed for seed, and compares endings, meters, flags and paths. The semantics
are the engine's, step by step: the options offered are :func:`sim.engine.available` in file
order; effects are applied (clamped, percent changes through the engine's own
:func:`sim.engine.apply_effects`), flags set then cleared, a ``once`` option remembered;
then the first route whose condition holds and whose chance roll (the session's SplitMix64
generator, seeded per run) succeeds is taken, and the scene entered counted only if a
condition reads its visits (``scenario.counted``).

Two pick policies, as ChoiceScript's ``randomtest`` has: ``least-used`` (the options used
least so far across all runs, ties broken at random: its default, and ours) and ``uniform``.
Both draw from one ``random.Random(seed)`` exactly as :mod:`sim.analysis.playtest`'s
engine-driven runs do, so the two give the same runs for the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, Literal

from sim import engine
from sim.model import Scenario
from sim.rng import draw

Policy = Literal["least-used", "uniform"]
POLICIES: tuple[Policy, ...] = ("least-used", "uniform")

# An option: (key, guard test or None, once, changes, percent effects or None, flags set,
# flags cleared, fixed goto or -1, routes). Plain tuples: unpacked once per decision.
Option = tuple[Any, ...]
Each = Callable[[int, int, "str | None", tuple[int, ...], frozenset[str], list[int]], None]
"""Called after each run with (run, engine seed, ending or None, meters, flags, option keys
taken); for tests and tools that want every run, not only the totals."""


class _Facts:
    """What a condition sees of a run in progress (the engine's ``_Facts``, over lists)."""

    __slots__ = ("flags", "index", "meters", "visits")

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index
        self.meters: list[int] = []
        self.flags: set[str] = set()
        self.visits: dict[str, int] = {}

    def value_of(self, name: str) -> float:
        i = self.index.get(name)
        if i is not None:
            return self.meters[i]
        return name in self.flags

    def visits_of(self, scene: str) -> int:
        return self.visits.get(scene, 0)


class Kernel:
    """A scenario compiled for random runs. Build once, run many times."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.scene_ids: list[str] = list(scenario.scenes)
        self.ending_ids: list[str] = list(scenario.endings)
        place = {sid: i for i, sid in enumerate(self.scene_ids)}
        base = len(self.scene_ids)
        place.update({eid: base + i for i, eid in enumerate(self.ending_ids)})
        self.place = place
        self.counted = scenario.counted
        index = dict(scenario.meter_index)
        self.keys: list[tuple[str, str]] = []  # option key -> (scene id, choice id)
        scenes: list[tuple[tuple[Option, ...], bool]] = []
        for scene in scenario.scenes.values():
            options = []
            for choice in scene.choices:
                key = len(self.keys)
                self.keys.append((scene.id, choice.id))
                effects = choice.effects
                percent = any(c.kind != "delta" for c in effects.changes)
                changes = tuple(
                    (
                        index[c.meter],
                        c.amount,
                        scenario.meter(c.meter).min,
                        scenario.meter(c.meter).max,
                    )
                    for c in effects.changes
                )
                routes = tuple(
                    (
                        None if r.guard is None else r.guard.test,
                        None if r.chance is None else r.chance,
                        place[r.goto],
                    )
                    for r in choice.routes
                )
                fixed = routes[0][2] if routes[0][0] is None and routes[0][1] is None else -1
                options.append(
                    (
                        key,
                        None if choice.guard is None else choice.guard.test,
                        choice.once,
                        changes,
                        effects if percent else None,
                        effects.set,
                        effects.clear,
                        fixed,
                        routes,
                    )
                )
            plain = all(o[1] is None and not o[2] for o in options)
            scenes.append((tuple(options), plain))
        self.scenes = tuple(scenes)
        self.index = index
        self.start = place[scenario.start]
        self.start_meters = [m.start for m in scenario.meters]

    def option_count(self) -> int:
        return len(self.keys)


class Totals:
    """What a batch of runs found, in the kernel's numbering."""

    def __init__(self, kernel: Kernel) -> None:
        self.endings = [0] * len(kernel.ending_ids)
        self.uses = [0] * kernel.option_count()
        self.scenes = bytearray(len(kernel.scene_ids))
        self.failures: list[tuple[int, int, str, int, str, list[int]]] = []
        """(run, seed, kind, place, message, option keys taken)."""


def play(
    kernel: Kernel,
    runs: int,
    seed: int,
    policy: Policy = "least-used",
    max_steps: int = 10_000,
    progress: Callable[[int], None] | None = None,
    each: Each | None = None,
) -> Totals:
    """``runs`` seeded random playthroughs; see the module's docstring for the rules."""
    rng = random.Random(seed)
    getrandbits = rng.getrandbits
    least = policy == "least-used"
    totals = Totals(kernel)
    uses, ended, seen = totals.uses, totals.endings, totals.scenes
    scenes, counted, ids = kernel.scenes, kernel.counted, kernel.scene_ids
    n_scenes, start, start_meters = len(ids), kernel.start, kernel.start_meters
    start_id = ids[start] if start < n_scenes else None
    facts = _Facts(kernel.index)
    scenario = kernel.scenario
    for run in range(runs):
        if progress is not None and not run & 63:
            progress(run)
        run_seed = getrandbits(31)
        meters = list(start_meters)
        flags: set[str] = set()
        visits: dict[str, int] = {start_id: 1} if start_id in counted else {}
        taken: set[int] = set()
        facts.meters, facts.flags, facts.visits = meters, flags, visits
        state_rng = run_seed
        here = start
        path: list[int] = []
        failure: tuple[str, str] | None = None
        try:
            for _ in range(max_steps):
                if here >= n_scenes:
                    break
                seen[here] = 1
                options, plain = scenes[here]
                if plain:
                    offered: Sequence[Option] = options
                else:
                    offered = [
                        o
                        for o in options
                        if not (o[2] and o[0] in taken) and (o[1] is None or o[1](facts))
                    ]
                    if not offered:
                        failure = ("softlock", "the scene offers no available choice")
                        break
                if least:
                    fewest = 1 << 62
                    ties: Sequence[Option] = ()
                    for o in offered:
                        u = uses[o[0]]
                        if u < fewest:
                            fewest = u
                            ties = [o]
                        elif u == fewest:
                            ties.append(o)  # type: ignore[attr-defined]
                else:
                    ties = offered
                # random.Random.choice(ties), inlined (a draw only when there is a choice);
                # tests hold this to the engine-driven runs, which call choice() itself.
                n = len(ties)
                if n == 1:
                    pick = ties[0]
                else:
                    bits = n.bit_length()
                    r = getrandbits(bits)
                    while r >= n:
                        r = getrandbits(bits)
                    pick = ties[r]
                key, _, once, changes, percent, to_set, to_clear, goto, routes = pick
                uses[key] += 1
                path.append(key)
                if percent is not None:
                    meters[:] = engine.apply_effects(scenario, tuple(meters), percent)
                else:
                    for i, amount, low, high in changes:
                        v = meters[i] + amount
                        meters[i] = int(high if v > high else low if v < low else v)
                if to_set:
                    flags |= to_set
                if to_clear:
                    flags -= to_clear
                if once:
                    taken.add(key)
                if goto < 0:
                    for test, chance, target in routes:
                        if test is not None and not test(facts):
                            continue
                        if chance is None:
                            goto = target
                            break
                        state_rng, roll = draw(state_rng)
                        if roll < chance:
                            goto = target
                            break
                    else:
                        choice = kernel.keys[key][1]
                        raise engine.EngineError(f"choice {choice!r} has no route that applies")
                here = goto
                if here < n_scenes:
                    sid = ids[here]
                    if sid in counted:
                        visits[sid] = visits.get(sid, 0) + 1
            else:
                if here < n_scenes:
                    failure = ("loop", f"no ending after {max_steps:,} decisions")
        except Exception as e:  # finding crashes is the point: report it with its trail
            failure = ("engine error", f"{type(e).__name__}: {e}")  # `here` is where it was
        if failure is not None:
            totals.failures.append((run + 1, run_seed, failure[0], here, failure[1], path))
            ending = None
        else:
            ending = kernel.ending_ids[here - n_scenes]
            ended[here - n_scenes] += 1
        if each is not None:
            each(run + 1, run_seed, ending, tuple(meters), frozenset(flags), path)
    if progress is not None:
        progress(runs)
    return totals
