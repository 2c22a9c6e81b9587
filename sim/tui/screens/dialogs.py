"""Small modal questions: leave a scenario?, go back to which decision?, resume?

Each returns its answer through ``dismiss`` so the app can ``push_screen(..., callback)``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sim.sessions.session import Session
from sim.tui.content import choice_text, safe, style_word
from sim.tui.widgets.hanging import Hanging


class AskScreen(ModalScreen[str | None]):
    """A question with a few answers, each on its own line (Enter, click or its first
    letter); Esc answers None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, question: Content, answers: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.title_text
            yield Static(self.question, classes="question")
            yield OptionList(
                *(
                    Option(Content.assemble((label[0], "bold underline"), label[1:]), id=key)
                    for key, label in self.answers
                ),
                markup=False,
                classes="answers",
            )

    def on_key(self, event: events.Key) -> None:
        key = event.character
        for answer, label in self.answers:
            if key and label[0].lower() == key.lower():
                event.stop()
                self.dismiss(answer)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RewindScreen(ModalScreen[int | None]):
    """Pick a decision to go back to; returns the step to rewind to (0 = the start)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        sc = self.session.scenario
        decisions = self.session.decisions()
        width = len(f"{len(decisions)}. ")
        options = []
        for d in decisions:
            scene = sc.scenes.get(d.scene)
            name = scene.label(d.step) if scene is not None else f"Decision {d.step}"
            body = Content.assemble(
                safe(name + ": ", "dim"),
                safe(choice_text(sc, d, self.session.say)),
                "  ",
                style_word(d.style),
            )
            lead = Content.styled(f"{d.step}. ".rjust(width), "bold")
            options.append(Option(Hanging(lead, body), id=str(d.step - 1)))
        with Vertical(id="rewind", classes="dialog") as box:
            box.border_title = "Go back to a decision"
            box.border_subtitle = "Enter picks  \N{MIDDLE DOT}  Esc cancels"
            yield Static(
                Content("Pick the decision to make again. This run is kept in the debrief."),
                classes="question",
            )
            yield OptionList(*options, markup=False, id="rewind-steps")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
