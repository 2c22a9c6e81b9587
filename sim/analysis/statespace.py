"""The state space of a scenario: compact states and the rule that moves between them.

A state is what decides the future of a session: the scene (or ending), the meters, the
flags, the ``once`` choices taken, and the visit counts that some condition can tell apart.
Everything else in an engine state (step, seed, tally, last decision) is history, so two
sessions that agree on these behave the same from here on and the explorer visits them once.

Visit counts would make every loop infinite, so they are kept only as far as a condition can
see them: a scene no condition names is not counted at all, ``visited('x')`` only needs "0 or
more", and ``visits('x') >= 3`` only needs "0, 1, 2, 3 or more". A count used in arithmetic is
kept exactly (and a loop through it then shows up as "too large").

The successor rule mirrors :mod:`sim.engine` (effects, then routes checked on the changed
meters and flags, then the visit) on small tuples and bit sets, because the explorer applies
it hundreds of thousands of times; the tests hold it to :func:`sim.engine.outcomes`.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from sim import conditions
from sim.engine import apply_effects
from sim.model import Choice, Guard, Scenario

SLOT = {"manager": 0, "leader": 1, "neutral": 2}
"""Each style's position in a style tally."""
NARRATION_SLOT = 3
"""The slot of a narration scene's continue: no style, so no tally counts it."""

Key = tuple[int, tuple[int, ...], int, tuple[int, ...], int, int]
"""A state: (place, meters, flags, visits, taken, phase). ``place`` indexes scenes, then
endings; flags and taken are bit sets; visits is aligned with the counted scenes; phase is a
persona's position in its rhythm (0 when exploring every choice)."""


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


def _guards(scenario: Scenario) -> Iterator[Guard]:
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.guard is not None:
                yield choice.guard
            for route in choice.routes:
                if route.guard is not None:
                    yield route.guard


# --- compact states -----------------------------------------------------------------------


class _Facts:
    """What a condition sees of an explored state (the same answers engine._Facts gives)."""

    __slots__ = ("flag_bit", "flags", "meter_index", "meters", "visit_index", "visits")

    def __init__(self, space: Space, meters: tuple[int, ...], flags: int, visits: tuple[int, ...]):
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
class Option:
    """A choice, pre-digested for the hot loop."""

    index: int
    choice: Choice
    once_bit: int
    set_bits: int
    clear_bits: int
    slot: int
    routes: tuple[tuple[int, object, float], ...]  # (target place, guard test | None, chance)


class Space:
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
        self.options: list[tuple[Option, ...]] = []
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
                    Option(
                        i,
                        c,
                        bit,
                        sum(self.flag_bit[f] for f in c.effects.set),
                        sum(self.flag_bit[f] for f in c.effects.clear),
                        NARRATION_SLOT if scene.narration else SLOT[c.style],
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

    def available(self, key: Key) -> list[Option]:
        place, meters, flags, visits, taken, _ = key
        facts = _Facts(self, meters, flags, visits)
        return [
            o
            for o in self.options[place]
            if not (o.once_bit & taken) and (o.choice.guard is None or o.choice.guard.test(facts))
        ]

    def successors(self, key: Key, option: Option, phase: int) -> list[tuple[Key, int]]:
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
