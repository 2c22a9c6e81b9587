"""Automated play-testers: persona bots and seeded random playthroughs on the real engine.

Exhaustive exploration (:mod:`sim.analysis.explore`) answers "what can happen"; this module answers
"what happens when someone plays": fixed personas (always the manager option, always the
leader option, alternating) show which endings each way of playing reaches, and random
playthroughs run the actual :func:`sim.engine.choose` with real seeds, steering towards the
options used least so far, to find crashes and dead ends and to show how often each ending
comes up. Pure: no clock, no I/O; a ``progress`` callback reports how far a long run got.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping

import attrs

from sim import engine
from sim.analysis import kernel
from sim.analysis.explore import DEFAULT_LIMIT, PERSONAS, explore
from sim.analysis.kernel import Policy
from sim.model import Scenario

MAX_STEPS = 10_000
"""Decisions after which a playthrough of a scenario of up to 1,000 scenes counts as stuck in a
loop; larger scenarios get :func:`step_limit`."""
STEPS_PER_SCENE = 10
"""A playthrough may visit each scene this many times on average before it counts as stuck."""
RANDOM_PERSONA_RUNS = 200
"""Uniformly random playthroughs behind the 'random' persona's figures."""


@attrs.frozen
class PersonaResult:
    """The endings one way of playing can reach (following every side of every chance)."""

    name: str
    endings: tuple[str, ...]
    complete: bool
    share: Mapping[str, float] = attrs.field(factory=dict)  # random persona: share of runs


@attrs.frozen
class Failure:
    """A playthrough that went wrong, with what reproduces it: the engine seed and the
    choices (as ids, and as the numbers to type in ``leadsim play --text``)."""

    run: int
    seed: int
    kind: str  # "softlock", "loop" or "engine error"
    scene: str
    message: str
    trail: tuple[str, ...]
    answers: tuple[int, ...]


@attrs.frozen
class RandomReport:
    runs: int
    seed: int
    endings: Mapping[str, int]
    scenes: frozenset[str]
    choices: frozenset[tuple[str, str]]
    failures: tuple[Failure, ...]


def step_limit(scenario: Scenario) -> int:
    """The decisions after which a playthrough counts as stuck in a loop: :data:`MAX_STEPS`,
    or ten per scene for a larger scenario, so a long but finite path (a chain of 100,000
    scenes) is never reported as a loop."""
    return max(MAX_STEPS, STEPS_PER_SCENE * len(scenario.scenes))


def personas(scenario: Scenario, limit: int = DEFAULT_LIMIT, seed: int = 0) -> list[PersonaResult]:
    """Which endings each persona reaches; the random persona from seeded uniform runs."""
    out = []
    for persona in PERSONAS:
        found = explore(scenario, limit, persona=persona)
        out.append(PersonaResult(persona.name, tuple(found.endings), found.complete))
    counts: Counter[str] = Counter()
    rng = random.Random(seed)
    for _ in range(RANDOM_PERSONA_RUNS):
        ending = _uniform_run(scenario, rng)
        if ending is not None:
            counts[ending] += 1
    out.append(
        PersonaResult(
            "random",
            tuple(e for e in scenario.endings if e in counts),
            True,
            {e: counts[e] / RANDOM_PERSONA_RUNS for e in scenario.endings if e in counts},
        )
    )
    return out


def _uniform_run(scenario: Scenario, rng: random.Random) -> str | None:
    state = engine.start(scenario, rng.getrandbits(63))
    for _ in range(step_limit(scenario)):
        if state.ending is not None:
            return state.ending
        offered = engine.available(scenario, state)
        if not offered:
            return None
        state = engine.choose(scenario, state, rng.choice(offered).id)
    return None


def random_runs(
    scenario: Scenario,
    runs: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    max_steps: int | None = None,
    policy: Policy = "least-used",
) -> RandomReport:
    """``runs`` seeded random playthroughs. With ``least-used`` each picks, at every
    decision, one of the available options used least so far across all runs (ties broken at
    random), so the runs spread over the scenario instead of repeating the likely path;
    ``uniform`` picks any available option alike.

    The runs go through :mod:`sim.analysis.kernel` (the scenario compiled into tables, held
    to the engine by tests); a failing run is then replayed on the real engine to give the
    numbered answers that reproduce it. :func:`random_runs_on_engine` is the same on
    :func:`sim.engine.choose` directly."""
    k = kernel.Kernel(scenario)
    limit = step_limit(scenario) if max_steps is None else max_steps
    totals = kernel.play(k, runs, seed, policy, limit, progress)
    failures = tuple(
        _explained(scenario, k, run, run_seed, kind, place, message, path)
        for run, run_seed, kind, place, message, path in totals.failures
    )
    return RandomReport(
        runs=runs,
        seed=seed,
        endings={e: n for e, n in zip(k.ending_ids, totals.endings, strict=True) if n},
        scenes=frozenset(sid for sid, hit in zip(k.scene_ids, totals.scenes, strict=True) if hit),
        choices=frozenset(k.keys[i] for i, n in enumerate(totals.uses) if n),
        failures=failures,
    )


def _explained(
    scenario: Scenario,
    k: kernel.Kernel,
    run: int,
    seed: int,
    kind: str,
    place: int,
    message: str,
    path: list[int],
) -> Failure:
    """A kernel's failing run as the engine plays it: the trail, and the answer numbers a
    trainee types in ``leadsim play --text`` (positions among the available choices)."""
    trail = tuple(f"{k.keys[i][0]}/{k.keys[i][1]}" for i in path)
    answers = []
    state = engine.start(scenario, seed)
    for step, i in enumerate(path):
        offered = _numbered(scenario, state)
        choice = k.keys[i][1]
        answers.append(offered.index(choice) + 1 if choice in offered else 0)
        if kind == "engine error" and step == len(path) - 1:
            break  # the choice that failed
        state = engine.choose(scenario, state, choice)
    return Failure(run, seed, kind, k.scene_ids[place], message, trail, tuple(answers))


def _numbered(scenario: Scenario, state: engine.State) -> list[str]:
    """The choice ids as `leadsim play --text` numbers them: the available ones in the order
    they are shown (shuffled, when the scenario shuffles), not the file's order."""
    return [o.choice.id for o in engine.choices(scenario, state) if o.available]


def random_runs_on_engine(
    scenario: Scenario,
    runs: int,
    seed: int,
    max_steps: int | None = None,
    policy: Policy = "least-used",
    each: kernel.Each | None = None,
) -> RandomReport:
    """:func:`random_runs` played on :func:`sim.engine.choose` itself, step by step: the
    reference the kernel is tested against (``each`` sees every run, as in the kernel, the
    options numbered as the kernel numbers them: file order over the scenes)."""
    limit = step_limit(scenario) if max_steps is None else max_steps
    rng = random.Random(seed)
    uses: Counter[tuple[str, str]] = Counter()
    endings: Counter[str] = Counter()
    scenes: set[str] = set()
    failures: list[Failure] = []
    pairs = [(scene.id, c.id) for scene in scenario.scenes.values() for c in scene.choices]
    numbered = {pair: i for i, pair in enumerate(pairs)}
    for run in range(runs):
        state, failure, run_seed, path = _engine_run(
            scenario, run + 1, rng, uses, scenes, limit, policy == "least-used"
        )
        if failure is not None:
            failures.append(failure)
        elif state.ending is not None:
            endings[state.ending] += 1
        if each is not None:
            ending = state.ending if failure is None else None
            keys = [numbered[pair] for pair in path]
            each(run + 1, run_seed, ending, state.meters, state.flags, keys)
    return RandomReport(
        runs=runs,
        seed=seed,
        endings=dict(endings),
        scenes=frozenset(scenes),
        choices=frozenset(k for k, v in uses.items() if v),
        failures=tuple(failures),
    )


def _engine_run(
    scenario: Scenario,
    run: int,
    rng: random.Random,
    uses: Counter[tuple[str, str]],
    scenes: set[str],
    max_steps: int,
    least: bool,
) -> tuple[engine.State, Failure | None, int, list[tuple[str, str]]]:
    seed = rng.getrandbits(31)
    state = engine.start(scenario, seed)
    path: list[tuple[str, str]] = []
    answers: list[int] = []

    def failure(kind: str, message: str) -> Failure:
        trail = tuple(f"{s}/{c}" for s, c in path)
        return Failure(run, seed, kind, state.scene, message, trail, tuple(answers))

    for _ in range(max_steps):
        if state.ending is not None:
            return state, None, seed, path
        scenes.add(state.scene)
        offered = engine.available(scenario, state)
        if not offered:
            return state, failure("softlock", "the scene offers no available choice"), seed, path
        ties = offered
        if least:
            fewest = min(uses[(state.scene, c.id)] for c in offered)
            ties = tuple(c for c in offered if uses[(state.scene, c.id)] == fewest)
        pick = ties[0] if len(ties) == 1 else rng.choice(ties)  # no draw without a choice
        uses[(state.scene, pick.id)] += 1
        path.append((state.scene, pick.id))
        answers.append(_numbered(scenario, state).index(pick.id) + 1)
        try:
            state = engine.choose(scenario, state, pick.id)
        except Exception as e:  # finding crashes is the point: report it with its trail
            return state, failure("engine error", f"{type(e).__name__}: {e}"), seed, path
    if state.ending is not None:
        return state, None, seed, path
    return state, failure("loop", f"no ending after {max_steps:,} decisions"), seed, path
