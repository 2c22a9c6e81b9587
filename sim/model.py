"""The scenario model: frozen values the loader builds and the engine reads.

Nothing here changes after loading. Every element remembers where it came from in the file
(``where``), so the analyser can report problems at the right line; positions take no part in
equality, so two scenarios with the same content compare equal wherever their text sits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from sim.conditions import Compiled, Condition, compile_expr

Style = Literal["manager", "leader", "neutral"]
STYLES: tuple[Style, ...] = ("manager", "leader", "neutral")
FeedbackMode = Literal["coach", "consequences", "debrief"]
FEEDBACK_MODES: tuple[FeedbackMode, ...] = ("coach", "consequences", "debrief")
Outcome = Literal["best", "good", "mixed", "poor"]
OUTCOMES: tuple[Outcome, ...] = ("best", "good", "mixed", "poor")
FORMAT_VERSION = 1


@attrs.frozen
class Where:
    """A position in a scenario file (1-based line and column)."""

    line: int
    column: int


_where = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Meter:
    id: str
    label: str
    start: int
    min: int = 0
    max: int = 100
    where: Where | None = _where


@attrs.frozen
class MeterChange:
    """One meter's change: ``delta`` adds ``amount``; ``percent`` moves ``amount`` percent of
    the remaining distance towards max (positive) or min (negative), rounded to a whole point."""

    meter: str
    kind: Literal["delta", "percent"]
    amount: float
    where: Where | None = _where


@attrs.frozen
class Effects:
    changes: tuple[MeterChange, ...] = ()
    set: frozenset[str] = frozenset()
    clear: frozenset[str] = frozenset()


@attrs.frozen
class Guard:
    """A parsed condition together with its compiled closure."""

    condition: Condition
    where: Where | None = _where
    test: Compiled = attrs.field(eq=False, repr=False, init=False)

    @test.default
    def _compile(self) -> Compiled:
        return compile_expr(self.condition.tree)

    @property
    def source(self) -> str:
        return self.condition.source


@attrs.frozen
class Route:
    """One step of a ``next`` list. The first route whose guard holds and whose chance roll
    succeeds is taken; a route with neither is the fallback."""

    goto: str
    guard: Guard | None = None
    chance: float | None = None
    where: Where | None = _where


@attrs.frozen
class Choice:
    id: str
    text: str
    style: Style
    routes: tuple[Route, ...]
    effects: Effects = Effects()
    feedback: str = ""
    guard: Guard | None = None
    locked: str | None = None
    once: bool = False
    traits: tuple[str, ...] = ()
    where: Where | None = _where


@attrs.frozen
class Scene:
    id: str
    text: str
    choices: tuple[Choice, ...]
    speaker: str | None = None
    reflect: str | None = None
    where: Where | None = _where

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@attrs.frozen
class Ending:
    id: str
    title: str
    text: str
    outcome: Outcome | None = None
    lessons: tuple[str, ...] = ()
    where: Where | None = _where


@attrs.frozen
class Scenario:
    id: str
    title: str
    summary: str
    meters: tuple[Meter, ...]
    start: str
    scenes: Mapping[str, Scene]
    endings: Mapping[str, Ending]
    version: str = "1"
    feedback_mode: FeedbackMode = "coach"
    flags: frozenset[str] = frozenset()
    declared_at: Mapping[str, Where] = attrs.field(factory=dict, eq=False, repr=False)
    """Where each flag listed under ``flags:`` is written, for diagnostics about it."""
    author: str = ""
    path: str = attrs.field(default="", eq=False)
    sha256: str = attrs.field(default="", eq=False)
    where: Where | None = _where
    meter_index: Mapping[str, int] = attrs.field(init=False, eq=False, repr=False)
    _counted: frozenset[str] | None = attrs.field(default=None, init=False, eq=False, repr=False)

    @meter_index.default
    def _index(self) -> Mapping[str, int]:
        return {m.id: i for i, m in enumerate(self.meters)}

    @property
    def counted(self) -> frozenset[str]:
        """The scenes whose visits some condition reads (``visited()``/``visits()``): the
        only ones the engine counts, so a step costs the same however long the path is.
        Worked out on first use and kept."""
        if self._counted is None:
            named: set[str] = set()
            for scene in self.scenes.values():
                for choice in scene.choices:
                    if choice.guard is not None:
                        named |= choice.guard.condition.scenes()
                    for route in choice.routes:
                        if route.guard is not None:
                            named |= route.guard.condition.scenes()
            object.__setattr__(self, "_counted", frozenset(named))
        assert self._counted is not None
        return self._counted

    def meter(self, meter_id: str) -> Meter:
        return self.meters[self.meter_index[meter_id]]
