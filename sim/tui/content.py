"""Every piece of scenario text reaches the screen through here.

Scenario files are untrusted: a title such as ``[@click=app.quit]x[/]`` would run an action if
it were parsed as markup, and an escape sequence could repaint the terminal. So file text is
first passed through :func:`sim.safetext.plain` and then wrapped in a :class:`Content` built from
the plain string, which Textual shows letter for letter. Nothing in the TUI hands file text to
a markup parser; the helpers below are the only way it gets styled.

Styles name theme variables, so the themes (and ``NO_COLOR``) decide the actual colours; every
coloured thing also carries a word, so nothing is told by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content

from sim.model import Prose
from sim.safetext import plain
from sim.wording import changes as meter_changes
from sim.wording import prose

if TYPE_CHECKING:
    from sim.engine import Decision
    from sim.model import Scenario, Scene, Style

Say = Callable[["Prose | None", "int | None"], str]
"""Resolves a text as it reads after a step (``Session.say``)."""

STYLE_WORD: dict[str, str] = {"manager": "MANAGER", "leader": "LEADER", "neutral": "NEUTRAL"}
STYLE_COLOUR: dict[str, str] = {
    "manager": "$primary",
    "leader": "$accent",
    "neutral": "$foreground-muted",
}
STYLE_MEANING: dict[str, str] = {
    "manager": "managing: control, tasks, structure, authority",
    "leader": "leading: influence, people, meaning, asking the team",
    "neutral": "neither: a practical move that leans to no side",
}
MINUS = "\N{MINUS SIGN}"


def safe(text: str | None, style: str = "") -> Content:
    """File text as literal, optionally styled, content."""
    return Content.styled(plain(text or ""), style)


def signed(delta: int) -> str:
    """``+10`` / ``−5`` with a real minus sign, so the sign reads at a glance."""
    return f"+{delta}" if delta >= 0 else f"{MINUS}{-delta}"


def delta_style(delta: int) -> str:
    return "bold $text-success" if delta > 0 else "bold $text-error" if delta < 0 else ""


def style_badge(style: Style | str) -> Content:
    """The decision style as a word on a coloured ground (the word carries the meaning)."""
    word = STYLE_WORD.get(style, style.upper())
    return Content.styled(f" {word} ", f"bold reverse {STYLE_COLOUR.get(style, '')}".strip())


def style_word(style: Style | str) -> Content:
    word = STYLE_WORD.get(style, style.upper())
    return Content.styled(word, f"bold {STYLE_COLOUR.get(style, '')}".strip())


def changes(scenario: Scenario, decision: Decision, separator: str = "   ") -> Content:
    """The meter changes a decision made, e.g. ``Team trust +10   Results −5``; a change a
    limit swallowed reads ``Results +0 (already at the maximum)``."""
    parts: list[Content] = []
    for change in meter_changes(scenario, decision):
        part = Content.assemble(
            safe(change.label), " ", (signed(change.delta), delta_style(change.delta))
        )
        if change.limit:
            part = Content.assemble(part, (f" (already at the {change.limit})", "italic"))
        parts.append(part)
    if not parts:
        return Content.styled("no meter changed", "italic")
    return Content(separator).join(parts)


def prompt_for(scene: Scene) -> str:
    """The line above the choices: a narration scene only asks the trainee to go on."""
    return "Read on: Enter continues." if scene.narration else "What do you do?"


def choice_text(scenario: Scenario, decision: Decision, say: Say) -> str:
    """The plain text of the choice a decision took ('' if the scenario no longer has it);
    ``say`` resolves it as it read before the decision."""
    scene = scenario.scenes.get(decision.scene)
    choice = scene.choice(decision.choice) if scene else None
    return plain(say(choice.text, decision.step - 1)) if choice else decision.choice


def feedback_text(scenario: Scenario, decision: Decision, say: Say) -> str:
    """The coach's feedback on a decision, resolved by ``say`` as it reads after it."""
    scene = scenario.scenes.get(decision.scene)
    choice = scene.choice(decision.choice) if scene else None
    return prose(say(choice.feedback, decision.step)) if choice else ""


def outcome_text(scenario: Scenario, decision: Decision, say: Say) -> str:
    """What happened next in the story (a choice's ``outcome``), resolved by ``say`` as it
    reads after the decision; shown in every feedback mode."""
    scene = scenario.scenes.get(decision.scene)
    choice = scene.choice(decision.choice) if scene else None
    return prose(say(choice.outcome, decision.step)) if choice else ""
