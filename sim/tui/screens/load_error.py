"""The problems of a scenario file being edited under ``--watch``, shown until it loads again.

It sits over whatever the trainee was doing; saving a fixed file closes it by itself. Esc
closes it early to keep playing the last version that loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from sim.format.diagnostics import Diagnostic, omitted
from sim.tui.content import safe
from sim.tui.widgets.keybar import KeyBar
from sim.tui.widgets.titlebar import TitleBar

SHOWN = 12


def problems(diagnostics: Sequence[Diagnostic]) -> Content:
    """The first :data:`SHOWN` problems, then how many more (counting those the loader left
    out of its report, LS005)."""
    more = omitted(diagnostics)
    diagnostics = [d for d in diagnostics if d.code != "LS005"]
    lines: list[Content] = []
    for d in diagnostics[:SHOWN]:
        lines.append(
            Content.assemble(
                (f"line {d.line}, column {d.column}", "bold"),
                f"  [{d.code}]\n",
                safe(d.message),
                ("\n" + d.hint if d.hint else "", "italic"),
            )
        )
    more += max(0, len(diagnostics) - SHOWN)
    if more:
        lines.append(Content(f"... and {more:,} more"))
    return Content("\n\n").join(lines)


class LoadErrorScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Keep playing the last good version")
    ]

    def __init__(self, path: str, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__()
        self.path = path
        self.diagnostics = list(diagnostics)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="load-error", classes="dialog") as box:
            box.border_title = "The scenario file does not load"
            box.border_subtitle = "save the file to try again  \N{MIDDLE DOT}  Esc keeps playing"
            yield Static(safe(self.path, "bold"), id="load-error-path")
            yield Static(problems(self.diagnostics), id="load-error-problems")

    def show(self, path: str, diagnostics: Sequence[Diagnostic]) -> None:
        self.path, self.diagnostics = path, list(diagnostics)
        self.query_one("#load-error-path", Static).update(safe(path, "bold"))
        self.query_one("#load-error-problems", Static).update(problems(diagnostics))

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss()


class WaitingScreen(Screen[None]):
    """Under ``--watch``, before the file has ever loaded: the problems, until it does."""

    def __init__(self, path: str, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__()
        self.path = path
        self.diagnostics = list(diagnostics)

    def compose(self) -> ComposeResult:
        yield TitleBar(safe(self.path, "bold"), "watching for a version that loads")
        with VerticalScroll(id="waiting"):
            yield Static(
                Content.styled(
                    "The scenario file does not load yet. Save it to try again.", "bold"
                ),
                id="waiting-intro",
            )
            yield Static(problems(self.diagnostics), id="load-error-problems")
        yield KeyBar()

    def show(self, path: str, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        self.query_one("#load-error-problems", Static).update(problems(diagnostics))
