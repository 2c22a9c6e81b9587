"""The map (``m``): the scenario's scenes and endings, where the trainee is and has been.

Scenes are listed in the order a reader meets them (breadth-first from the start), each with
a word for its state (here, visited, not yet), the opening of its text and where its choices
lead; then the endings, marking the one reached and those reached in earlier runs. Words, not
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

from sim.model import sketch
from sim.safetext import plain
from sim.sessions.session import Session
from sim.tui.content import safe
from sim.tui.outline import reading_order, targets
from sim.tui.widgets.hanging import Hanging
from sim.tui.widgets.keybar import KeyBar
from sim.tui.widgets.titlebar import TitleBar

HERE = "\N{BLACK RIGHT-POINTING TRIANGLE} "
SEEN = "\N{CHECK MARK} "
UNSEEN = "\N{MIDDLE DOT} "


def first_line(text: str, limit: int = 160) -> str:
    line = " ".join(plain(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def map_options(session: Session) -> list[Option]:
    sc = session.scenario
    state = session.state
    visits = session.visits()
    earlier = {b.ending for b in session.branches if b.ending}
    options: list[Option] = [Option(Content.styled("Scenes", "bold underline"), disabled=True)]
    for scene_id in reading_order(sc):
        scene = sc.scenes[scene_id]
        if scene_id == state.scene and not state.over:
            lead, status = HERE, Content.styled(" YOU ARE HERE ", "bold reverse")
        elif visits.get(scene_id):
            count = visits[scene_id]
            lead = SEEN
            status = Content.styled("visited" + (f" {count} times" if count > 1 else ""), "bold")
        else:
            lead, status = UNSEEN, Content.styled("not visited", "dim")
        head = Content.assemble((scene_id, "bold"), "  ", status)
        if scene.speaker:
            head = Content.assemble(head, ("  with ", "dim"), safe(scene.speaker, "dim"))
        exits = ", ".join(targets(sc, scene_id))
        body = Content("\n").join(
            [
                head,
                safe(first_line(sketch(scene.text)), "italic"),
                Content.styled(f"leads to: {exits}", "dim"),
                Content(""),  # a blank line between scenes
            ]
        )
        options.append(Option(Hanging(Content(lead), body), id=f"scene:{scene_id}"))
    options.append(Option(Content.styled("Endings", "bold underline"), disabled=True))
    for ending_id, ending in sc.endings.items():
        if state.ending == ending_id:
            lead, status = HERE, Content.styled(" REACHED ", "bold reverse")
        elif ending_id in earlier:
            lead, status = SEEN, Content.styled("reached in an earlier run", "bold")
        else:
            lead, status = UNSEEN, Content.styled("not reached", "dim")
        head = Content.assemble((ending_id, "bold"), "  ", status)
        if ending.outcome:
            head = Content.assemble(head, (f"  {ending.outcome} outcome", "dim"))
        body = Content("\n").join([head, safe(first_line(ending.title), "italic"), Content("")])
        options.append(Option(Hanging(Content(lead), body), id=f"ending:{ending_id}"))
    return options


class MapScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,m,q", "close", "Back")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        visited = len(s.visits())
        info = f"map  \N{MIDDLE DOT}  visited {visited} of {len(s.scenario.scenes)} scenes"
        yield TitleBar(safe(s.scenario.title, "bold"), info)
        yield OptionList(*map_options(s), markup=False, id="map")
        yield KeyBar()

    def on_mount(self) -> None:
        listing = self.query_one("#map", OptionList)
        here = (
            f"ending:{self.session.state.ending}"
            if self.session.over
            else (f"scene:{self.session.state.scene}")
        )
        listing.highlighted = listing.get_option_index(here)
        listing.focus()

    def action_close(self) -> None:
        self.dismiss()
