"""Cues, the outcome rubric and meter pacing, on small scenarios whose answers are known by
hand, and the lesson part of `leadsim check` (text, --style-mix, JSON)."""

from __future__ import annotations

import json

import pytest

from sim.analysis import cues, lint, pacing, rubric
from sim.analysis.explore import explore
from sim.format import loader
from tests.test_cli import leadsim
from tests.test_lint import DATA
from tests.test_stylemix import CHANCE, WEEK, replay

# --- cues -------------------------------------------------------------------------------


def scene(choices: str, meters: str = "trust: {label: T, start: 5, min: 0, max: 10}") -> str:
    return f"""
scenario: one-scene
title: One scene
meters:
  {meters}
  results: {{label: R, start: 50}}
start: s
scenes:
  s:
    text: S.
    choices:
{choices}
endings:
  e: {{title: E, text: E.}}
"""


def test_a_score_weighs_each_meter_by_its_range() -> None:
    scenario = loader.loads(
        scene(
            "      - {id: a, text: A., style: leader, effects: {trust: +1}, next: e}\n"
            "      - {id: b, text: B., style: manager, effects: {results: +5}, next: e}\n"
            "      - {id: c, text: C., style: manager, effects: {results: '%+20'}, next: e}\n"
        )
    )
    a, b, c = scenario.scenes["s"].choices
    # +1 on a 0..10 meter is a tenth of its range: twice +5 on a 0..100 meter
    assert cues.score(scenario, a) == pytest.approx(0.10)
    assert cues.score(scenario, b) == pytest.approx(0.05)
    assert cues.score(scenario, c) == pytest.approx(0.10)  # as if from the middle
    cue = cues.scene_cue(scenario, scenario.scenes["s"])
    assert cue.top is None  # a and c tie for the highest


def test_the_top_scorer_is_the_longest_only_when_no_other_is_as_long() -> None:
    two = (
        "      - {{id: a, text: {a}, style: leader, effects: {{trust: +1}}, next: e}}\n"
        "      - {{id: b, text: {b}, style: manager, next: e}}\n"
    )
    longer = loader.loads(scene(two.format(a="Ask them all.", b="Decide.")))
    cue = cues.scene_cue(longer, longer.scenes["s"])
    assert cue.top is not None and cue.top.id == "a" and cue.longest
    same = loader.loads(scene(two.format(a="Ask.", b="Tell.")))
    assert not cues.scene_cue(same, same.scenes["s"]).longest


def test_shares_and_warnings_over_a_scenario() -> None:
    leaning = loader.load(DATA / "lint" / "LS142.yaml")
    seen = cues.cues(leaning)
    assert len(seen.with_top) == 5
    assert seen.style_counts() == {"manager": 0, "leader": 5, "neutral": 0}
    assert seen.only_style() == "leader" and not seen.longest_gives_away
    long_cue = cues.cues(loader.load(DATA / "lint" / "LS141.yaml"))
    assert long_cue.longest_count == 5 and long_cue.longest_share == 1.0
    assert long_cue.longest_gives_away and long_cue.only_style() is None
    assert long_cue.style_share("manager") == pytest.approx(0.4)


def test_few_scenes_make_no_pattern() -> None:
    small = loader.loads(WEEK)  # two scenes with a top scorer
    seen = cues.cues(small)
    assert len(seen.with_top) < cues.MIN_SCENES
    assert seen.only_style() is None and not seen.longest_gives_away


# --- the outcome rubric -----------------------------------------------------------------


def test_rubric_floors_in_meter_values() -> None:
    meter = loader.loads(WEEK).meters[0]
    assert [rubric.floor_value(meter, o) for o in ("best", "good", "mixed", "poor")] == [
        50,
        25,
        10,
        0,
    ]
    assert rubric.fitting(meter, 24) == "mixed" and rubric.fitting(meter, 9) == "poor"


def test_an_ending_rated_above_its_meters_is_found_with_its_path() -> None:
    scenario = loader.load(DATA / "lint" / "LS143.yaml")
    (finding,) = rubric.findings(scenario, explore(scenario))
    assert (finding.ending, finding.meter, finding.value, finding.floor) == (
        "shipped",
        "trust",
        20,
        25,
    )
    assert finding.path.text(scenario) == "one/order[M], two/ship -> shipped"
    message, hint = finding.explain(scenario)
    assert "rated good" in message and "trust >= 25" in hint and "rate it mixed" in hint


def test_unrated_endings_and_fitting_ratings_pass_the_rubric() -> None:
    scenario = loader.loads(CHANCE)  # poor at anything; good only with results >= 70
    assert rubric.findings(scenario, explore(scenario)) == []


# --- pacing -----------------------------------------------------------------------------


def test_a_meter_pinned_early_is_reported_with_its_reasonable_path() -> None:
    scenario = loader.load(DATA / "lint" / "LS144.yaml")
    found = explore(scenario)
    (early,) = pacing.early(scenario, found)
    assert (early.meter, early.bound, early.value, early.step, early.total) == (
        "results",
        "max",
        100,
        1,
        4,
    )
    assert early.path.text(scenario).startswith("one/blitz[M], two/go")
    assert replay(scenario, early.path).ending == "done"


def test_a_bound_reached_in_the_last_third_is_not_early() -> None:
    late = (DATA / "lint" / "LS144.yaml").read_text()
    late = late.replace("effects: {results: +50}, next: two", "next: two").replace(
        "text: Finish., style: neutral, next: done",
        "text: Finish., style: neutral, effects: {results: +50}, next: done",
    )
    scenario = loader.loads(late)
    reach = {(r.meter, r.bound): r for r in pacing.reaches(scenario, explore(scenario))}
    assert reach["results", "max"].step == reach["results", "max"].total == 4
    assert pacing.early(scenario, explore(scenario)) == []


def test_a_bound_the_meter_starts_at_is_not_counted() -> None:
    text = (DATA / "lint" / "LS144.yaml").read_text()
    scenario = loader.loads(
        text.replace(
            "results: {label: Results, start: 50}", "results: {label: Results, start: 100}"
        )
    )
    assert [
        r.bound for r in pacing.reaches(scenario, explore(scenario)) if r.meter == "results"
    ] == []


# --- leadsim check ------------------------------------------------------------------------


def test_check_prints_the_lesson_with_paths() -> None:
    out = leadsim("check", str(DATA / "lint" / "LS140.yaml")).stdout
    assert "Style mix on every path (best_needs: manager 2, leader 2):" in out
    assert "LS140 best: 0 manager (needs 2): one/ask[L], two/listen[L], review/close -> best" in out
    assert "pure manager" in out and "pure leader" in out
    assert "Cues (0 of 2 scenes have a single top scorer):" in out  # trust or results: a tie
    assert "fewest manager" not in out  # the detail is --style-mix's


def test_check_style_mix_shows_every_count_and_its_path() -> None:
    out = leadsim("check", str(DATA / "lint" / "LS140.yaml"), "--style-mix").stdout
    assert "  best (best):" in out
    assert "    fewest manager: 0: one/ask[L], two/listen[L], review/close -> best" in out
    assert "    most leader: 2: one/ask[L], two/listen[L], review/close -> best" in out
    assert "    one: no single top scorer" in out
    leaning = leadsim("check", str(DATA / "lint" / "LS142.yaml"), "--style-mix").stdout
    assert "sole top scorer: manager 0 (0%), leader 5 (100%), neutral 0 (0%)" in leaning
    assert "    one: ask (leader, score +0.05)" in leaning


def test_check_json_carries_the_lesson() -> None:
    done = leadsim("check", str(DATA / "lint" / "LS144.yaml"), "--format", "json")
    lesson = json.loads(done.stdout)["lesson"]
    assert lesson["best_needs"] == {"manager": 2, "leader": 2}
    (pin,) = [p for p in lesson["pacing"] if p["early"]]
    assert (pin["meter"], pin["bound"], pin["step"], pin["total"]) == ("results", "max", 1, 4)
    assert lesson["pure"]["manager"]["endings"]["done"]["path"].startswith("one/blitz[M]")
    done_mix = lesson["style_mix"][0]
    assert done_mix["ending"] == "done" and done_mix["styles"]["manager"]["most"]["count"] == 1


# --- best_needs in the file -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("{manager: -1}", "LS013", "below zero"),
        ("{manager: two}", "LS012", "whole number"),
        ("{managers: 2}", "LS010", "unknown key 'managers'"),
        ("[2, 2]", "LS012", "mapping"),
    ],
)
def test_a_bad_best_needs_is_reported_at_its_line(value: str, code: str, words: str) -> None:
    text = WEEK.replace("start: mon", f"best_needs: {value}\nstart: mon")
    scenario, diags = loader.parse_text(text, "week.yaml")
    assert scenario is None
    (d,) = diags
    assert (d.code, d.line) == (code, 7) and words in d.message, d.format()


def test_best_needs_defaults_to_two_of_each() -> None:
    scenario = loader.loads(WEEK)
    assert (scenario.best_needs.manager, scenario.best_needs.leader) == (2, 2)
    zero = loader.loads(
        WEEK.replace("start: mon", "best_needs: {manager: 0, leader: 0}\nstart: mon")
    )
    assert lint.lint(zero) == []


def test_a_partial_exploration_claims_no_absence() -> None:
    out = leadsim("check", str(DATA / "lint" / "LS143.yaml"), "--max-states", "3").stdout
    assert "the exploration stopped at its limit" in out
    assert "every rated ending fits" not in out and "no meter reaches a bound" not in out
