"""The outcome rubric: an ending's rating must fit the meters it can be reached with.

docs/authoring.md ("Outcome rubric") says what best, good, mixed and poor mean in story; here
is the part a program can check. Every meter of a scenario measures something that is better
high (trust, results, alignment...). A rating is a promise about the *lowest* any meter can
stand when a trainee reaches the ending, as a share of the meter's range (min..max):

=========  ==============================================================================
best       every meter at least half way up its range (0..100: 50 or more)
good       every meter at least a quarter of the way up (0..100: 25 or more)
mixed      no meter in the bottom tenth (0..100: 10 or more)
poor       anything
=========  ==============================================================================

An ending that some path reaches with a meter below its rating's floor gets LS143, with that
path. (The floors are the least a rating allows; the routes into a best ending usually ask
for more, e.g. ``trust >= 70 and results >= 70``.)
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs

from sim.analysis.explore import Exploration
from sim.analysis.paths import Path, Paths
from sim.model import OUTCOMES, Meter, Outcome, Scenario

FLOORS: Mapping[Outcome, float] = {"best": 0.5, "good": 0.25, "mixed": 0.1, "poor": 0.0}
"""The lowest share of its range any meter may stand at for an ending with this rating."""


def floor_value(meter: Meter, outcome: Outcome) -> int:
    """The lowest value of ``meter`` an ending rated ``outcome`` may be reached with."""
    return meter.min + math.ceil(FLOORS[outcome] * (meter.max - meter.min) - 1e-9)


def fitting(meter: Meter, value: int) -> Outcome:
    """The best rating a value of ``meter`` allows."""
    return next(o for o in OUTCOMES if value >= floor_value(meter, o))


@attrs.frozen
class Finding:
    """An ending some path reaches with ``meter`` at ``value``, below its rating's floor."""

    ending: str
    outcome: Outcome
    meter: str
    value: int
    floor: int
    path: Path

    def explain(self, scenario: Scenario) -> tuple[str, str]:
        m = scenario.meter(self.meter)
        allowed = fitting(m, self.value)
        return (
            f"ending {self.ending!r} is rated {self.outcome}, but a path reaches it with "
            f"{self.meter} at {self.value} of {m.min}..{m.max} ({self.outcome} needs every "
            f"meter at {self.floor} or more): {self.path.text(scenario)}",
            f"guard the routes into {self.ending!r} with '{self.meter} >= {self.floor}', or "
            f"rate it {allowed} (see 'Outcome rubric' in docs/authoring.md)",
        )


def findings(scenario: Scenario, found: Exploration) -> list[Finding]:
    """Every (ending, meter) where a path reaches a rated ending below its floor."""
    graph = found.graph
    if graph is None or found.persona is not None:
        return []
    paths = Paths(graph)
    n = graph.space.n_scenes
    lowest: dict[tuple[int, int], int] = {}  # (ending place, meter) -> state with the lowest
    for s, key in enumerate(graph.keys):
        if key[0] < n:
            continue
        for k, value in enumerate(key[1]):
            best = lowest.get((key[0], k))
            if best is None or value < graph.keys[best][1][k]:
                lowest[(key[0], k)] = s
    out = []
    for (place, k), state in sorted(lowest.items()):
        ending = scenario.endings[graph.space.places[place]]
        if ending.outcome is None:
            continue
        meter = scenario.meters[k]
        value = graph.keys[state][1][k]
        floor = floor_value(meter, ending.outcome)
        if value < floor:
            path = paths.path(paths.from_start(state))
            out.append(Finding(ending.id, ending.outcome, meter.id, value, floor, path))
    return out
