"""The pure engine: a state and a choice in, a new state out.

No I/O, no clock, no global randomness. A session is exactly (scenario, seed, choice ids):
:func:`replay` rebuilds every state from those three, which is what the log, resume, replay
and the analyser rely on.

Randomness comes from a SplitMix64 generator whose whole state is one integer carried in
:class:`State`, so a state can be saved, compared and resumed without hidden generator state.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from sim.model import Choice, Effects, Route, Scenario, Scene, Style
from sim.reprs import shared_repr
from sim.rng import draw as _draw
from sim.rng import order

_MASK = (1 << 64) - 1
MAX_SEED = (1 << 64) - 1
"""Seeds are 0 to 2^64-1 (the generator's width, :mod:`sim.rng`); `play --seed` refuses
others, and `replay --verify` reports a log that records one."""


class EngineError(Exception):
    """Base of the errors the engine raises for a request it cannot honour."""


class ChoiceNotOffered(EngineError):
    """The choice does not exist in this scene, is locked, or was already taken."""


class SessionOver(EngineError):
    """A choice was made after the session reached an ending."""


@attrs.frozen
@shared_repr
class Decision:
    """One decision as it happened: what was chosen and what it changed."""

    step: int
    scene: str
    choice: str
    style: Style
    traits: tuple[str, ...]
    before: tuple[int, ...]
    after: tuple[int, ...]
    flags_set: frozenset[str]
    flags_cleared: frozenset[str]
    goto: str
    shown: tuple[str, ...] = ()
    """The scene's choice ids in the order shown, when the scenario shuffles them."""

    def deltas(self) -> tuple[int, ...]:
        return tuple(a - b for a, b in zip(self.after, self.before, strict=True))


@attrs.frozen
@shared_repr
class State:
    """Where a session stands. Immutable; compare with ``==``; serialise with :func:`to_dict`.

    ``scene`` is the current scene id, or the ending id once ``ending`` is set. ``meters`` is
    aligned with ``scenario.meters``. ``visits`` counts the entries (sorted by scene id) of
    the scenes that conditions read (``scenario.counted``), and only those: a step copies
    nothing that grows with the path, and the path itself is the session's history (its
    decisions). ``taken`` remembers ``once`` choices as ``scene/choice``.
    """

    scene: str
    meters: tuple[int, ...]
    flags: frozenset[str] = frozenset()
    visits: tuple[tuple[str, int], ...] = ()
    taken: frozenset[str] = frozenset()
    rng: int = 0
    step: int = 0
    ending: str | None = None
    tally: tuple[int, int, int] = (0, 0, 0)
    last: Decision | None = None

    @property
    def over(self) -> bool:
        return self.ending is not None

    def visits_to(self, scene: str) -> int:
        for name, count in self.visits:
            if name == scene:
                return count
        return 0


@attrs.frozen
@shared_repr
class Offer:
    """A choice as the trainee sees it now: available, or shown disabled with a reason."""

    choice: Choice
    available: bool = True
    reason: str | None = None


class _Facts:
    """Answers a condition's questions about one state."""

    __slots__ = ("index", "state")

    def __init__(self, scenario: Scenario, state: State) -> None:
        self.index = scenario.meter_index
        self.state = state

    def value_of(self, name: str) -> float:
        i = self.index.get(name)
        if i is not None:
            return self.state.meters[i]
        return name in self.state.flags

    def visits_of(self, scene: str) -> int:
        return self.state.visits_to(scene)


Facts = _Facts
"""What a condition sees of a state (for :mod:`sim.prose`, which reads text for a state)."""


# --- starting and offering --------------------------------------------------------------


def _visit(visits: tuple[tuple[str, int], ...], scene: str) -> tuple[tuple[str, int], ...]:
    # One pass over the (sorted) counts instead of a dict and a sort: this runs every step.
    for i, (name, count) in enumerate(visits):
        if name == scene:
            return (*visits[:i], (name, count + 1), *visits[i + 1 :])
        if name > scene:
            return (*visits[:i], (scene, 1), *visits[i:])
    return (*visits, (scene, 1))


def start(scenario: Scenario, seed: int) -> State:
    """The state before the first decision: start meters, no flags, the start scene entered."""
    return State(
        scene=scenario.start,
        meters=tuple(m.start for m in scenario.meters),
        visits=((scenario.start, 1),) if scenario.start in scenario.counted else (),
        rng=seed & _MASK,
    )


def shown(scenario: Scenario, state: State, scene: Scene) -> tuple[Choice, ...]:
    """A scene's choices in the order they are shown: file order, or with ``shuffle`` an
    order drawn from the session's generator (:func:`sim.rng.order`), different per visit."""
    if not scenario.shuffle or len(scene.choices) < 2:
        return scene.choices
    return tuple(
        scene.choices[i] for i in order(state.rng, state.step, scene.id, len(scene.choices))
    )


def choices(scenario: Scenario, state: State) -> tuple[Offer, ...]:
    """The choices shown now, in file order (or the shuffled order, see :func:`shown`).

    A choice whose guard fails is hidden, unless it carries ``locked``: then it is shown
    unavailable with that reason. A ``once`` choice already taken is hidden.
    """
    if state.ending is not None:
        return ()
    scene = scenario.scenes[state.scene]
    f = _Facts(scenario, state)
    offers = []
    for choice in shown(scenario, state, scene):
        if choice.once and f"{scene.id}/{choice.id}" in state.taken:
            continue
        if choice.guard is None or choice.guard.test(f):
            offers.append(Offer(choice))
        elif choice.locked is not None:
            offers.append(Offer(choice, available=False, reason=choice.locked))
    return tuple(offers)


def available(scenario: Scenario, state: State) -> tuple[Choice, ...]:
    """The choices the trainee can actually take now (the available ones of :func:`choices`,
    computed without building an :class:`Offer` for each)."""
    if state.ending is not None:
        return ()
    scene = scenario.scenes[state.scene]
    f = None
    out = []
    for choice in scene.choices:
        if choice.once and f"{scene.id}/{choice.id}" in state.taken:
            continue
        if choice.guard is not None:
            f = f or _Facts(scenario, state)
            if not choice.guard.test(f):
                continue
        out.append(choice)
    return tuple(out)


def _offered(scenario: Scenario, state: State, scene: Scene, choice_id: str) -> Choice | None:
    """The choice :func:`choose` may take: the first *shown* choice with that id, if it is
    available (what ``choices()`` would offer), else None."""
    f = None
    for choice in scene.choices:
        if choice.id != choice_id:
            continue
        if choice.once and f"{scene.id}/{choice.id}" in state.taken:
            continue  # hidden
        if choice.guard is None:
            return choice
        f = f or _Facts(scenario, state)
        if choice.guard.test(f):
            return choice
        if choice.locked is not None:
            return None  # shown, but locked
    return None


def is_over(state: State) -> bool:
    return state.ending is not None


# --- choosing ---------------------------------------------------------------------------


def _round(x: float) -> int:
    """Round half away from zero, the way people round (Python's round() is banker's)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def apply_effects(scenario: Scenario, meters: tuple[int, ...], effects: Effects) -> tuple[int, ...]:
    """New meter values after ``effects``, each clamped to its meter's range."""
    if not effects.changes:
        return meters
    values = list(meters)
    index = scenario.meter_index
    for change in effects.changes:
        i = index[change.meter]
        meter = scenario.meters[i]
        value: float = values[i]
        if change.kind == "delta":
            value = value + change.amount
        elif change.amount >= 0:
            value = value + _round(change.amount / 100 * (meter.max - value))
        else:
            value = value + _round(change.amount / 100 * (value - meter.min))
        values[i] = int(min(meter.max, max(meter.min, value)))
    return tuple(values)


def route_outcomes(scenario: Scenario, state: State, choice: Choice) -> list[tuple[Route, float]]:
    """Every route the choice can take from ``state`` (effects already applied), each with its
    probability. The analyser uses this to explore both sides of every chance."""
    f = _Facts(scenario, state)
    remaining = 1.0
    outcomes: list[tuple[Route, float]] = []
    for route in choice.routes:
        if route.guard is not None and not route.guard.test(f):
            continue
        p = 1.0 if route.chance is None else min(1.0, max(0.0, route.chance))
        if p > 0:
            outcomes.append((route, remaining * p))
        remaining *= 1 - p
        if remaining <= 0:
            break
    return outcomes


def _route(scenario: Scenario, state: State, choice: Choice) -> tuple[str, int]:
    f = _Facts(scenario, state)
    rng = state.rng
    for route in choice.routes:
        if route.guard is not None and not route.guard.test(f):
            continue
        if route.chance is None:
            return route.goto, rng
        rng, roll = _draw(rng)
        if roll < route.chance:
            return route.goto, rng
    # The loader requires every `next` list to end in an unconditional fallback.
    raise EngineError(f"choice {choice.id!r} has no route that applies")  # pragma: no cover


def enter(scenario: Scenario, state: State, target: str) -> State:
    """Move to a scene (counting the visit) or to an ending (finishing the session)."""
    if target in scenario.endings:
        return attrs.evolve(state, scene=target, ending=target)
    if target not in scenario.counted:
        return attrs.evolve(state, scene=target)
    return attrs.evolve(state, scene=target, visits=_visit(state.visits, target))


_STYLE_SLOT = {"manager": 0, "leader": 1, "neutral": 2}


def choose(scenario: Scenario, state: State, choice_id: str) -> State:
    """Take a choice: apply its effects, set/clear flags, route onwards.

    Raises :class:`ChoiceNotOffered` when the choice is not available now and
    :class:`SessionOver` when the session has already ended.
    """
    if state.ending is not None:
        raise SessionOver(f"the session already ended at {state.ending!r}")
    scene = scenario.scenes[state.scene]
    choice = _offered(scenario, state, scene, choice_id)
    if choice is None:
        known = scene.choice(choice_id) is not None
        why = "is not available now" if known else "does not exist in this scene"
        raise ChoiceNotOffered(f"choice {choice_id!r} {why} (scene {scene.id!r})")
    effects = choice.effects
    after = apply_effects(scenario, state.meters, effects)
    flags = (
        (state.flags | effects.set) - effects.clear if effects.set or effects.clear else state.flags
    )
    taken = state.taken | {f"{scene.id}/{choice.id}"} if choice.once else state.taken
    # States are built with their constructor, not attrs.evolve: evolve introspects every
    # field on every call, and this is the engine's hot path (three evolves were 35% of a
    # random playthrough).
    moved = State(
        scene=state.scene,
        meters=after,
        flags=flags,
        visits=state.visits,
        taken=taken,
        rng=state.rng,
        step=state.step,
        ending=None,
        tally=state.tally,
        last=state.last,
    )
    goto, rng = _route(scenario, moved, choice)
    tally = list(state.tally)
    if not scene.narration:  # reading a narration scene is no decision of any style
        tally[_STYLE_SLOT[choice.style]] += 1
    decision = Decision(
        step=state.step + 1,
        scene=scene.id,
        choice=choice.id,
        style=choice.style,
        traits=choice.traits,
        before=state.meters,
        after=after,
        flags_set=effects.set - state.flags,
        flags_cleared=effects.clear & state.flags,
        goto=goto,
        shown=tuple(o.choice.id for o in choices(scenario, state)) if scenario.shuffle else (),
    )
    ending = goto if goto in scenario.endings else None
    return State(
        scene=goto,
        meters=after,
        flags=flags,
        visits=(
            _visit(state.visits, goto)
            if ending is None and goto in scenario.counted
            else state.visits
        ),
        taken=taken,
        rng=rng,
        step=state.step + 1,
        ending=ending,
        tally=(tally[0], tally[1], tally[2]),
        last=decision,
    )


def outcomes(scenario: Scenario, state: State, choice_id: str) -> list[tuple[State, float]]:
    """Every state ``choose`` can lead to from ``state``, with its probability.

    Where ``choose`` rolls the dice, this follows every side of every chance, which is what an
    exhaustive analysis needs. The states' ``rng`` is left as it was (it means nothing there).
    """
    chosen = choose(scenario, state, choice_id)  # validates the choice and applies effects
    decision = chosen.last
    assert decision is not None
    choice = scenario.scenes[state.scene].choice(choice_id)
    assert choice is not None
    moved = attrs.evolve(chosen, scene=state.scene, visits=state.visits, ending=None)
    result = []
    for route, p in route_outcomes(scenario, moved, choice):
        landed = enter(scenario, moved, route.goto)
        result.append(
            (attrs.evolve(landed, rng=state.rng, last=attrs.evolve(decision, goto=route.goto)), p)
        )
    return result


def replay(scenario: Scenario, seed: int, choice_ids: Iterable[str]) -> Iterator[State]:
    """Yield the start state and the state after each choice; streams, keeps nothing."""
    state = start(scenario, seed)
    yield state
    for choice_id in choice_ids:
        state = choose(scenario, state, choice_id)
        yield state


def run(scenario: Scenario, seed: int, choice_ids: Iterable[str]) -> State:
    """The state a session ends in after ``choice_ids``."""
    state = start(scenario, seed)
    for choice_id in choice_ids:
        state = choose(scenario, state, choice_id)
    return state


# --- reading a state --------------------------------------------------------------------


def meters_by_name(scenario: Scenario, values: tuple[int, ...]) -> dict[str, int]:
    return {m.id: v for m, v in zip(scenario.meters, values, strict=True)}


def tally_by_style(state: State) -> dict[str, int]:
    return dict(zip(_STYLE_SLOT, state.tally, strict=True))


def to_dict(scenario: Scenario, state: State) -> dict[str, Any]:
    """A JSON-ready picture of a state (the last decision is left to the log)."""
    return {
        "scene": state.scene,
        "ending": state.ending,
        "meters": meters_by_name(scenario, state.meters),
        "flags": sorted(state.flags),
        "visits": dict(state.visits),
        "taken": sorted(state.taken),
        "rng": state.rng,
        "step": state.step,
        "tally": tally_by_style(state),
    }


def from_dict(scenario: Scenario, data: Mapping[str, Any]) -> State:
    """The inverse of :func:`to_dict` for the same scenario."""
    meters = data["meters"]
    return State(
        scene=data["scene"],
        ending=data.get("ending"),
        meters=tuple(int(meters[m.id]) for m in scenario.meters),
        flags=frozenset(data.get("flags", ())),
        visits=tuple(sorted((str(k), int(v)) for k, v in data.get("visits", {}).items())),
        taken=frozenset(data.get("taken", ())),
        rng=int(data.get("rng", 0)),
        step=int(data.get("step", 0)),
        tally=tuple(int(data.get("tally", {}).get(s, 0)) for s in _STYLE_SLOT),  # type: ignore[arg-type]
    )
