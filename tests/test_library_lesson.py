"""The shipped library teaches what it claims, on every path (issue 13).

Per scenario: `validate --strict` passes (every deep check, the lesson checks included); a
pure manager and a pure leader player (any choice of their style where one is offered, every
side of every chance) cannot reach a best ending; every path to a best ending takes at least
``best_needs`` decisions of each style; the top scorer is the longest text in at most half of
the scenes that have one; no meter reaches a bound before the last third of a reasonable path;
every rating fits the meters of the rubric. Across the library: manager and leader are each the
sole top scorer in at least 30% of the scenes that have one.

The scenarios are being reworked under issue 13. What they fail today is listed in
:data:`FAILING_NOW`, one (check, scenario) a line, and marked ``xfail(strict=True)``: when a
rework makes a check pass, that test reports XPASS and fails, and its line here is deleted.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from sim.analysis import cues, lint, pacing, rubric, stylemix
from sim.analysis.explore import Exploration, explore
from sim.format import loader
from sim.format.diagnostics import Diagnostic
from sim.model import Scenario

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))
STATE_LIMIT = 200_000

FAILING_NOW: frozenset[tuple[str, str]] = frozenset()  # all five reworked (issue 13)
REWORK = "scenarios reworked under issue 13"


def marks(check: str, stem: str) -> list[pytest.MarkDecorator]:
    failing = (check, stem) in FAILING_NOW
    return [pytest.mark.xfail(strict=True, reason=REWORK)] if failing else []


def per_file(check: str) -> pytest.MarkDecorator:
    params = [pytest.param(p, id=p.stem, marks=marks(check, p.stem)) for p in SCENARIOS]
    return pytest.mark.parametrize("path", params)


PURE = [
    pytest.param(style, p, id=f"{style}-{p.stem}", marks=marks(f"pure-{style}", p.stem))
    for style in ("manager", "leader")
    for p in SCENARIOS
]


@cache
def analysed(path: Path) -> tuple[Scenario, Exploration]:
    scenario = loader.load(path)
    found = explore(scenario, STATE_LIMIT)
    assert found.complete, f"{path.name}: more than {STATE_LIMIT:,} states"
    return scenario, found


def formatted(diags: list[Diagnostic]) -> str:
    return "\n".join(d.format() for d in diags)


@per_file("strict")
def test_validate_strict_passes(path: Path) -> None:
    scenario, found = analysed(path)
    diags = lint.lint(scenario, exploration=found)
    assert not [d for d in diags if d.severity != "note"], formatted(diags)


@pytest.mark.parametrize(("style", "path"), PURE)
def test_a_pure_player_cannot_reach_a_best_ending(style: str, path: Path) -> None:
    scenario, found = analysed(path)
    reach = stylemix.pure_reach(found, style)  # type: ignore[arg-type]
    best = [e for e, o in reach.outcomes.items() if o == "best"]
    assert not best, f"pure {style} reaches {best[0]}: {reach.endings[best[0]].text(scenario)}"


@per_file("best-needs")
def test_every_path_to_a_best_ending_takes_enough_of_both_styles(path: Path) -> None:
    scenario, found = analysed(path)
    short = stylemix.shortfalls(scenario, stylemix.style_mix(found))
    assert not short, "\n".join(
        f"{s.ending}: {s.fewest.count} {s.style} < {s.needs}: {s.fewest.path.text(scenario)}"
        for s in short
    )


@per_file("longest")
def test_the_top_scorer_is_the_longest_in_at_most_half_the_scenes(path: Path) -> None:
    scenario, _ = analysed(path)
    seen = cues.cues(scenario)
    assert seen.longest_share <= cues.LONGEST_SHARE_LIMIT, (
        f"{seen.longest_count} of {len(seen.with_top)}"
    )


@per_file("pacing")
def test_no_meter_reaches_a_bound_before_the_last_third(path: Path) -> None:
    scenario, found = analysed(path)
    early = pacing.early(scenario, found)
    assert not early, "\n".join(m for r in early for m in r.explain(scenario)[:1])


@per_file("rubric")
def test_every_rating_fits_the_meters_it_is_reached_with(path: Path) -> None:
    scenario, found = analysed(path)
    findings = rubric.findings(scenario, found)
    assert not findings, "\n".join(f.explain(scenario)[0] for f in findings)


@pytest.mark.xfail(("style-share", "library") in FAILING_NOW, strict=True, reason=REWORK)
def test_each_style_is_the_sole_top_scorer_in_a_real_share_of_the_library() -> None:
    counts = {"manager": 0, "leader": 0}
    total = 0
    for path in SCENARIOS:
        seen = cues.cues(analysed(path)[0])
        total += len(seen.with_top)
        for style in counts:
            counts[style] += seen.style_counts()[style]  # type: ignore[index]
    assert total
    for style, n in counts.items():
        assert n / total >= cues.STYLE_SHARE_TARGET, f"{style}: {n} of {total}"
