"""Help (``?`` or F1): the keys, what the meters mean, and what the three styles are."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from sim.model import Scenario
from sim.tui.content import STYLE_MEANING, safe, style_badge
from sim.tui.widgets.hanging import Hanging

KEYS = (
    (
        "Library",
        "type to filter, \N{UPWARDS ARROW}\N{DOWNWARDS ARROW} to move, Enter to start, "
        "Esc to clear the filter, F5 to read the files again, F6 the cohort report",
    ),
    (
        "Play",
        "1-9 pick a choice; or move to one with \N{UPWARDS ARROW}\N{DOWNWARDS ARROW} and press "
        "Enter (Enter alone never picks); or click it. Enter continues after the feedback "
        "and on a scene you only read. "
        "PgUp/PgDn or the wheel scroll a long scene. m shows your path so far; Esc goes back "
        "to the library (leaving an assessment abandons the attempt). Keys typed while a "
        "new scene appears are ignored",
    ),
    (
        "Debrief",
        "\N{UPWARDS ARROW}\N{DOWNWARDS ARROW}, PgUp/PgDn, Home/End or the wheel scroll; "
        "p plays again, r goes back to any decision to try the other path, Esc library",
    ),
    (
        "Cohort",
        "\N{LEFTWARDS ARROW}\N{RIGHTWARDS ARROW} switch scenario, \N{UPWARDS ARROW}"
        "\N{DOWNWARDS ARROW} PgUp PgDn scroll, Esc back to the library",
    ),
    ("Map", "\N{UPWARDS ARROW}\N{DOWNWARDS ARROW} to move, Esc or m to close"),
    ("Anywhere", "? or F1 this help, Ctrl+P commands (restart, library, theme), Ctrl+Q quit"),
)


def key_rows() -> list[Hanging]:
    return [Hanging(Content.styled(f"{where:<10}", "bold"), Content(keys)) for where, keys in KEYS]


def meters_text(scenario: Scenario | None) -> Content:
    lines = [
        Content.styled("Meters", "bold underline"),
        Content(
            "Meters show how the situation stands: each bar is a meter's value between its "
            "minimum and maximum, and the number beside it (such as +10) is what your last "
            "decision changed. Good endings usually need more than one meter high."
        ),
    ]
    if scenario is not None:
        for meter in scenario.meters:
            lines.append(
                Content.assemble(
                    "\N{BULLET} ",
                    safe(meter.label, "bold"),
                    f": {meter.min} to {meter.max}, starts at {meter.start}",
                )
            )
    lines += [Content(""), Content.styled("Styles", "bold underline")]
    lines.append(
        Content(
            "Every choice is managing, leading or neutral. Neither side wins alone; the "
            "feedback and the debrief show which you chose and what it did."
        )
    )
    for style, meaning in STYLE_MEANING.items():
        lines.append(Content.assemble(style_badge(style), " ", meaning))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
    ]

    def __init__(self, scenario: Scenario | None = None) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog") as box:
            box.border_title = "Help"
            box.border_subtitle = "Esc closes"
            yield Static(Content.styled("Keys", "bold underline"))
            for row in key_rows():
                yield Static(row)
            yield Static(meters_text(self.scenario), id="help-meters")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss()
