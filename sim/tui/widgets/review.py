"""The debrief's pieces: the manager/leader balance chart and the timeline of decisions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from sim.engine import Decision
from sim.model import CONTINUE, Scenario
from sim.safetext import plain
from sim.sessions.session import Branch
from sim.tui.content import (
    STYLE_COLOUR,
    Say,
    changes,
    choice_text,
    feedback_text,
    outcome_text,
    safe,
    style_word,
)
from sim.tui.widgets.hanging import Hanging
from sim.tui.widgets.meters import EMPTY, FULL

ROWS = (("manager", "Manager"), ("leader", "Leader"), ("neutral", "Neutral"))


def verdict(tally: Mapping[str, int]) -> str:
    manager, leader = tally["manager"], tally["leader"]
    if manager == leader:
        return "You balanced managing and leading." if manager else "No styled decisions yet."
    side = "leading" if leader > manager else "managing"
    return f"You leaned towards {side}."


class StyleBalance(Widget):
    """One bar per style, each with its word, count and share (readable without colour)."""

    def __init__(self, tally: Mapping[str, int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tally = dict(tally)

    def render(self) -> Content:
        total = sum(self.tally.values())
        tail_width = len(f"{total} of {total} (100%)")
        width = max(self.size.width - 9 - tail_width - 2, 4)
        lines = []
        for key, word in ROWS:
            count = self.tally.get(key, 0)
            filled = round(width * count / total) if total else 0
            share = f"{count} of {total} ({round(100 * count / total)}%)" if total else "0"
            lines.append(
                Content.assemble(
                    (f"{word:<8} ", f"bold {STYLE_COLOUR[key]}"),
                    (FULL * filled, STYLE_COLOUR[key]),
                    (EMPTY * (width - filled), "$foreground 30%"),
                    "  ",
                    share,
                )
            )
        lines.append(Content.styled(verdict(self.tally), "italic"))
        return Content("\n").join(lines)


def decision_body(
    scenario: Scenario, decision: Decision, reflection: str | None, notes: bool, say: Say
) -> Content:
    scene = scenario.scenes.get(decision.scene)
    name = scene.label(decision.step) if scene is not None else f"Decision {decision.step}"
    where = safe(name, "dim")
    if scene is not None and scene.speaker and scene.title and not scene.source:
        where = Content.assemble(where, ("  with ", "dim"), safe(scene.speaker, "dim"))
    lines = [
        where,
        safe(choice_text(scenario, decision, say), "bold"),
        Content.assemble(style_word(decision.style), "   ", changes(scenario, decision)),
    ]
    story = outcome_text(scenario, decision, say)
    if story:
        lines.append(safe(story))
    text = feedback_text(scenario, decision, say) if notes else ""
    if text:
        lines.append(safe(text, "italic"))
    if reflection:
        lines.append(Content.assemble(("You reflected: ", "bold"), safe(reflection)))
    return Content("\n").join(lines)


class Timeline(Vertical):
    """The decisions of this run, numbered, each with its scene, style and meter changes."""

    def __init__(
        self,
        scenario: Scenario,
        decisions: Sequence[Decision],
        reflections: Mapping[int, str],
        say: Say,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.say = say
        self.scenario = scenario
        self.decisions = list(decisions)
        self.reflections = dict(reflections)

    def compose(self) -> ComposeResult:
        width = len(f"{len(self.decisions)}. ")
        for d in self.decisions:
            if d.choice == CONTINUE:
                continue  # reading a narration scene was no decision
            body = decision_body(self.scenario, d, self.reflections.get(d.step), True, self.say)
            yield Static(
                Hanging(Content.styled(f"{d.step}. ".rjust(width), "bold"), body),
                classes="decision",
            )


def branch_summary(scenario: Scenario, number: int, branch: Branch, say: Say) -> Hanging:
    """An earlier run kept by a rewind: where it split off and where it went (its states are
    gone, so ``say`` resolves its texts as they read now)."""
    steps = [
        Content.assemble(style_word(d.style), " ", safe(choice_text(scenario, d, say)))
        for d in branch.decisions
        if d.choice != CONTINUE
    ]
    ending = scenario.endings.get(branch.ending or "")
    end = (
        Content.assemble(("ended: ", "bold"), safe(plain(ending.title)))
        if ending
        else Content.styled("left before an ending", "italic")
    )
    head = Content.styled(f"went back to before decision {branch.from_step + 1}", "dim")
    body = Content("\n").join([head, *steps, end])
    return Hanging(Content.styled(f"Run {number}: ", "bold"), body)
