"""Text as the trainee reads it in a state: conditional parts resolved, values inserted.

A pure function of the scenario, a state and the text (format 1.1, see
:mod:`sim.format.textparts`). Nothing inserted is ever read as markup: the shells pass the
result through :func:`sim.safetext.plain` like any other scenario text.
"""

from __future__ import annotations

from sim.engine import Facts, State, start
from sim.model import Branch, Insert, Prose, Scenario, Text


def say(
    scenario: Scenario, state: State | None, text: Prose | None, trainee: str | None = None
) -> str:
    """``text`` as the trainee reads it in ``state`` (at the start when ``state`` is None, as
    where a replay could not follow its log): parts joined as paragraphs, a part whose
    condition fails left out (or its ``else`` shown), ``trainee`` inserted as the name
    (``you`` when there is none)."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    facts = Facts(scenario, state or start(scenario, 0))
    return _resolve(scenario, facts, text, trainee)


def _resolve(scenario: Scenario, f: Facts, text: Text, trainee: str | None) -> str:
    paragraphs = []
    for part in text.parts:
        if isinstance(part, Branch):
            chosen = part.then if part.guard.test(f) else part.otherwise
            piece = _resolve(scenario, f, chosen, trainee) if chosen is not None else ""
        else:
            piece = "".join(
                bit if isinstance(bit, str) else _insert(scenario, f, bit, trainee) for bit in part
            )
        piece = piece.strip("\n")
        if piece.strip():
            paragraphs.append(piece)
    return "\n\n".join(paragraphs)


def _insert(scenario: Scenario, f: Facts, bit: Insert, trainee: str | None) -> str:
    if bit.field == "trainee":
        return trainee or "you"
    if bit.field == "label":
        return scenario.meter(bit.name).label
    return str(int(f.value_of(bit.name)))
