"""The trait pairs as data, and the lean the debrief shows."""

from __future__ import annotations

from sim import engine
from sim.model import Scenario
from sim.traits import TRAIT_IDS, TRAITS, trait_lean


def test_nineteen_distinct_pairs() -> None:
    assert len(TRAITS) == 19 and len(TRAIT_IDS) == 19


def test_lean_counts_sides_by_style_and_ignores_neutral(small: Scenario) -> None:
    # assign (manager: control-influence), ask-anna (leader: power-care), back-to-work (neutral)
    states = list(engine.replay(small, 1, ["assign", "ask-anna", "back-to-work"]))
    decisions = [s.last for s in states[1:] if s.last is not None]
    assert trait_lean(decisions) == ["seeks control (1:0)", "moves people by care (0:1)"]
    huddle = engine.choose(small, engine.start(small, 1), "huddle").last
    assign = engine.choose(small, engine.start(small, 1), "assign").last
    assert huddle is not None and assign is not None
    assert "balanced between seeks control and seeks influence (1:1)" in trait_lean(
        [assign, huddle]
    )
