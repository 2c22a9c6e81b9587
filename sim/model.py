"""The scenario model: frozen values the loader builds and the engine reads.

Nothing here changes after loading. Every element remembers where it came from in the file
(``where``), so the analyser can report problems at the right line; positions take no part in
equality, so two scenarios with the same content compare equal wherever their text sits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal, overload

import attrs

from sim.conditions import Compiled, Condition
from sim.reprs import shared_repr

Style = Literal["manager", "leader", "neutral"]
STYLES: tuple[Style, ...] = ("manager", "leader", "neutral")
FeedbackMode = Literal["coach", "consequences", "debrief"]
FEEDBACK_MODES: tuple[FeedbackMode, ...] = ("coach", "consequences", "debrief")
Outcome = Literal["best", "good", "mixed", "poor"]
OUTCOMES: tuple[Outcome, ...] = ("best", "good", "mixed", "poor")
FORMAT_VERSION = 1
FORMAT_VERSIONS: tuple[str, ...] = ("1", "1.1")
"""The format versions this version reads; "1.1" adds the elements docs/authoring.md marks
as 1.1 (conditional text, values in text, narration scenes, outcomes, shuffle, allow)."""
CONTINUE = "(continue)"
"""The choice id of a narration scene's one way on (never a valid id in a file)."""


class Where(int):
    """A position in a scenario file (1-based line and column).

    Packed in one int, since a scenario holds one for nearly every element: a line under
    2**22 and a column under 256 (nearly every position) as ``line << 8 | column``, which
    fits in one 30-bit digit, anything else as ``-(line << 32 | column)``. Elements keep
    that int itself (32 bytes) and hand out a Where when asked (``_Place``); an attrs object
    of two ints took 56 bytes plus an int of 32 for a line past 256. Positions compare
    equal when line and column do (and take no part in the elements' equality); they are
    not ordered."""

    __slots__ = ()

    def __new__(cls, line: int, column: int) -> Where:
        if line < 1 << 22 and column < 256:
            return int.__new__(cls, line << 8 | column)
        return int.__new__(cls, -(line << 32 | column))

    @property
    def line(self) -> int:
        packed = int(self)
        return packed >> 8 if packed > 0 else -packed >> 32

    @property
    def column(self) -> int:
        packed = int(self)
        return packed & 0xFF if packed > 0 else -packed & 0xFFFFFFFF

    def __repr__(self) -> str:
        return f"Where(line={self.line}, column={self.column})"

    __str__ = __repr__

    def __getnewargs__(self) -> tuple[int, int]:  # type: ignore[override]
        return self.line, self.column


def _packed(where: Where | None) -> int | None:
    return None if where is None else int(where)


class _Place:
    """An element's ``where`` (given as ``where=``, and taking no part in equality): kept in
    its ``_at`` slot as a plain int (32 bytes, which the cycle collector does not track,
    against 48 for a :class:`Where`; a scenario of one-line scenes holds three a scene) and
    handed out as a :class:`Where`."""

    __slots__ = ()

    @overload
    def __get__(self, obj: None, owner: type) -> _Place: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> Where | None: ...
    def __get__(self, obj: object, owner: type | None = None) -> Where | _Place | None:
        if obj is None:
            return self
        at: int | None = obj._at  # type: ignore[attr-defined]
        return None if at is None else int.__new__(Where, at)


@attrs.frozen(weakref_slot=False)
class _Placed:
    """The base of every element that remembers its place in the file: ``where=`` (keyword
    only), kept as :class:`_Place` says."""

    _at: int | None = attrs.field(
        default=None, eq=False, repr=False, alias="where", converter=_packed, kw_only=True
    )
    where = _Place()


@attrs.frozen(weakref_slot=False)  # nothing refers to elements weakly: 8 bytes an object
@shared_repr
class Meter(_Placed):
    id: str
    label: str
    start: int
    min: int = 0
    max: int = 100


@attrs.frozen(weakref_slot=False)
@shared_repr
class MeterChange(_Placed):
    """One meter's change: ``delta`` adds ``amount``; ``percent`` moves ``amount`` percent of
    the remaining distance towards max (positive) or min (negative), rounded to a whole point."""

    meter: str
    kind: Literal["delta", "percent"]
    amount: float


@attrs.frozen(weakref_slot=False)
@shared_repr
class Effects:
    changes: tuple[MeterChange, ...] = ()
    set: frozenset[str] = frozenset()
    clear: frozenset[str] = frozenset()


@attrs.frozen(weakref_slot=False)
@shared_repr
class Guard(_Placed):
    """A condition and its place. Guards with the same text share one :class:`Condition`,
    so each text is parsed and compiled once, when first used."""

    condition: Condition

    @property
    def test(self) -> Compiled:
        return self.condition.test

    @property
    def source(self) -> str:
        return self.condition.source


@attrs.frozen(weakref_slot=False)
@shared_repr
class Insert:
    """A value written into text: a meter's ``value`` or ``label``, or the ``trainee``'s name."""

    name: str
    field: Literal["value", "label", "trainee"]


Line = tuple["str | Insert", ...]
"""One paragraph of text: literal pieces and inserted values."""


@attrs.frozen(weakref_slot=False)
@shared_repr
class Branch:
    """``{if: COND, text: ..., else: ...}``: a part of a text shown only when ``guard`` holds
    (or its ``otherwise`` when it does not)."""

    guard: Guard
    then: Text
    otherwise: Text | None = None


@attrs.frozen(weakref_slot=False)
@shared_repr
class Text:
    """Text that follows the trainee's path: paragraphs and conditional parts, resolved for a
    state by :func:`sim.prose.say`. A text with neither is kept as a plain ``str``."""

    parts: tuple[Line | Branch, ...]


Prose = str | Text
"""Any text a trainee reads."""


def sketch(text: Prose | None) -> str:
    """A text as an author wrote it, for overviews that show no state (the map): inserts as
    ``${name}``, each conditional part as its ``text``."""
    if not isinstance(text, Text):
        return text or ""
    out = []
    for part in text.parts:
        if isinstance(part, Branch):
            out.append(sketch(part.then))
        else:
            out.append(
                "".join(
                    bit
                    if isinstance(bit, str)
                    else "${" + (bit.name if bit.field != "label" else bit.name + ".label") + "}"
                    for bit in part
                )
            )
    return "\n\n".join(out)


def text_guards(text: Prose | None) -> Iterator[Guard]:
    """The conditions inside a text (conditional parts, nested ones too)."""
    if isinstance(text, Text):
        for part in text.parts:
            if isinstance(part, Branch):
                yield part.guard
                yield from text_guards(part.then)
                yield from text_guards(part.otherwise)


@attrs.frozen(weakref_slot=False)
@shared_repr
class Allowance:
    """``allow: [LS121]`` on an element (format 1.1): those warning codes are silenced for
    problems reported anywhere from ``start`` to ``end`` (the element's place in the file)."""

    codes: frozenset[str]
    start: Where
    end: Where
    what: str


@attrs.frozen(weakref_slot=False)
@shared_repr
class Route(_Placed):
    """One step of a ``next`` list. The first route whose guard holds and whose chance roll
    succeeds is taken; a route with neither is the fallback."""

    goto: str
    guard: Guard | None = None
    chance: float | None = None


@attrs.frozen(weakref_slot=False)
@shared_repr
class Choice(_Placed):
    id: str
    text: Prose
    style: Style
    routes: tuple[Route, ...]
    effects: Effects = Effects()
    feedback: Prose = ""
    guard: Guard | None = None
    locked: str | None = None
    once: bool = False
    traits: tuple[str, ...] = ()
    outcome: Prose = ""
    """What happens next in the story (shown in every feedback mode; format 1.1)."""


@attrs.frozen(weakref_slot=False)
@shared_repr
class Scene(_Placed):
    """A scene. A narration scene (format 1.1) has no choices of the author's: its one
    choice, :data:`CONTINUE`, follows the scene's ``next``, and ``narration`` is set."""

    id: str
    text: Prose
    choices: tuple[Choice, ...]
    speaker: str | None = None
    reflect: Prose | None = None
    narration: bool = False
    title: str | None = None
    """What the trainee sees this scene called (debrief, map, text mode); see :meth:`label`."""
    source: bool = False
    """The ``speaker`` is a source (an email, a report), not a person: shown as a source line,
    never as speech."""

    def label(self, number: int) -> str:
        """The scene's name on screen: its ``title``, else its speaker, else "Decision N"
        (``number``: the decision it asks for). Internal ids are never shown to a trainee."""
        return self.title or self.speaker or f"Decision {number}"

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@attrs.frozen(weakref_slot=False)
@shared_repr
class Ending(_Placed):
    id: str
    title: str
    text: Prose
    outcome: Outcome | None = None
    lessons: tuple[Prose, ...] = ()


@attrs.frozen(weakref_slot=False)
@shared_repr
class BestNeeds(_Placed):
    """How many manager and leader decisions every path to a best ending must take
    (``best_needs:``; LS140 reports a path with fewer)."""

    manager: int = 2
    leader: int = 2

    def of(self, style: Style) -> int:
        return self.manager if style == "manager" else self.leader if style == "leader" else 0


@attrs.frozen(weakref_slot=False)
@shared_repr
class Scenario(_Placed):
    id: str
    title: str
    summary: str
    meters: tuple[Meter, ...]
    start: str
    scenes: Mapping[str, Scene]
    endings: Mapping[str, Ending]
    version: str = "1"
    feedback_mode: FeedbackMode = "coach"
    format: str = "1"
    """The format version the file declares ("1" when it declares none)."""
    shuffle: bool = False
    """Show each scene's choices in an order drawn from the session's seed (format 1.1)."""
    allowed: tuple[Allowance, ...] = attrs.field(default=(), eq=False, repr=False)
    """The warnings the file silences on purpose (``allow:``), for the analyser."""
    flags: frozenset[str] = frozenset()
    declared_at: Mapping[str, Where] = attrs.field(factory=dict, eq=False, repr=False)
    """Where each flag listed under ``flags:`` is written, for diagnostics about it."""
    author: str = ""
    passing: frozenset[Outcome] | None = None
    """``assessment: {pass: [...]}``: the ending outcomes that pass an assessment run (the
    xAPI statements say passed or failed); None when the scenario sets no pass rule."""
    best_needs: BestNeeds = BestNeeds()
    path: str = attrs.field(default="", eq=False)
    sha256: str = attrs.field(default="", eq=False)
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
            for text in self.texts():  # conditional text reads visits too (format 1.1)
                for guard in text_guards(text):
                    named |= guard.condition.scenes()
            object.__setattr__(self, "_counted", frozenset(named))
        assert self._counted is not None
        return self._counted

    def meter(self, meter_id: str) -> Meter:
        return self.meters[self.meter_index[meter_id]]

    def texts(self) -> Iterator[Prose]:
        """Every text a trainee can read (scenes, choices, endings)."""
        for scene in self.scenes.values():
            yield scene.text
            if scene.reflect is not None:
                yield scene.reflect
            for choice in scene.choices:
                yield from (choice.text, choice.feedback, choice.outcome)
        for ending in self.endings.values():
            yield ending.text
            yield from ending.lessons
