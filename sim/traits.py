"""The nineteen manager/leader pairs a choice can exercise.

The list paraphrases the comparison table the product is built from: each pair names how a
managing mind and a leading mind handle the same thing. A choice tags the pairs it exercises
(``traits: [control-influence]``); its ``style`` says which side it leans to. Neither side is
"wrong": the debrief shows the trainee's lean, and the lessons say when each side serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from sim.reprs import shared_repr

if TYPE_CHECKING:
    from sim.engine import Decision


@attrs.frozen
@shared_repr
class TraitPair:
    id: str
    manager: str
    leader: str


TRAITS: tuple[TraitPair, ...] = (
    TraitPair("control-influence", "Seeks control", "Seeks influence"),
    TraitPair("visible-invisible", "Attends to what can be seen", "Attends to what cannot be seen"),
    TraitPair("doing-becoming", "Focuses on doing", "Focuses on becoming"),
    TraitPair("goal-mission", "Driven by goals", "Driven by a mission"),
    TraitPair("structure-meaning", "Gives form and structure", "Gives meaning"),
    TraitPair("within-beyond-boundaries", "Stays inside the lines", "Plays with the lines"),
    TraitPair("stability-change", "Keeps things stable", "Stirs things up"),
    TraitPair("right-way-right-thing", "Does things right", "Does the right things"),
    TraitPair("needs-values", "Driven by needs", "Led by values"),
    TraitPair("served-serving", "Expects to be served", "Serves the team"),
    TraitPair("power-care", "Moves people by power and rank", "Moves people by care"),
    TraitPair("skills-growth", "Trains skills", "Grows the person"),
    TraitPair("push-attract", "Pushes and prods", "Draws people in"),
    TraitPair("parts-whole", "Looks at the parts", "Looks at the whole"),
    TraitPair("material-spirit", "Minds the material side", "Minds morale and spirit"),
    TraitPair("short-long-term", "Thinks short term", "Thinks long term"),
    TraitPair("efficient-effective", "Efficient", "Effective"),
    TraitPair("administer-create", "Runs what exists", "Creates what does not exist yet"),
    TraitPair("administer-steward", "Administers resources", "Stewards resources"),
)

TRAIT_IDS: frozenset[str] = frozenset(t.id for t in TRAITS)
BY_ID: dict[str, TraitPair] = {t.id: t for t in TRAITS}


def trait_lean(decisions: Iterable[Decision]) -> list[str]:
    """For each trait pair the trainee exercised, which side they took more often."""
    counts: dict[str, list[int]] = {}
    for d in decisions:
        if d.style == "neutral":
            continue
        for tag in d.traits:
            counts.setdefault(tag, [0, 0])[0 if d.style == "manager" else 1] += 1
    out = []
    for tag, (manager, leader) in counts.items():
        pair = BY_ID[tag]
        if manager > leader:
            out.append(f"{pair.manager.lower()} ({manager}:{leader})")
        elif leader > manager:
            out.append(f"{pair.leader.lower()} ({manager}:{leader})")
        else:
            out.append(
                f"balanced between {pair.manager.lower()} and {pair.leader.lower()} "
                f"({manager}:{leader})"
            )
    return out
