"""The pure engine, tested directly: offering, choosing, effects, routing, determinism."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import engine
from sim.engine import ChoiceNotOffered, SessionOver
from sim.format import loader
from sim.model import Scenario


def ids(scenario: Scenario, state: engine.State) -> list[str]:
    return [c.id for c in engine.available(scenario, state)]


def test_start_state(small: Scenario) -> None:
    state = engine.start(small, seed=1)
    assert state.scene == "monday"
    assert engine.meters_by_name(small, state.meters) == {"trust": 50, "results": 40}
    assert state.visits == ()  # no condition reads monday's visits, so none are counted
    assert state.step == 0 and not state.over and state.last is None


def test_effects_deltas_flags_and_decision_record(small: Scenario) -> None:
    state = engine.choose(small, engine.start(small, 1), "assign")
    assert state.scene == "tuesday"
    assert engine.meters_by_name(small, state.meters) == {"trust": 40, "results": 55}
    assert state.flags == {"plan_fixed"}
    d = state.last
    assert d is not None
    assert (d.scene, d.choice, d.style, d.goto, d.step) == (
        "monday",
        "assign",
        "manager",
        "tuesday",
        1,
    )
    assert d.deltas() == (-10, 15)
    assert d.flags_set == {"plan_fixed"}
    assert engine.tally_by_style(state) == {"manager": 1, "leader": 0, "neutral": 0}


def test_percent_effect_moves_part_of_the_remaining_way(small: Scenario) -> None:
    # trust 50 -> 20% of the 50 points left to 100 = +10
    state = engine.choose(small, engine.start(small, 2), "huddle")
    assert state.meters[0] == 60
    # near the top the same choice gains less: 95 -> +1 (20% of 5)
    high = attrs.evolve(engine.start(small, 2), meters=(95, 40))
    assert engine.choose(small, high, "huddle").meters[0] == 96


def test_meters_are_clamped_to_their_range(small: Scenario) -> None:
    state = attrs.evolve(engine.start(small, 1), scene="slip", meters=(10, 95))
    after = engine.choose(small, state, "push")
    assert after.meters == (0, 100)
    assert after.last is not None and after.last.deltas() == (-10, 5)


def test_guard_hides_and_locked_shows_with_reason(small: Scenario) -> None:
    low = attrs.evolve(engine.start(small, 1), meters=(29, 40))
    offers = engine.choices(small, low)
    huddle = next(o for o in offers if o.choice.id == "huddle")
    assert not huddle.available
    assert huddle.reason == "Nobody talks when trust is this low."
    assert ids(small, low) == ["assign", "wait"]
    with pytest.raises(ChoiceNotOffered, match="not available"):
        engine.choose(small, low, "huddle")


def test_unknown_choice_is_a_clear_error(small: Scenario) -> None:
    with pytest.raises(ChoiceNotOffered, match="does not exist"):
        engine.choose(small, engine.start(small, 1), "teleport")


def test_once_choice_disappears_after_it_was_taken(small: Scenario) -> None:
    state = engine.run(small, 1, ["assign", "chase"])
    assert state.scene == "coffee"
    assert ids(small, state) == ["chat", "back-to-work"]
    state = engine.choose(small, state, "chat")
    assert state.scene == "coffee"
    assert ids(small, state) == ["back-to-work"]
    with pytest.raises(ChoiceNotOffered):
        engine.choose(small, state, "chat")


def test_conditional_route_takes_first_match(small: Scenario) -> None:
    # results start at 40; a start with results 20 routes the huddle to the slip scene.
    low = attrs.evolve(engine.start(small, 1), meters=(50, 20))
    assert engine.choose(small, low, "huddle").scene == "slip"


def test_chance_route_depends_only_on_seed(small: Scenario) -> None:
    landed = {engine.choose(small, engine.start(small, seed), "huddle").scene for seed in range(40)}
    assert landed == {"home-trouble", "tuesday"}
    for seed in range(10):
        a = engine.choose(small, engine.start(small, seed), "huddle")
        b = engine.choose(small, engine.start(small, seed), "huddle")
        assert a == b


def test_chance_frequency_matches_probability(small: Scenario) -> None:
    hits = sum(
        engine.choose(small, engine.start(small, seed), "huddle").scene == "home-trouble"
        for seed in range(2000)
    )
    assert 850 < hits < 1150  # chance 0.5


def test_outcomes_enumerate_every_branch_with_probability(small: Scenario) -> None:
    branches = engine.outcomes(small, engine.start(small, 1), "huddle")
    assert sorted((s.scene, p) for s, p in branches) == [("home-trouble", 0.5), ("tuesday", 0.5)]


def test_visited_changes_the_ending(small: Scenario) -> None:
    seed = next(
        s
        for s in range(100)
        if engine.choose(small, engine.start(small, s), "huddle").scene == "home-trouble"
    )
    state = engine.run(small, seed, ["huddle", "insist", "chase", "back-to-work"])
    assert state.ending == "shipped-late"
    plain = engine.run(small, 1, ["assign", "chase", "back-to-work"])
    assert plain.ending == "shipped-tired"


def test_best_ending_needs_both_styles(small: Scenario) -> None:
    mixed = engine.run(small, 1, ["assign", "ask-anna", "back-to-work"])
    assert engine.meters_by_name(small, mixed.meters) == {"trust": 50, "results": 60}
    assert mixed.ending == "shipped-and-stronger"
    seed = next(
        s
        for s in range(100)
        if engine.choose(small, engine.start(small, s), "huddle").scene == "tuesday"
    )
    kind = engine.run(small, seed, ["huddle", "ask-anna", "chat", "back-to-work"])
    assert engine.meters_by_name(small, kind.meters) == {"trust": 73, "results": 45}
    assert kind.ending == "shipped-tired"  # trust alone is not enough


def test_once_choice_in_a_loop_back(small: Scenario) -> None:
    state = engine.choose(small, engine.start(small, 1), "wait")
    assert state.scene == "monday"
    assert engine.meters_by_name(small, state.meters)["results"] == 25
    assert ids(small, state) == ["assign", "huddle"]
    assert engine.choose(small, state, "huddle").scene == "slip"  # results < 30 now


def test_choosing_after_the_end_is_refused(small: Scenario) -> None:
    state = engine.run(small, 1, ["assign", "chase", "back-to-work"])
    assert engine.is_over(state) and engine.choices(small, state) == ()
    with pytest.raises(SessionOver):
        engine.choose(small, state, "assign")


def test_engine_never_mutates_scenario_or_state(small: Scenario) -> None:
    before = loader.load(small.path)
    state = engine.start(small, 5)
    snapshot = attrs.asdict(state)
    engine.run(small, 5, ["huddle"])
    assert attrs.asdict(state) == snapshot
    assert small == before
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        state.scene = "x"  # type: ignore[misc]


def test_state_round_trips_through_dict(small: Scenario) -> None:
    state = engine.run(small, 9, ["assign", "chase", "chat"])
    data = engine.to_dict(small, state)
    back = engine.from_dict(small, data)
    assert attrs.evolve(back, last=state.last) == state


def random_walk(scenario: Scenario, seed: int, picks: list[int]) -> list[str]:
    """Choice ids picked by index from what is available, as a trainee might."""
    state = engine.start(scenario, seed)
    chosen = []
    for pick in picks:
        options = engine.available(scenario, state)
        if not options:
            break
        choice = options[pick % len(options)].id
        chosen.append(choice)
        state = engine.choose(scenario, state, choice)
    return chosen


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**64), picks=st.lists(st.integers(0, 5), max_size=12)
)
def test_same_seed_and_choices_give_same_states(
    small: Scenario, seed: int, picks: list[int]
) -> None:
    chosen = random_walk(small, seed, picks)
    first = list(engine.replay(small, seed, chosen))
    second = list(engine.replay(small, seed, chosen))
    assert first == second
    assert len(first) == len(chosen) + 1
    for state in first:
        for meter, value in zip(small.meters, state.meters, strict=True):
            assert meter.min <= value <= meter.max


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**64))
def test_every_walk_ends(small: Scenario, seed: int) -> None:
    chosen = random_walk(small, seed, [0, 1, 0, 1, 1, 1, 1, 1, 1, 1])
    assert engine.run(small, seed, chosen).over


def test_visits_are_counted_for_the_scenes_conditions_read_only(small: Scenario) -> None:
    assert small.counted == {"home-trouble"}  # visited('home-trouble') on a route
    seed = next(
        s
        for s in range(100)
        if engine.choose(small, engine.start(small, s), "huddle").scene == "home-trouble"
    )
    state = engine.run(small, seed, ["huddle"])
    assert state.visits == (("home-trouble", 1),)
    state = engine.run(small, seed, ["huddle", "insist", "chase", "chat", "back-to-work"])
    assert state.visits == (("home-trouble", 1),)  # tuesday and coffee are not counted
    assert state.ending == "shipped-late"  # the counted visit still steers the route


def test_a_long_path_keeps_the_state_small(tmp_path: Path) -> None:
    # A desk the trainee can sit at for ever: a step's cost must not grow with the path, so
    # the state carries no record of it (the session's history does).
    path = tmp_path / "desk.yaml"
    path.write_text(
        """\
scenario: desk
title: Desk
summary: a loop
meters:
  trust: {label: Trust, start: 50, min: 0, max: 100}
start: desk
scenes:
  desk:
    text: At the desk.
    choices:
      - {id: stay, text: Stay, style: neutral, feedback: ok, next: desk}
      - id: leave
        text: Leave
        style: leader
        feedback: ok
        next: [{if: "visits('hall') > 1", goto: done}, {goto: hall}]
  hall:
    text: In the hall.
    choices:
      - {id: back, text: Back, style: neutral, feedback: ok, next: desk}
endings:
  done: {title: Done, text: Done.}
"""
    )
    desk = loader.load(path)
    assert desk.counted == {"hall"}
    state = engine.start(desk, 1)
    for _ in range(500):
        state = engine.choose(desk, state, "stay")
    assert state.step == 500 and state.visits == ()
    state = engine.run(desk, 1, ["leave", "back", "leave", "back", "leave"])
    assert state.ending == "done" and state.visits == (("hall", 2),)


def test_visits_read_by_conditional_text_are_counted() -> None:
    from sim import prose

    desk = loader.loads(
        """\
format: 1.1
scenario: desk
title: Desk
summary: a loop
meters:
  trust: {label: Trust, start: 50, min: 0, max: 100}
start: desk
scenes:
  desk:
    text:
      - {if: "visits('hall') >= 2", text: Back again., else: At the desk.}
    choices:
      - {id: go, text: Go, style: neutral, feedback: ok, next: hall}
      - {id: end, text: End, style: leader, feedback: ok, next: done}
  hall:
    text: In the hall.
    choices:
      - {id: back, text: Back, style: neutral, feedback: ok, next: desk}
endings:
  done: {title: Done, text: Done.}
"""
    )
    assert desk.counted == {"hall"}
    state = engine.run(desk, 1, ["go", "back", "go", "back"])
    assert prose.say(desk, state, desk.scenes["desk"].text) == "Back again."
