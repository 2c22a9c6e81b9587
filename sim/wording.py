"""How the simulator words things every shell shows the same way: re-flowed scene text, the
meter changes of a decision (a capped change included), and a scene's name.

Pure functions over the model and the engine's values (no Textual, no I/O): the text player,
the TUI and the replay screen all call them, so they cannot disagree.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from typing import TYPE_CHECKING

import attrs

from sim.reprs import shared_repr
from sim.safetext import plain

if TYPE_CHECKING:
    from sim.engine import Decision
    from sim.model import Scenario

_LIST_ITEM = re.compile(r"\s|[-*>\N{BULLET}]\s|\d+[.)]\s")


def prose(text: str | None) -> str:
    """Plain ``text`` with its paragraphs re-flowed, ready to wrap at any width.

    Authors hard-wrap scene text at their editor's width (YAML ``|`` blocks keep the breaks);
    shown as is, that width fights the terminal's and leaves ragged half-lines. So a line
    break inside a paragraph becomes a space, except where the author plainly meant it:
    before a list item or an indented line, and after a line much shorter than its
    neighbours (a salutation, a line of verse). Blank lines still separate paragraphs.
    """
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", plain(text or "").strip("\n")):
        lines = block.split("\n")
        widest = max(len(line) for line in lines)
        out = lines[0]
        for before, line in itertools.pairwise(lines):
            keep = _LIST_ITEM.match(line) or len(before.rstrip()) < 0.6 * widest
            out += ("\n" if keep else " ") + (line if keep else line.lstrip())
        paragraphs.append(out.rstrip())
    return "\n\n".join(paragraphs)


def wrap(text: str, width: int, indent: str = "") -> str:
    """``text`` (already plain, e.g. from :func:`prose`) wrapped at word boundaries to
    ``width`` columns, keeping its line breaks and blank lines. A word longer than a line
    is the only thing ever broken."""
    width = max(width - len(indent), 20)
    out = []
    for line in text.split("\n"):
        if not line.strip():
            out.append("")
            continue
        lead = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(
            line.strip(),
            width,
            initial_indent=indent + lead,
            subsequent_indent=indent + lead,
            break_on_hyphens=False,
        )
    return "\n".join(out)


@attrs.frozen
@shared_repr
class Change:
    """One meter's part in a decision: ``delta`` as applied, and ``limit`` ("maximum" or
    "minimum") when the choice moved the meter but it was already at that end."""

    label: str
    delta: int
    limit: str | None = None

    def __str__(self) -> str:
        sign = f"+{self.delta}" if self.delta >= 0 else str(self.delta)
        if self.limit:
            return f"{self.label} {sign} (already at the {self.limit})"
        return f"{self.label} {sign}"


def changes(scenario: Scenario, decision: Decision) -> list[Change]:
    """The meters a decision changed, and those it tried to move past their limit (a +10 at
    100 reads "+0 (already at the maximum)", not as if nothing had been asked)."""
    scene = scenario.scenes.get(decision.scene)
    choice = scene.choice(decision.choice) if scene else None
    pushed: dict[str, int] = {}
    for change in choice.effects.changes if choice else ():
        if change.amount:
            pushed[change.meter] = 1 if change.amount > 0 else -1
    out = []
    for meter, delta in zip(scenario.meters, decision.deltas(), strict=True):
        label = plain(meter.label)
        if delta:
            out.append(Change(label, delta))
        elif meter.id in pushed:
            out.append(Change(label, 0, "maximum" if pushed[meter.id] > 0 else "minimum"))
    return out
