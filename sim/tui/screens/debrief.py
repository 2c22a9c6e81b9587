"""Debrief: how the run ended, the final meters, the decisions, the style balance, the lean on
each trait pair, the lessons, and the earlier runs a rewind kept.

From here the trainee plays again, goes back to any decision to try the other path (not in an
assessment), or returns to the library.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sim.engine import tally_by_style
from sim.safetext import plain
from sim.sessions.session import Session
from sim.traits import trait_lean
from sim.tui.content import prose, safe
from sim.tui.messages import BackToLibrary, PlayAgain, RewindAsked
from sim.tui.styled import StyledOnce
from sim.tui.widgets.hanging import Hanging
from sim.tui.widgets.keybar import KeyBar
from sim.tui.widgets.meters import MetersPanel
from sim.tui.widgets.review import StyleBalance, Timeline, branch_summary
from sim.tui.widgets.titlebar import TitleBar

OUTCOME_STYLE = {
    "best": "$success",
    "good": "$success",
    "mixed": "$warning",
    "poor": "$error",
}


def bullet(text: Content) -> Hanging:
    """A list item whose second line lines up under its first."""
    return Hanging(Content("\N{BULLET} "), text)


def heading(text: str) -> Static:
    return Static(Content.styled(text, "bold underline"), classes="heading")


class DebriefScreen(StyledOnce):
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (120, "-wide")]  # type: ignore[misc]  # Textual annotates it "ClassVar[...] | None"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "again", "Play again"),
        Binding("r", "rewind", "Go back"),
        Binding("escape", "leave", "Library"),
        Binding("m", "app.map", "Map"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        sc = s.scenario
        ending = sc.endings[s.state.ending or ""]
        info = [Content("debrief"), Content(f"seed {s.seed}")]  # the seed replays the chances
        if s.trainee:
            info.insert(0, safe(s.trainee, "bold"))
        yield TitleBar(safe(sc.title, "bold"), Content("  \N{MIDDLE DOT}  ").join(info))
        with VerticalScroll(id="debrief"):
            with Vertical(id="debrief-left", classes="column"):
                title = Content.assemble(("Ending: ", "bold"), safe(ending.title, "bold"))
                if ending.outcome:
                    badge = f"bold reverse {OUTCOME_STYLE[ending.outcome]}"
                    title = Content.assemble(
                        title, "  ", (f" {ending.outcome.upper()} ", badge), " outcome"
                    )
                yield Static(title, id="ending-title")
                if s.mode == "assessment":
                    yield Static(
                        Content.assemble(
                            (" ASSESSMENT ", "bold reverse"),
                            " This was an assessment: going back was switched off.",
                        ),
                        id="assessment",
                    )
                yield Static(Content(prose(s.say(ending.text))), id="ending-text")
                yield heading("Final meters (change since the start)")
                meters = MetersPanel(sc.meters, id="final-meters")
                yield meters
                yield heading("Managing or leading")
                yield StyleBalance(tally_by_style(s.state), id="balance")
                leaning = trait_lean(s.decisions())
                if leaning:
                    yield heading("Where you leaned (manager:leader)")
                    with Vertical(id="lean", classes="bullets"):
                        for line in leaning:
                            yield Static(bullet(Content(plain(line))))
                if ending.lessons:
                    yield heading("Lessons")
                    with Vertical(id="lessons", classes="bullets"):
                        for lesson in filter(None, map(s.say, ending.lessons)):
                            yield Static(bullet(safe(lesson)))
            with Vertical(id="debrief-right", classes="column"):
                yield heading("Your decisions")
                yield Timeline(sc, s.decisions(), s.reflections, s.say, id="timeline")
                if s.branches:
                    yield heading("Earlier runs (kept when you went back)")
                    for i, branch in enumerate(s.branches, 1):
                        yield Static(
                            branch_summary(sc, i, branch, lambda t, _: s.say(t)), classes="branch"
                        )
                yield Static(self._actions(), id="debrief-actions")
        yield KeyBar()

    def _actions(self) -> Content:
        parts: list[Content | str] = [Content.assemble(("p", "bold"), " play again")]
        if self.session.mode != "assessment":
            parts.append(
                Content.assemble(("r", "bold"), " go back to a decision and try another path")
            )
        parts.append(Content.assemble(("Esc", "bold"), " library"))
        return Content("   ").join(parts)

    def on_mount(self) -> None:
        s = self.session
        start = tuple(m.start for m in s.scenario.meters)
        final = s.state.meters
        self.query_one("#final-meters", MetersPanel).show(
            final, tuple(f - b for f, b in zip(final, start, strict=True))
        )
        self.query_one("#debrief", VerticalScroll).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In an assessment going back is off: the key is not offered at all.
        return not (action == "rewind" and self.session.mode == "assessment")

    def action_rewind(self) -> None:
        self.post_message(RewindAsked())

    def action_again(self) -> None:
        self.post_message(PlayAgain())

    def action_leave(self) -> None:
        self.post_message(BackToLibrary())
