"""The shipped scenario library: every file in scenarios/ loads cleanly, meets the authoring
rules, and plays the way its lessons claim.

Each file is checked on its own (parametrised by file name, so one broken or half-written
scenario fails only its own tests): it loads with no diagnostics; it has enough scenes and
endings, a best ending, lessons on every ending, feedback on every choice, a chance route and
a locked choice; an exhaustive walk over every choice and every side of every chance shows
every ending reachable and no path to an ending shorter than five decisions; and neither a
pure manager nor a pure leader reaches a best ending on any roll of the dice. Across the
library every one of the nineteen trait pairs is exercised. Finally, scripted sessions play
each ending of Red Tape and The Informal Leader through the real engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

from sim import conditions, engine
from sim.format import loader
from sim.model import Scenario
from sim.traits import TRAITS

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))

MIN_SCENES = 12
MIN_ENDINGS = 3
MIN_DECISIONS = 5
STATE_LIMIT = 200_000
"""The exploration gives up (and fails) beyond this many distinct states."""
POLICY_STEP_LIMIT = 500
"""A fixed-style policy that has not ended after this many decisions is stuck in a loop."""

per_file = pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])

Key = tuple[str, tuple[int, ...], frozenset[str], tuple[tuple[str, int], ...], frozenset[str]]


# --- helpers -----------------------------------------------------------------------------


@cache
def _checked(path: Path) -> tuple[Scenario | None, tuple[str, ...]]:
    scenario, diags = loader.check(path)
    return scenario, tuple(d.format() for d in diags)


def load(path: Path) -> Scenario:
    scenario, diags = _checked(path)
    if scenario is None:
        pytest.fail(f"{path.name} does not load:\n" + "\n".join(diags))
    return scenario


def key(state: engine.State) -> Key:
    return (state.scene, state.meters, state.flags, state.visits, state.taken)


class Reach(NamedTuple):
    """What an exhaustive walk found: for each ending, the fewest and most decisions on a
    path to it; the states with nothing to choose; how many states were visited."""

    endings: dict[str, tuple[int, int]]
    stuck: list[str]
    states: int


class TooLarge(Exception):
    pass


@cache
def reach(path: Path) -> Reach:
    """Every choice and every side of every chance, memoised on what decides the future."""
    scenario = load(path)
    memo: dict[Key, dict[str, tuple[int, int]]] = {}
    stuck: list[str] = []

    def walk(state: engine.State) -> dict[str, tuple[int, int]]:
        k = key(state)
        if k in memo:
            return memo[k]
        if len(memo) >= STATE_LIMIT:
            raise TooLarge
        found: dict[str, tuple[int, int]] = {}
        offered = engine.available(scenario, state)
        if not offered:
            stuck.append(state.scene)
        for choice in offered:
            for after, _p in engine.outcomes(scenario, state, choice.id):
                if after.ending is not None:
                    below = {after.ending: (1, 1)}
                else:
                    below = {e: (lo + 1, hi + 1) for e, (lo, hi) in walk(after).items()}
                for ending, (lo, hi) in below.items():
                    old = found.get(ending)
                    found[ending] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))
        memo[k] = found
        return found

    try:
        endings = walk(engine.start(scenario, 0))
    except TooLarge:
        pytest.fail(f"{path.name}: more than {STATE_LIMIT} states; keep the state space small")
    return Reach(endings, stuck, len(memo))


def policy_endings(scenario: Scenario, style: str) -> list[tuple[str, float, tuple[str, ...]]]:
    """Where 'always take the first available choice of this style, else the first available
    choice' ends, on every side of every chance: (ending, probability, trail)."""
    results = []
    stack: list[tuple[engine.State, float, tuple[str, ...]]] = [
        (engine.start(scenario, 0), 1.0, ())
    ]
    while stack:
        state, p, trail = stack.pop()
        if state.ending is not None:
            results.append((state.ending, p, trail))
            continue
        offered = engine.available(scenario, state)
        assert offered, f"always-{style} is stuck in scene {state.scene!r} after {trail}"
        assert len(trail) < POLICY_STEP_LIMIT, f"always-{style} never ends: {trail[-10:]}"
        pick = next((c for c in offered if c.style == style), offered[0])
        for after, q in engine.outcomes(scenario, state, pick.id):
            stack.append((after, p * q, (*trail, f"{state.scene}/{pick.id}")))
    return results


def best_endings(scenario: Scenario) -> set[str]:
    return {e.id for e in scenario.endings.values() if e.outcome == "best"}


# --- each file on its own -----------------------------------------------------------------


def test_the_library_is_not_empty() -> None:
    assert FILES, f"no scenario files in {SCENARIOS}"


@per_file
def test_loads_without_diagnostics(path: Path) -> None:
    scenario, diags = _checked(path)
    assert not diags, "\n".join(diags)
    assert scenario is not None


@per_file
def test_size_endings_and_lessons(path: Path) -> None:
    scenario = load(path)
    assert len(scenario.scenes) >= MIN_SCENES, f"only {len(scenario.scenes)} scenes"
    assert len(scenario.endings) >= MIN_ENDINGS, f"only {len(scenario.endings)} endings"
    assert best_endings(scenario), "no ending has outcome: best"
    for ending in scenario.endings.values():
        assert ending.outcome is not None, f"ending {ending.id!r} has no outcome"
        assert 2 <= len(ending.lessons) <= 4, (
            f"ending {ending.id!r} has {len(ending.lessons)} lessons (want 2-4)"
        )
        assert all(lesson.strip() for lesson in ending.lessons)


@per_file
def test_every_choice_explains_itself(path: Path) -> None:
    scenario = load(path)
    for scene in scenario.scenes.values():
        if scene.narration:  # read, not decided: its one way on has nothing to explain
            continue
        for choice in scene.choices:
            where = f"{scene.id}/{choice.id}"
            assert choice.feedback.strip(), f"{where} has no feedback"
            if choice.style in ("manager", "leader"):
                assert choice.traits, f"{where} is {choice.style} but tags no traits"
            else:
                assert not choice.traits, f"{where} is neutral but tags traits"


@per_file
def test_has_a_chance_route_and_a_locked_choice(path: Path) -> None:
    scenario = load(path)
    choices = [c for s in scenario.scenes.values() for c in s.choices]
    assert any(r.chance is not None for c in choices for r in c.routes), "no chance route"
    assert any(c.locked and c.guard for c in choices), "no guarded choice with 'locked'"


@per_file
def test_routes_into_a_best_ending_test_two_meters(path: Path) -> None:
    """The best ending needs more than one kind of success, so every route into it is guarded
    by a condition that reads at least two meters (e.g. trust and results)."""
    scenario = load(path)
    meters = {m.id for m in scenario.meters}
    best = best_endings(scenario)
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            for route in choice.routes:
                if route.goto not in best:
                    continue
                where = f"{scene.id}/{choice.id} -> {route.goto}"
                assert route.guard is not None, f"{where} is unguarded"
                names = {
                    n.name
                    for n in conditions.walk(route.guard.condition.tree)
                    if isinstance(n, conditions.Name)
                }
                assert len(names & meters) >= 2, (
                    f"{where}: condition {route.guard.source!r} reads fewer than two meters"
                )


@per_file
def test_every_ending_is_reachable(path: Path) -> None:
    scenario = load(path)
    found = reach(path)
    missing = set(scenario.endings) - set(found.endings)
    assert not missing, f"endings no path reaches: {sorted(missing)}"
    assert best_endings(scenario) & set(found.endings), "no best ending is reachable"


@per_file
def test_every_path_takes_at_least_five_decisions(path: Path) -> None:
    found = reach(path)
    assert not found.stuck, f"states with nothing to choose in scenes {sorted(set(found.stuck))}"
    short = {e: lo for e, (lo, _hi) in found.endings.items() if lo < MIN_DECISIONS}
    assert not short, f"endings reachable in fewer than {MIN_DECISIONS} decisions: {short}"


@per_file
@pytest.mark.parametrize("style", ["manager", "leader"])
def test_a_single_style_never_reaches_a_best_ending(path: Path, style: str) -> None:
    scenario = load(path)
    best = best_endings(scenario)
    for ending, p, trail in policy_endings(scenario, style):
        assert ending not in best, (
            f"always-{style} reaches best ending {ending!r} (p={p:.3f}) via {' > '.join(trail)}"
        )


# --- the library as a whole ---------------------------------------------------------------


def test_the_library_exercises_every_trait_pair() -> None:
    used: set[str] = set()
    for path in FILES:
        scenario, _diags = _checked(path)
        if scenario is None:
            continue  # its own tests report why
        used |= {t for s in scenario.scenes.values() for c in s.choices for t in c.traits}
    missing = sorted({t.id for t in TRAITS} - used)
    assert not missing, f"trait pairs no choice uses: {missing}"


# --- scripted sessions: each ending of Red Tape and The Informal Leader --------------------


class Script(NamedTuple):
    scenario: str
    seed: int
    choices: Sequence[str]
    ending: str
    meters: dict[str, int]
    visited: Sequence[str] = ()


SCRIPTS = [
    Script(
        "red-tape",
        0,
        [
            "read-the-policy",
            "write-risk-note",
            "emergency-route",
            "explain-and-queue",
            "hold-the-line",
            "ask-ce-slot",
            "team-designs-rota",
            "follow-runbook",
            "propose-fast-track",
        ],
        "fixed-and-safe",
        {"trust": 75, "results": 100},
    ),
    Script(
        "red-tape",
        0,
        [
            "raise-requisition",
            "explain-and-queue",
            "pseudonymise",
            "ask-ce-slot",
            "team-designs-rota",
            "follow-runbook",
            "compliance-report",
        ],
        "steady-hands",
        {"trust": 60, "results": 80},
    ),
    Script(
        "red-tape",
        0,
        [
            "raise-requisition",
            "freeze-is-freeze",
            "hold-the-line",
            "wait-for-ce",
            "enforce-rota",
            "follow-runbook",
            "compliance-report",
        ],
        "by-the-book",
        {"trust": 20, "results": 50},
    ),
    Script(
        "red-tape",
        0,
        [
            "raise-requisition",
            "explain-and-queue",
            "hold-the-line",
            "put-them-out",
            "enforce-rota",
            "stand-with-joan",
        ],
        "fast-and-loose",
        {"trust": 55, "results": 50},
        ["trolley-trip"],
    ),
    Script(
        "red-tape",
        7,  # the freeze clash, Dev's family emergency and the tired mistake all happen
        [
            "raise-requisition",
            "ship-it-quietly",
            "own-the-clash",
            "hold-the-line",
            "go-now",
            "wait-for-ce",
            "heroic-push",
            "blameless-review",
            "follow-runbook",
        ],
        "fast-and-loose",
        {"trust": 85, "results": 10},
        ["epr-clash", "dev-family", "tired-mistake"],
    ),
    Script(
        "red-tape",
        0,
        ["dev-buys-it", "explain-and-queue", "mariams-call", "wait-for-ce", "report-and-own"],
        "breach-on-record",
        {"trust": 75, "results": 60},
        ["ig-call"],
    ),
    Script(
        "red-tape",
        0,
        ["dev-buys-it", "explain-and-queue", "mariams-call", "wait-for-ce", "keep-it-quiet"],
        "cover-up",
        {"trust": 60, "results": 55},
        ["ig-call"],
    ),
    Script(
        "informal-leader",
        0,
        [
            "walk-over",
            "ask-about-school",
            "ask-if-recognised",
            "see-it-together",
            "mo-pilots",
            "three-way-talk",
            "plan-with-mo",
            "back-mo",
            "raise-it-straight",
            "trainer-role",
            "credit-crew",
        ],
        "pulling-together",
        {"trust": 100, "results": 100, "alignment": 100},
        ["sort-school", "peak-flows"],
    ),
    Script(
        "informal-leader",
        3,  # Mo's family emergency happens after the belt swap
        [
            "walk-over",
            "ask-about-school",
            "ask-if-recognised",
            "see-it-together",
            "mo-pilots",
            "three-way-talk",
            "kwame-steps-up",
            "plan-with-mo",
            "back-mo",
            "raise-it-straight",
            "trainer-role",
            "credit-crew",
        ],
        "pulling-together",
        {"trust": 100, "results": 100, "alignment": 100},
        ["mo-away", "peak-flows"],
    ),
    Script(
        "informal-leader",
        0,
        [
            "craig-briefs",
            "log-ticket",
            "explain-swift",
            "back-craig",
            "plan-with-mo",
            "extra-agency",
            "raise-it-straight",
            "push-mo",
            "say-both",
        ],
        "getting-there",
        {"trust": 70, "results": 90, "alignment": 60},
        ["peak-grind"],
    ),
    Script(
        "informal-leader",
        0,
        [
            "call-them-over",
            "log-ticket",
            "explain-swift",
            "back-craig",
            "belt-targets",
            "ten-minutes",
            "raise-it-straight",
            "appoint-dean",
            "say-both",
        ],
        "tight-ship",
        {"trust": 40, "results": 100, "alignment": 50},
        ["peak-jams"],
    ),
    Script(
        "informal-leader",
        0,
        [
            "walk-over",
            "see-it-together",
            "delay-swift",
            "side-with-mo",
            "big-speech",
            "back-mo",
            "promise-it",
            "own-the-promise",
            "push-mo",
            "credit-crew",
        ],
        "mos-floor",
        {"trust": 80, "results": 0, "alignment": 90},
        ["promise-broken"],
    ),
    Script(
        "informal-leader",
        0,
        [
            "call-them-over",
            "log-ticket",
            "mandate-swift",
            "reverse-it",
            "belt-targets",
            "formal-warning",
            "not-my-call",
            "appoint-dean",
            "my-plan",
        ],
        "cancelled-out",
        {"trust": 0, "results": 60, "alignment": 0},
        ["peak-jams"],
    ),
]


@pytest.mark.parametrize(
    "script",
    SCRIPTS,
    ids=[f"{s.scenario}/{s.ending}/seed{s.seed}" for s in SCRIPTS],
)
def test_scripted_session_reaches_its_ending(script: Script) -> None:
    scenario = load(SCENARIOS / f"{script.scenario}.yaml")
    state = engine.run(scenario, script.seed, script.choices)
    assert state.ending == script.ending
    assert state.step == len(script.choices)
    assert engine.meters_by_name(scenario, state.meters) == script.meters
    for scene in script.visited:
        assert state.visits_to(scene), f"the session never entered {scene!r}"


@pytest.mark.parametrize("scenario_id", ["red-tape", "informal-leader"])
def test_every_ending_has_a_script(scenario_id: str) -> None:
    scenario = load(SCENARIOS / f"{scenario_id}.yaml")
    scripted = {s.ending for s in SCRIPTS if s.scenario == scenario_id}
    assert scripted == set(scenario.endings)
    assert scripted & best_endings(scenario)
