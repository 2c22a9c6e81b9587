"""Meter pacing: a meter that reaches its floor or ceiling early stops telling the trainee
anything for the rest of the path (every later gain or loss is lost against the bound).

The **reasonable path** through a state is the quickest way to reach it followed by the
quickest way from it to any ending: no detour, no loop. A meter **pins early** when, on the
reasonable path through some state where it stands at its min or max, that state comes before
the last third of the path: after ``step`` of ``total`` decisions with ``step < 2/3 * total``.
Even the quickest way out then leaves more than a third of the decisions with the meter stuck,
so a finding is never an artefact of a long detour. A bound the meter starts at is not
counted. LS144 reports each early bound with its path; ``leadsim check`` shows the earliest
point each meter reaches each bound, early or not.
"""

from __future__ import annotations

from typing import Literal

import attrs

from sim.analysis.explore import Exploration
from sim.analysis.paths import Path, Paths
from sim.model import Scenario

Bound = Literal["min", "max"]
LAST_PART = 1 / 3
"""A meter may reach a bound only in this last part of a reasonable path."""


@attrs.frozen
class Reach:
    """The earliest point, relative to its path's length, where ``meter`` stands at ``bound``."""

    meter: str
    bound: Bound
    value: int
    step: int
    total: int
    path: Path

    @property
    def early(self) -> bool:
        return self.step < (1 - LAST_PART) * self.total

    def explain(self, scenario: Scenario) -> tuple[str, str]:
        label = scenario.meter(self.meter).label
        word = "maximum" if self.bound == "max" else "minimum"
        at = self.path.steps[self.step - 1].goto
        return (
            f"meter {self.meter!r} ({label}) reaches its {word} {self.value} in {at!r}, "
            f"after {self.step} of {self.total} decisions, before the last third: "
            f"{self.path.text(scenario)}",
            "make the changes on the way smaller (or use percentages, '%+20', which slow "
            "down near the bound), so the meter still moves in the last third",
        )


def reaches(scenario: Scenario, found: Exploration) -> list[Reach]:
    """For each meter and bound that some state reaches, the earliest such point."""
    graph = found.graph
    if graph is None or found.persona is not None or not graph.keys:
        return []
    paths = Paths(graph)
    left = paths.to_ending()
    depth = [0] * len(graph.keys)
    for s in range(1, len(graph.keys)):  # breadth-first order: a parent comes first
        depth[s] = depth[graph.parent[s][0]] + 1
    out = []
    for k, meter in enumerate(scenario.meters):
        for bound, value in (("max", meter.max), ("min", meter.min)):
            if meter.start == value:
                continue
            best: tuple[float, int, int] | None = None  # (share of the path, step, state)
            for s, key in enumerate(graph.keys):
                if key[1][k] != value or left[s] < 0 or depth[s] == 0:
                    continue
                rank = (depth[s] / (depth[s] + left[s]), depth[s], s)
                if best is None or rank < best:
                    best = rank
            if best is None:
                continue
            s = best[2]
            chain = [*paths.from_start(s), *paths.finish(s, left)]
            out.append(
                Reach(meter.id, bound, value, depth[s], len(chain), paths.path(chain))  # type: ignore[arg-type]
            )
    return out


def early(scenario: Scenario, found: Exploration) -> list[Reach]:
    """The meters that pin at a bound before the last third of a reasonable path."""
    return [r for r in reaches(scenario, found) if r.early]
