"""The explorer against the engine: the same reachable states, found once each.

The explorer re-implements the engine's successor rule on compact states for speed, so these
tests hold it to what :func:`sim.engine.outcomes` says on hand-written and generated
scenarios: same scenes, endings, choices and ending meter ranges, and every trail it reports
replays on the real engine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import engine
from sim.analysis.explore import Alternating, Always, Step, explore, visit_caps
from sim.format import loader
from sim.model import Scenario

DATA = Path(__file__).parent / "data"


def brute_force(scenario: Scenario) -> dict:
    """Every reachable engine state, keyed by everything in it but history."""
    first = engine.start(scenario, 0)

    def key(s: engine.State) -> tuple:
        return (s.scene, s.meters, s.flags, s.visits, s.taken, s.ending)

    seen = {key(first)}
    todo = [first]
    scenes, choices, softlocks = set(), set(), set()
    endings: dict[str, set[tuple[int, ...]]] = {}
    while todo:
        state = todo.pop()
        if state.ending is not None:
            endings.setdefault(state.ending, set()).add(state.meters)
            continue
        scenes.add(state.scene)
        offered = engine.available(scenario, state)
        if not offered:
            softlocks.add(state.scene)
        for choice in offered:
            choices.add((state.scene, choice.id))
            for nxt, _ in engine.outcomes(scenario, state, choice.id):
                if key(nxt) not in seen:
                    seen.add(key(nxt))
                    todo.append(nxt)
        assert len(seen) < 200_000, "brute force ran away: the fixture has an unbounded loop"
    return {"scenes": scenes, "choices": choices, "endings": endings, "softlocks": softlocks}


def replay(scenario: Scenario, trail: tuple[Step, ...]) -> engine.State:
    """Walk a trail on the real engine, following the chance side the trail names."""
    state = engine.start(scenario, 0)
    for step in trail:
        assert state.scene == step.scene
        options = engine.outcomes(scenario, state, step.choice)
        state = next(s for s, _ in options if s.scene == step.goto)
    return state


def agrees(scenario: Scenario) -> None:
    truth = brute_force(scenario)
    found = explore(scenario)
    assert found.complete
    assert set(found.scenes) == truth["scenes"]
    assert set(found.choices) == truth["choices"]
    assert set(found.endings) == set(truth["endings"])
    assert {p.scene for p in found.softlocks} == truth["softlocks"]
    for eid, reach in found.endings.items():
        finals = truth["endings"][eid]
        for i, meter in enumerate(scenario.meters):
            assert reach.meters[meter.id] == (min(m[i] for m in finals), max(m[i] for m in finals))
        end = replay(scenario, reach.trail)
        assert end.ending == eid
    for problem in found.softlocks:
        stuck = replay(scenario, problem.trail)
        assert stuck.scene == problem.scene and not engine.available(scenario, stuck)


def test_agrees_with_the_engine_on_the_fixtures() -> None:
    for path in [DATA / "small.yaml", *sorted((DATA / "lint").glob("*.yaml"))]:
        scenario = loader.load(path)
        if path.stem == "LS111":
            continue  # a true infinite loop: the brute force (exact visits) cannot finish
        agrees(scenario)


def test_ending_report_meters_styles_and_a_shortest_trail() -> None:
    scenario = loader.load(DATA / "lint" / "clean.yaml")
    found = explore(scenario)
    best = found.endings["best"]
    assert dict(best.meters) == {"trust": (55, 55), "results": (55, 55)}
    assert best.styles == {"manager": (1, 1), "leader": (1, 1), "neutral": (1, 1)}
    assert [str(s) for s in best.trail][-1] == "review/close -> best"
    mixed = found.endings["mixed"]
    assert mixed.styles["manager"] == (0, 2) and mixed.meters["trust"] == (40, 70)
    assert found.unexercised_choices(scenario) == []
    assert found.routes >= {("two", "listen", 0), ("two", "listen", 1)}


def test_loops_are_found_once_and_style_counts_are_unbounded_in_them() -> None:
    text = """\
scenario: loop
title: Loop
meters: {trust: {label: Trust, start: 50}}
start: desk
scenes:
  desk:
    text: Your desk.
    choices:
      - {id: chat, text: Chat., style: leader, effects: {trust: +10}, next: desk}
      - id: leave
        text: Leave.
        style: neutral
        next: [{if: "visits('desk') >= 3", goto: out}, {goto: desk}]
endings:
  out: {title: Out, text: Out.}
"""
    scenario = loader.loads(text)
    assert visit_caps(scenario) == {"desk": 4}
    found = explore(scenario)
    assert found.complete and found.states < 100
    assert found.endings["out"].styles["leader"] == (0, None)
    assert found.endings["out"].meters["trust"] == (50, 100)


def test_the_limit_stops_the_search_and_says_so() -> None:
    scenario = loader.load(DATA / "lint" / "clean.yaml")
    found = explore(scenario, limit=3)
    assert (found.states, found.complete, found.limit) == (3, False, 3)
    assert found.loops == ()  # no loop is claimed from a partial search


def test_progress_is_reported() -> None:
    seen: list[int] = []
    explore(loader.load(DATA / "small.yaml"), progress=seen.append)
    assert seen[0] == 0 and seen[-1] > 0


def test_personas_follow_their_rule() -> None:
    scenario = loader.load(DATA / "lint" / "clean.yaml")
    manager = explore(scenario, persona=Always("manager"))
    assert {c for _, c in manager.choices} == {"plan", "push", "close"}
    assert set(manager.endings) == {"mixed"}
    alternating = explore(scenario, persona=Alternating())
    assert {c for _, c in alternating.choices} == {"plan", "listen", "close"}
    assert set(alternating.endings) == {"mixed"}  # no 'asked' flag: listen goes to review-late


def test_visits_in_arithmetic_are_kept_exactly() -> None:
    text = """\
scenario: exact
title: Exact
meters: {trust: {label: Trust, start: 50}}
start: a
scenes:
  a:
    text: A.
    choices:
      - id: go
        text: Go.
        style: leader
        effects: {trust: +1}
        next: [{if: "visits('a') + trust > 60", goto: end}, {goto: a}]
endings:
  end: {title: End, text: End.}
"""
    scenario = loader.loads(text)
    assert visit_caps(scenario) == {"a": None}
    agrees(scenario)


# --- generated scenarios ------------------------------------------------------------------


@st.composite
def scenarios(draw: st.DrawFn) -> str:
    """Small scenarios whose routes only go forward (plus 'once' loops back to the same
    scene), so an exact brute force always finishes: guards on meters, flags and visits,
    chance routes, locked and once choices."""
    n = draw(st.integers(1, 5))
    ids = [f"s{i}" for i in range(n)]
    endings = ["win", "lose"]
    scenes = {}
    for i, sid in enumerate(ids):
        choices = []
        for k in range(draw(st.integers(1, 3))):
            later = ids[i + 1 :] + endings
            choice: dict = {
                "id": f"c{k}",
                "text": "Do it.",
                "style": draw(st.sampled_from(["manager", "leader", "neutral"])),
                "effects": {
                    "trust": draw(st.sampled_from([-20, -5, 5, 15, "%+50", "%-30"])),
                    "results": draw(st.sampled_from([-10, 10, 20])),
                },
            }
            if draw(st.booleans()):
                choice["effects"]["set"] = ["flagged"]
            if draw(st.integers(0, 3)) == 0:
                choice["if"] = draw(
                    st.sampled_from(
                        ["trust >= 50", "flagged", "results < 60", "visited('s0')", "trust > 95"]
                    )
                )
            if draw(st.integers(0, 4)) == 0:
                choice["once"] = True
                later = [sid, *later]
            routes = []
            if draw(st.booleans()):
                routes.append(
                    {
                        "if": draw(st.sampled_from(["trust > 55", "not flagged"])),
                        "goto": draw(st.sampled_from(later)),
                    }
                )
            if draw(st.booleans()):
                routes.append(
                    {
                        "chance": draw(st.sampled_from([0.25, 0.5])),
                        "goto": draw(st.sampled_from(later)),
                    }
                )
            routes.append({"goto": draw(st.sampled_from(later))})
            choice["next"] = routes
            choices.append(choice)
        scenes[sid] = {"text": "A scene.", "choices": choices}
    doc = {
        "scenario": "generated",
        "title": "Generated",
        "meters": {
            "trust": {"label": "Trust", "start": 50},
            "results": {"label": "Results", "start": 50},
        },
        "flags": ["flagged"],
        "start": "s0",
        "scenes": scenes,
        "endings": {e: {"title": e, "text": e} for e in endings},
    }
    return yaml.safe_dump(doc, sort_keys=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_agrees_with_the_engine_on_generated_scenarios(text: str) -> None:
    agrees(loader.loads(text))


# --- size --------------------------------------------------------------------------------


def layered(layers: int, width: int) -> str:
    """The benchmark twin's shape (see /work/shared/bench/twin.py), generated here so the
    suite does not depend on files outside the repository."""
    lines = [
        "scenario: layered",
        "title: Layered",
        "meters:",
        "  trust: {label: Trust, start: 50}",
        "  results: {label: Results, start: 50}",
        "start: s0_0",
        "scenes:",
    ]
    for layer in range(layers):
        for w in range(width):
            lines += [f"  s{layer}_{w}:", "    text: A situation.", "    choices:"]
            for k, style in enumerate(("manager", "leader", "neutral")):
                target = f"s{layer + 1}_{(w + k) % width}" if layer + 1 < layers else "review"
                guard = ', if: "trust >= 40"' if k == 1 and (layer + w) % 3 == 0 else ""
                dt, dr = (k * 7 + layer) % 31 - 15, (w * 5 + k) % 25 - 10
                nxt = (
                    '[{if: "trust >= 60 and results >= 55", goto: best}, {goto: mixed}]'
                    if target == "review"
                    else target
                )
                lines.append(
                    f"      - {{id: c{k}, text: Option., style: {style}{guard}, "
                    f"effects: {{trust: {dt:+d}, results: {dr:+d}}}, next: {nxt}}}"
                )
    lines += [
        "endings:",
        "  best: {title: Best, text: Best., outcome: best}",
        "  mixed: {title: Mixed, text: Mixed., outcome: mixed}",
    ]
    return "\n".join(lines) + "\n"


def test_a_large_scenario_stops_at_the_bound_quickly(tmp_path: Path) -> None:
    path = tmp_path / "layered.yaml"
    path.write_text(layered(250, 4))  # 1,000 scenes; the 10,000-scene twin is benchmarked
    out = subprocess.run(
        [sys.executable, "-m", "sim", "validate", "--max-states", "20000", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "explored 20,000" in out.stdout and "[LS190]" in out.stdout
