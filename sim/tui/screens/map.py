"""The map (``m``): the trainee's path so far: each scene they have been through, what they
chose there, where they are now, and (once it is over) the ending they reached.

Nothing the trainee has not seen is shown: no unvisited scene, no scene ids, no route ahead,
no ending before the end. A map of the whole scenario would be a spoiler (and in an
assessment, a crib sheet); so the same map serves practice and assessment. Words, not
colours, carry the state, and the list scrolls, so it reads at 80x24 and without colour.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sim.model import CONTINUE
from sim.safetext import plain
from sim.sessions.session import Session
from sim.tui.content import choice_text, safe, style_word
from sim.tui.widgets.hanging import Hanging
from sim.tui.widgets.keybar import KeyBar
from sim.tui.widgets.review import branch_summary
from sim.tui.widgets.titlebar import TitleBar

HERE = "\N{BLACK RIGHT-POINTING TRIANGLE} "
SEEN = "\N{CHECK MARK} "


def first_line(text: str, limit: int = 160) -> str:
    line = " ".join(plain(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def map_options(session: Session) -> list[Option]:
    sc = session.scenario
    state = session.state
    show_style = session.feedback == "coach"  # other modes keep the style for the debrief
    options: list[Option] = [Option(Content.styled("Your path", "bold underline"), disabled=True)]
    for d in session.decisions():
        scene = sc.scenes.get(d.scene)
        name = scene.label(d.step) if scene is not None else f"Decision {d.step}"
        if d.choice == CONTINUE:  # a narration scene: read, nothing chosen
            chose = Content.styled("read on", "dim")
        else:
            chose = Content.assemble(
                ("you chose: ", "dim"), safe(choice_text(sc, d, session.say), "italic")
            )
        if show_style and d.choice != CONTINUE:
            chose = Content.assemble(chose, "  ", style_word(d.style))
        body = Content("\n").join([safe(f"{d.step}. {name}", "bold"), chose, Content("")])
        options.append(Option(Hanging(Content(SEEN), body), id=f"step:{d.step}"))
    if not state.over:
        scene = sc.scenes[state.scene]
        head = Content.assemble(
            safe(f"{session.step + 1}. {scene.label(session.step + 1)}", "bold"),
            "  ",
            (" YOU ARE HERE ", "bold reverse"),
        )
        body = Content("\n").join(
            [head, safe(first_line(session.say(scene.text)), "italic"), Content("")]
        )
        options.append(Option(Hanging(Content(HERE), body), id="here"))
    else:
        ending = sc.endings[state.ending or ""]
        head = Content.assemble(
            ("Ending: ", "bold"), safe(ending.title, "bold"), "  ", (" REACHED ", "bold reverse")
        )
        if ending.outcome:
            head = Content.assemble(head, (f"  {ending.outcome} outcome", "dim"))
        options.append(Option(Hanging(Content(HERE), Content("\n").join([head, Content("")]))))
    if session.branches:
        options.append(Option(Content.styled("Earlier runs", "bold underline"), disabled=True))
        for i, branch in enumerate(session.branches, 1):
            options.append(Option(branch_summary(sc, i, branch, session.say)))
    options.append(
        Option(
            Content.styled(
                "The map shows only where you have been: the rest of the scenario stays "
                "hidden until you get there.",
                "dim italic",
            ),
            disabled=True,
        )
    )
    return options


class MapScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,m,q", "close", "Back")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        count = len(s.decisions())
        info = f"map  \N{MIDDLE DOT}  your path: {count} decision{'' if count == 1 else 's'}"
        yield TitleBar(safe(s.scenario.title, "bold"), info)
        yield OptionList(*map_options(s), markup=False, id="map")
        yield KeyBar()

    def on_mount(self) -> None:
        listing = self.query_one("#map", OptionList)
        if not self.session.over:
            listing.highlighted = listing.get_option_index("here")
        listing.focus()

    def action_close(self) -> None:
        self.dismiss()
