"""What a decision did, shown right after it, as the feedback mode allows.

``coach`` shows the decision's style (as a word on a coloured ground) and the author's feedback;
``consequences`` shows only the meter changes and keeps the rest for the debrief. A scene's
reflection question is asked here; the answer may be left empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from sim.engine import Decision
from sim.model import CONTINUE, Scenario
from sim.tui.content import (
    STYLE_MEANING,
    Say,
    changes,
    choice_text,
    feedback_text,
    outcome_text,
    safe,
    style_badge,
)
from sim.tui.messages import FeedbackDone

if TYPE_CHECKING:
    from textual.widgets import Input


class FeedbackPanel(Vertical):
    """Enter (a binding of the play screen, or the reflection box's own) continues; the
    bottom border says so, which keeps the panel short enough for 80x24."""

    def _build(self) -> None:
        """Mount the panel's widgets when it is first shown, not with the play screen: the
        first scene appears without styling and laying out a hidden panel (and an Input)."""
        if self.children:
            return
        from textual.widgets import Input

        # One Static for everything but the question: fewer widgets to lay out per decision.
        self.mount_all(
            [
                Static(id="fb-body"),
                Static(id="fb-question"),
                Input(
                    placeholder="Your answer (or just press Enter to skip)",
                    id="fb-answer",
                    compact=True,
                    max_length=500,
                ),
            ]
        )

    def show(
        self,
        scenario: Scenario,
        decision: Decision,
        mode: str,
        question: str | None,
        last: bool,
        say: Say,
    ) -> None:
        """Fill the panel for ``decision``; ``last`` says the next screen is the debrief;
        ``say`` resolves the texts (``Session.say``)."""
        from textual.widgets import Input

        self._build()
        coach = mode == "coach" and decision.choice != CONTINUE  # narration: no style
        self.border_title = "You chose"
        lines = [safe(choice_text(scenario, decision, say), "bold")]
        story = outcome_text(scenario, decision, say)
        if story:
            lines.append(Content(story))
        if coach:
            lines.append(
                Content.assemble(
                    style_badge(decision.style), "  ", (STYLE_MEANING[decision.style], "italic")
                )
            )
            note = feedback_text(scenario, decision, say)
            if note:
                lines.append(Content(note))
        lines.append(Content.assemble(("Changes: ", "bold"), changes(scenario, decision)))
        self.query_one("#fb-body", Static).update(Content("\n").join(lines))
        asked = self.query_one("#fb-question", Static)
        answer = self.query_one("#fb-answer", Input)
        if asked.display != bool(question):
            asked.display = answer.display = bool(question)
        answer.value = ""
        if question:
            asked.update(Content.assemble(("Reflect: ", "bold"), safe(question)))
        after = "see your debrief" if last else "continue"
        if question:
            hint = Content.assemble(("Enter", "bold"), f": save your answer and {after}")
        else:
            hint = Content.assemble(("Enter", "bold"), f": {after}")
        if not coach:
            hint = Content.assemble(hint, (" (style and notes: in the debrief)", "italic"))
        self.border_subtitle = hint
        if question:
            answer.focus(scroll_visible=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_done()

    def action_done(self) -> None:
        from textual.widgets import Input

        if not self.children:
            return  # never shown: nothing to continue from
        answer = self.query_one("#fb-answer", Input)
        self.post_message(FeedbackDone(answer.value if answer.display else ""))
