"""What a replay shows of a recorded step: the choices offered, in the order the trainee saw
them, and the meters in the scenario's words."""

from __future__ import annotations

from typing import Protocol

import attrs

from sim import engine
from sim.log.format import DecisionRecord
from sim.model import Scenario
from sim.prose import say
from sim.safetext import plain


class Step(Protocol):
    """What is shown of a :class:`sim.log.replay.Step`."""

    @property
    def record(self) -> DecisionRecord: ...
    @property
    def before(self) -> engine.State | None: ...


@attrs.frozen
class Shown:
    """A choice as a replay shows it at a recorded step."""

    id: str
    text: str
    style: str
    chosen: bool
    available: bool = True
    reason: str | None = None


def offered(scenario: Scenario, step: Step, trainee: str | None = None) -> list[Shown]:
    """The choices offered at ``step`` (as the engine offers them from the state before it, in
    the order the log recorded when they were shuffled), the recorded one marked; a recorded
    choice the scenario no longer offers is added last."""
    rec = step.record
    shown = []
    if step.before is not None and not step.before.over and step.before.scene == rec.scene:
        for o in engine.choices(scenario, step.before):
            c = o.choice
            text = say(scenario, step.before, c.text, trainee)
            shown.append(Shown(c.id, text, c.style, c.id == rec.choice, o.available, o.reason))
    if step.record.shown:  # shuffled: the order the trainee saw, as the log recorded it
        place = {cid: i for i, cid in enumerate(step.record.shown)}
        shown.sort(key=lambda s: place.get(s.id, len(place)))
    if not any(s.chosen for s in shown):
        scene = scenario.scenes.get(rec.scene)
        choice = scene.choice(rec.choice) if scene is not None else None
        text = (
            say(scenario, step.before, choice.text, trainee)
            if choice is not None
            else f"({rec.choice}: no longer in the scenario)"
        )
        shown.append(Shown(rec.choice, text, rec.style, True))
    return shown


def meter_changes(scenario: Scenario, before: dict[str, int], after: dict[str, int]) -> str:
    """'Team trust 50 -> 45 (-5), Results 50' from recorded meters, labelled by the scenario."""
    labels = {m.id: plain(m.label) for m in scenario.meters}
    parts = []
    for name, value in after.items():
        was = before.get(name, value)
        change = f" -> {value} ({value - was:+d})" if value != was else ""
        parts.append(f"{labels.get(name, plain(name))} {was}{change}")
    return ", ".join(parts)


def meter_values(scenario: Scenario, values: dict[str, int]) -> str:
    labels = {m.id: plain(m.label) for m in scenario.meters}
    return ", ".join(f"{labels.get(n, plain(n))} {v}" for n, v in values.items())
