"""The style mix over every path, on small scenarios whose answers are known by hand: fewest
and most decisions of each style per ending (with loops and chance), the path that proves
each count (replayed through the real engine), ``best_needs`` and LS140, and what a pure
manager or leader player reaches."""

from __future__ import annotations

from pathlib import Path as FilePath

import pytest
from hypothesis import HealthCheck, given, settings

from sim import engine
from sim.analysis import lint, stylemix
from sim.analysis.explore import explore
from sim.analysis.paths import Path
from sim.format import loader
from sim.model import STYLES, Scenario
from tests.test_explore import scenarios as generated

SCENARIOS = sorted((FilePath(__file__).parent.parent / "scenarios").glob("*.yaml"))

WEEK = """
scenario: week
title: A week
meters:
  trust: {label: Trust, start: 50}
  results: {label: Results, start: 50}
start: mon
scenes:
  mon:
    text: Monday.
    choices:
      - {id: plan, text: Plan., style: manager, effects: {results: +10}, next: tue}
      - {id: ask, text: Ask., style: leader, effects: {trust: +10}, next: tue}
  tue:
    text: Tuesday.
    choices:
      - {id: push, text: Push., style: manager, effects: {results: +10}, next: fri}
      - {id: listen, text: Listen., style: leader, effects: {trust: +10}, next: fri}
      - {id: wait, text: Wait., style: neutral, next: fri}
  fri:
    text: Friday.
    choices:
      - id: close
        text: Close.
        style: neutral
        next:
          - {if: "trust >= 60 and results >= 60", goto: best}
          - {goto: other}
endings:
  best: {title: Best, text: Both., outcome: best}
  other: {title: Other, text: Not both., outcome: mixed}
"""


def replay(scenario: Scenario, path: Path) -> engine.State:
    """Play a path through the engine, taking the side of each chance the path names."""
    state = engine.start(scenario, 0)
    for step in path.steps:
        assert state.scene == step.scene, (state.scene, step)
        sides = [s for s, _ in engine.outcomes(scenario, state, step.choice)]
        state = next(s for s in sides if s.scene == step.goto)
    assert state.ending is not None
    return state


def mix_of(text: str) -> tuple[Scenario, dict[str, stylemix.EndingMix]]:
    scenario = loader.loads(text)
    return scenario, stylemix.style_mix(explore(scenario))


def counts(mix: stylemix.EndingMix) -> dict[str, tuple[int | None, int | None]]:
    return {s: (r.fewest.count, r.most.count) for s, r in mix.styles.items()}


def test_fewest_and_most_of_each_style_per_ending() -> None:
    scenario, mix = mix_of(WEEK)
    assert list(mix) == ["best", "other"]
    # best needs trust and results: plan + listen or ask + push, one of each and a close
    assert counts(mix["best"]) == {"manager": (1, 1), "leader": (1, 1), "neutral": (1, 1)}
    assert counts(mix["other"]) == {"manager": (0, 2), "leader": (0, 2), "neutral": (1, 2)}
    fewest = mix["best"].styles["manager"].fewest.path
    assert fewest.text(scenario) in (
        "mon/plan[M], tue/listen[L], fri/close -> best",
        "mon/ask[L], tue/push[M], fri/close -> best",
    )


def test_every_count_comes_with_a_path_that_replays_to_it() -> None:
    scenario, mix = mix_of(WEEK)
    for ending in mix.values():
        for style in STYLES:
            for end in (ending.styles[style].fewest, ending.styles[style].most):
                assert replay(scenario, end.path).ending == ending.id
                assert end.path.count(style) == end.count


def test_best_needs_turns_a_short_path_into_an_ls140_error() -> None:
    scenario, mix = mix_of(WEEK)
    (manager, leader) = stylemix.shortfalls(scenario, mix)
    assert (manager.style, manager.needs, manager.fewest.count) == ("manager", 2, 1)
    assert (leader.style, leader.needs, leader.fewest.count) == ("leader", 2, 1)
    relaxed = loader.loads(WEEK.replace("start: mon", "best_needs: {manager: 1}\nstart: mon"))
    assert relaxed.best_needs.manager == 1 and relaxed.best_needs.leader == 2
    (left,) = stylemix.shortfalls(relaxed, stylemix.style_mix(explore(relaxed)))
    assert left.style == "leader"
    diags = lint.lint(relaxed)
    assert [(d.code, d.severity) for d in diags] == [("LS140", "error")]
    assert "with 1 leader decision (best_needs asks for 2)" in diags[0].message
    assert "-> best" in diags[0].message


LOOP = """
scenario: loop
title: A loop
meters:
  trust: {label: Trust, start: 50}
start: desk
scenes:
  desk:
    text: At the desk.
    choices:
      - {id: chat, text: Chat again., style: leader, next: desk}
      - {id: file, text: File it., style: neutral, next: review}
  review:
    text: Review.
    choices:
      - {id: sign, text: Sign., style: manager, effects: {trust: +10}, next: done}
      - {id: back, text: Back to the desk., style: neutral, effects: {trust: -10}, next: desk}
endings:
  done: {title: Done, text: Signed., outcome: good}
"""


def test_a_loop_with_a_style_makes_its_most_unbounded_with_the_loop_marked() -> None:
    scenario, mix = mix_of(LOOP)
    leader = mix["done"].styles["leader"]
    assert leader.fewest.count == 0
    assert leader.most.count is None
    path = leader.most.path
    assert path.loop is not None
    start, end = path.loop
    assert "leader" in path.styles[start:end]
    assert "[repeat: desk/chat[L]]" in path.text(scenario)
    assert replay(scenario, path).ending == "done"


def test_a_loop_without_the_style_leaves_its_most_bounded() -> None:
    # review/back -> desk -> review goes round (neutral decisions only), and 'sign' ends
    # the session: the manager decision is taken once on any path, loop or not.
    _, mix = mix_of(LOOP)
    assert counts(mix["done"])["manager"] == (1, 1)


CHANCE = """
scenario: dice
title: Dice
meters:
  trust: {label: Trust, start: 50}
  results: {label: Results, start: 50}
start: one
scenes:
  one:
    text: One.
    choices:
      - id: order
        text: Order it.
        style: manager
        effects: {results: +20}
        next:
          - {chance: 0.3, goto: lucky}
          - {goto: two}
      - {id: ask, text: Ask., style: leader, effects: {trust: +10}, next: two}
  lucky:
    text: The supplier calls back.
    choices:
      - {id: thank, text: Thank them., style: leader, effects: {trust: +20}, next: two}
      - {id: log, text: Log it., style: manager, next: two}
  two:
    text: Two.
    choices:
      - id: close
        text: Close.
        style: neutral
        next:
          - {if: "trust >= 70 and results >= 70", goto: best}
          - {if: "results >= 70", goto: good}
          - {goto: poor}
endings:
  best: {title: Best, text: Both., outcome: best}
  good: {title: Good, text: Results., outcome: good}
  poor: {title: Poor, text: Neither., outcome: poor}
"""


def test_chance_outcomes_are_part_of_the_path() -> None:
    scenario, mix = mix_of(CHANCE)
    # order (+20 results, 70) then lucky/thank (+20 trust, 70): the only way to best
    assert counts(mix["best"])["leader"] == (1, 1)
    path = mix["best"].styles["manager"].fewest.path
    assert path.text(scenario) == "one/order[M] (chance: lucky), lucky/thank[L], two/close -> best"
    assert replay(scenario, path).ending == "best"


def test_pure_players_try_every_option_of_their_style_on_every_roll() -> None:
    scenario = loader.loads(CHANCE)
    found = explore(scenario)
    manager = stylemix.pure_reach(found, "manager")
    # order, then on the lucky roll 'log' (manager): results 70, trust 50 -> good
    assert set(manager.endings) == {"good"} and manager.best == "good"
    leader = stylemix.pure_reach(found, "leader")
    assert set(leader.endings) == {"poor"} and leader.best == "poor"
    for reach in (manager, leader):
        for eid, path in reach.endings.items():
            assert replay(scenario, path).ending == eid


def test_a_pure_player_takes_any_choice_where_its_style_is_not_offered() -> None:
    # In 'lucky' a pure leader has 'thank'; a scenario where only manager choices exist
    # somewhere still lets the pure leader through, on every such choice.
    scenario = loader.loads(
        CHANCE.replace(
            "style: leader, effects: {trust: +20}", "style: manager, effects: {trust: +20}"
        )
    )
    leader = stylemix.pure_reach(explore(scenario), "leader")
    assert set(leader.endings) == {"poor"}
    manager = stylemix.pure_reach(explore(scenario), "manager")
    assert set(manager.endings) == {"best", "good"} and manager.best == "best"


def test_the_style_mix_needs_an_exploration_of_every_choice() -> None:
    from sim.analysis.explore import Always

    scenario = loader.loads(WEEK)
    with pytest.raises(ValueError, match="every choice"):
        stylemix.style_mix(explore(scenario, persona=Always("manager")))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_scenarios_counts_agree_with_the_explorer_and_their_paths_replay(
    path: FilePath,
) -> None:
    scenario = loader.load(path)
    found = explore(scenario)
    mix = stylemix.style_mix(found)
    assert set(mix) == set(found.endings)
    for eid, ending in mix.items():
        for style in STYLES:
            r = ending.styles[style]
            assert (r.fewest.count, r.most.count) == tuple(found.endings[eid].styles[style])
            for end in (r.fewest, r.most):
                assert replay(scenario, end.path).ending == eid
                if end.count is not None:
                    assert end.path.count(style) == end.count


# --- against a brute force on generated scenarios -----------------------------------------


def brute_force(
    scenario: Scenario, pure: str | None = None
) -> dict[str, dict[str, tuple[int, int]]]:
    """Every path through the real engine (the generated scenarios only go forward): per
    ending, per style, the fewest and the most decisions. ``pure``: play as that pure player."""
    out: dict[str, dict[str, tuple[int, int]]] = {}

    def walk(state: engine.State, tally: dict[str, int]) -> None:
        if state.ending is not None:
            seen = out.setdefault(state.ending, {s: (tally[s], tally[s]) for s in STYLES})
            for s in STYLES:
                low, high = seen[s]
                seen[s] = (min(low, tally[s]), max(high, tally[s]))
            return
        offered = engine.available(scenario, state)
        if pure is not None:
            offered = tuple(c for c in offered if c.style == pure) or offered
        for choice in offered:
            for after, _ in engine.outcomes(scenario, state, choice.id):
                walk(after, {**tally, choice.style: tally[choice.style] + 1})

    walk(engine.start(scenario, 0), dict.fromkeys(STYLES, 0))
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated())
def test_agrees_with_a_brute_force_over_every_path(text: str) -> None:
    scenario = loader.loads(text)
    found = explore(scenario)
    truth = brute_force(scenario)
    mix = stylemix.style_mix(found)
    assert {e: counts(m) for e, m in mix.items()} == truth
    for ending in mix.values():
        for style in STYLES:
            for end in (ending.styles[style].fewest, ending.styles[style].most):
                assert replay(scenario, end.path).ending == ending.id
                assert end.path.count(style) == end.count
    for style in ("manager", "leader"):
        reach = stylemix.pure_reach(found, style)
        assert set(reach.endings) == set(brute_force(scenario, style))
        for eid, path in reach.endings.items():
            assert replay(scenario, path).ending == eid
