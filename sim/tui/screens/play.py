"""Play: the scene, the numbered choices, the meters, and the feedback after each decision.

The screen drives a :class:`Session` (the same shell the text mode uses), so a decision here
does exactly what it does there. It shows one of two things below the scene: the choices, or
the feedback on the decision just made. In ``debrief`` feedback mode the feedback is skipped
(unless the scene asks a reflection question) and everything is shown at the end.

Layout: the choices (or the feedback) sit in a panel pinned to the bottom and take the room
they need, so every choice and the whole feedback are on screen at 80x24 and up; the scene
text scrolls on its own above them (PageUp/PageDown, the wheel), with a line saying when text
is cut above or below.

Keys: a decision takes a deliberate act on a choice: its number, a click, or moving to it
with the arrows and then Enter (no choice is highlighted until the trainee moves, so Enter
alone never picks). Enter on the feedback only continues. Keys that arrive within
:attr:`Options.settle` seconds of a new scene or feedback appearing are dropped: they were
typed for the screen before (a double Enter, a number pressed twice).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sim.engine import ChoiceNotOffered, Decision
from sim.sessions.session import Session
from sim.tui.content import prompt_for, safe
from sim.tui.messages import BackToLibrary, ChoicePicked, FeedbackDone, PlayFinished
from sim.tui.styled import StyledOnce
from sim.tui.widgets.choices import ChoiceList
from sim.tui.widgets.feedback import FeedbackPanel
from sim.tui.widgets.keybar import KeyBar
from sim.tui.widgets.meters import MetersPanel
from sim.tui.widgets.scene import SceneView
from sim.tui.widgets.titlebar import TitleBar

Phase = Literal["choosing", "feedback"]


class SceneScroll(VerticalScroll, can_focus=False):
    """The scene text's own scroll. Its size changes when the panel below it grows or
    shrinks (choices, feedback), which moves what it can show: ``changed`` is told then,
    as well as when it scrolls or its text changes."""

    def __init__(self, changed: Callable[[], None], *, id: str) -> None:
        super().__init__(id=id)
        self.changed = changed

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._later, init=False)
        self.watch(self, "virtual_size", self._later, init=False)

    def on_resize(self) -> None:
        self._later()

    def _later(self) -> None:
        """After the layout settles: mid-layout, size and content may not agree yet."""
        self.call_after_refresh(self.changed)


class PlayScreen(StyledOnce):
    """Keys are the screen's, not a focused widget's: nothing takes the focus here except the
    reflection box, so a decision does not move the focus (and restyle the widgets) twice."""

    AUTO_FOCUS = ""
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]  # type: ignore[misc]  # Textual annotates it "ClassVar[...] | None"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                str(n), f"pick({n})", "Choose" if n == 1 else "", show=n == 1, key_display="1-9"
            )
            for n in range(1, 10)
        ),
        Binding("up", "cursor('up')", "Previous", show=False),
        Binding("down", "cursor('down')", "Next", show=False),
        Binding("home", "cursor('first')", "First", show=False),
        Binding("end", "cursor('last')", "Last", show=False),
        Binding("enter", "select", "Choose", show=False),
        Binding("enter,space", "carry_on", "Continue", key_display="\N{RETURN SYMBOL}"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
        Binding("pagedown", "scroll('page_down')", "Page down", show=False),
        Binding("ctrl+home", "scroll('home')", "Scene top", show=False),
        Binding("ctrl+end", "scroll('end')", "Scene end", show=False),
        Binding("escape", "leave", "Library"),
        Binding("m", "app.map", "Map"),
    ]

    def __init__(self, session: Session, settle: float = 0.0) -> None:
        super().__init__()
        self.session = session
        self.phase: Phase = "choosing"
        self.settle = settle
        self._shown_at = 0.0

    def compose(self) -> ComposeResult:
        yield TitleBar(safe(self.session.scenario.title, "bold"))
        with Horizontal(id="play-body"):
            yield MetersPanel(self.session.scenario.meters, id="meters")
            with Vertical(id="play-main"):
                with SceneScroll(self._cue, id="scene-scroll"):
                    yield SceneView(id="scene")
                yield Static(id="scene-more")
                with VerticalScroll(id="decide", can_focus=False):
                    yield Static(id="prompt")
                    yield ChoiceList(id="choices")
                    yield FeedbackPanel(id="feedback")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_scene()

    def _cue(self) -> None:
        """Say when the scene text is cut above or below (it scrolls on its own)."""
        scroll = self.query_one("#scene-scroll", VerticalScroll)
        above = scroll.scroll_y > 0
        below = scroll.scroll_y < scroll.max_scroll_y
        cue = self.query_one("#scene-more", Static)
        if scroll.size.height < 1 or not (above or below):
            cue.display = False
            return
        parts = []
        if above:
            parts.append("\N{BLACK UP-POINTING TRIANGLE} more above")
        if below:
            parts.append("\N{BLACK DOWN-POINTING TRIANGLE} more below")
        cue.update(Content("  ".join(parts) + "  (PgUp/PgDn or the mouse wheel)"))
        cue.display = True

    def _ready(self) -> bool:
        """False while keys typed for the previous screen may still be arriving."""
        return time.monotonic() - self._shown_at >= self.settle

    def _shown(self) -> None:
        self._shown_at = time.monotonic()
        self.call_after_refresh(self._cue)

    # -- showing --

    def _info(self) -> Content:
        s = self.session
        number = s.step + 1 if self.phase == "choosing" else s.step
        parts: list[Content | str] = []
        if s.mode == "assessment":  # first: it must not be cut off on a narrow terminal
            parts.append(Content.styled(" ASSESSMENT ", "bold reverse"))
        if s.trainee:
            parts.append(safe(s.trainee, "bold"))
        parts += [f"decision {number}", f"feedback: {s.feedback}"]
        return Content("  \N{MIDDLE DOT}  ").join(parts)

    def _show_meters(self, decision: Decision | None) -> None:
        self.query_one(MetersPanel).show(
            self.session.state.meters, decision.deltas() if decision else None
        )

    def show_scene(self) -> None:
        """Show the current scene and its choices (the session is not over)."""
        s = self.session
        self.phase = "choosing"
        self.refresh_bindings()
        self.query_one(TitleBar).set(info=self._info())
        self._show_meters(s.state.last)
        scene = s.scenario.scenes[s.state.scene]
        self.query_one(SceneView).show(scene, s.say(scene.text))
        prompt = self.query_one("#prompt", Static)
        prompt.update(Content.styled(prompt_for(scene), "bold"))
        prompt.display = True
        self.query_one(FeedbackPanel).display = False
        choices = self.query_one(ChoiceList)
        choices.display = True
        choices.show(s.offers(), s.say)
        self.set_focus(None)  # the reflection box may have had it
        self.query_one("#scene-scroll", VerticalScroll).scroll_home(animate=False)
        self.query_one("#decide", VerticalScroll).scroll_home(animate=False)
        self._shown()

    def show_feedback(self, decision: Decision) -> None:
        s = self.session
        self.phase = "feedback"
        self.refresh_bindings()
        self.query_one(TitleBar).set(info=self._info())
        self._show_meters(decision)
        self.query_one("#prompt", Static).display = False
        self.query_one(ChoiceList).display = False
        panel = self.query_one(FeedbackPanel)
        panel.display = True
        question = s.say(s.scenario.scenes[decision.scene].reflect) or None
        panel.show(s.scenario, decision, s.feedback or "coach", question, s.over, s.say)
        self.query_one("#decide", VerticalScroll).scroll_home(animate=False)
        self._shown()

    # -- acting --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "cursor", "select"):
            return self.phase == "choosing"
        if action == "carry_on":
            return self.phase == "feedback"
        return True

    def action_cursor(self, where: str) -> None:
        if not self._ready():
            return
        choices = self.query_one(ChoiceList)
        {
            "up": choices.action_cursor_up,
            "down": choices.action_cursor_down,
            "first": choices.action_first,
            "last": choices.action_last,
        }[where]()

    def action_select(self) -> None:
        if not self._ready():
            return
        choices = self.query_one(ChoiceList)
        if choices.highlighted is None:
            s = self.session
            if s.scenario.scenes[s.state.scene].narration:
                # A narration scene has one way on and says "Enter continues": nothing to
                # pick by mistake, so Enter reads on (the settle delay still applies).
                choices.pick(1)
                return
            count = len(choices.numbered)
            self.notify(
                f"Press a choice's number (1-{count}), or move to it with the arrows first.",
                markup=False,
            )
            return
        choices.action_select()

    def action_carry_on(self) -> None:
        if self._ready():
            self.query_one(FeedbackPanel).action_done()

    def action_scroll(self, where: str) -> None:
        scene = self.query_one("#scene-scroll", VerticalScroll)
        {
            "page_up": scene.scroll_page_up,
            "page_down": scene.scroll_page_down,
            "home": scene.scroll_home,
            "end": scene.scroll_end,
        }[where](animate=False)

    def action_pick(self, number: int) -> None:
        if not self._ready():
            return
        if self.phase == "choosing" and not self.query_one(ChoiceList).pick(number):
            count = len(self.query_one(ChoiceList).numbered)
            self.notify(f"There is no choice {number} here (1-{count}).", markup=False)

    def on_choice_picked(self, message: ChoicePicked) -> None:
        message.stop()
        if self.phase != "choosing":
            return
        try:
            decision = self.session.choose(message.choice_id)
        except ChoiceNotOffered:
            self.notify("That choice is not available now.", severity="warning", markup=False)
            return
        scene = self.session.scenario.scenes[decision.scene]
        question = self.session.say(scene.reflect)
        if (self.session.feedback == "debrief" or scene.narration) and not question:
            self._next()
        else:
            self.show_feedback(decision)

    def on_feedback_done(self, message: FeedbackDone) -> None:
        message.stop()
        if self.phase != "feedback":
            return
        if not self._ready():
            return
        if message.reflection.strip():
            self.session.reflect(message.reflection)
        self._next()

    def _next(self) -> None:
        """On to the next scene, or (once the session has ended) to the debrief."""
        if self.session.over:
            self.phase = "feedback"  # no more picking while the debrief opens
            self.post_message(PlayFinished())
        else:
            self.show_scene()

    def action_leave(self) -> None:
        self.post_message(BackToLibrary())
