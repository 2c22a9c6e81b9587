"""The shape of a scenario, for the library's "length".

Pure functions over the model (no Textual): how many decisions a playthrough takes. It walks
every route, guards and chances included, because a trainer asks "how long can this be", not
"how long was my run".
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model import Scenario


def targets(scenario: Scenario, scene_id: str) -> list[str]:
    """Every scene or ending a scene's choices can lead to, in file order, without repeats."""
    seen: dict[str, None] = {}
    for choice in scenario.scenes[scene_id].choices:
        for route in choice.routes:
            seen.setdefault(route.goto, None)
    return list(seen)


@dataclass(frozen=True)
class Length:
    """Decisions from the first scene to an ending: the fewest and the most (cycles cut)."""

    shortest: int
    longest: int

    def __str__(self) -> str:
        if self.shortest == self.longest:
            return f"{self.shortest} decision{'s' if self.shortest != 1 else ''}"
        return f"{self.shortest}\N{EN DASH}{self.longest} decisions"


def length(scenario: Scenario) -> Length | None:
    """None when no ending can be reached at all."""
    shortest = _shortest(scenario)
    if shortest is None:
        return None
    return Length(shortest, max(shortest, _longest(scenario)))


def _shortest(scenario: Scenario) -> int | None:
    dist = {scenario.start: 0}
    queue = deque([scenario.start])
    while queue:
        scene = queue.popleft()
        for goto in targets(scenario, scene):
            if goto in scenario.endings:
                return dist[scene] + 1
            if goto not in dist and goto in scenario.scenes:
                dist[goto] = dist[scene] + 1
                queue.append(goto)
    return None


def _longest(scenario: Scenario) -> int:
    """The longest path without repeating a scene along a depth-first walk; a route back to a
    scene on the current path (a loop) is not followed. Iterative, for very large files."""
    best: dict[str, int] = {}
    on_path: set[str] = set()
    stack: list[tuple[str, list[str]]] = [(scenario.start, targets(scenario, scenario.start))]
    on_path.add(scenario.start)
    while stack:
        scene, pending = stack[-1]
        if pending:
            goto = pending.pop()
            if goto in scenario.scenes and goto not in on_path and goto not in best:
                on_path.add(goto)
                stack.append((goto, targets(scenario, goto)))
            continue
        stack.pop()
        on_path.discard(scene)
        steps = [
            1 if goto in scenario.endings else 1 + best[goto]
            for goto in targets(scenario, scene)
            if goto in scenario.endings or goto in best
        ]
        best[scene] = max(steps, default=0)
    return best.get(scenario.start, 0)
