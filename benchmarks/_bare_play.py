"""The baseline for `leadsim play X` start-up: a bare Textual app with the same kinds of
widgets as leadsim's play screen at 80x24 (a one-line title; two meter rows drawn as text
bars; a scrolling scene text of about 600 characters with a cue line below it; a prompt and
an OptionList of three two-line options in a scrolling area; a one-line key bar), and nothing
else: no data files, no scenario, no session, no log.

    python benchmarks/_bare_play.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static

SCENE = (
    "Monday morning. You lead a small team that packs and ships orders for a regional "
    "customer, and the phone has been ringing since eight. The customer needs a large "
    "order delivered by Friday afternoon, earlier than anyone planned for, because their "
    "own supplier has failed them at the last moment.\n\n"
    '"We open a new wing next week and nothing works without these parts. I need them on '
    'our dock by Friday at four, or the whole opening slips. Can you do it?" '
    "The team is at their desks. Nobody has heard about it yet."
)
OPTIONS = [
    "Spend the morning on stock levels and supplier times, so you know what is possible "
    "before you brief anyone.",
    "Plan the work at your desk and give each person one task with a due time written on a "
    "sheet before ten.",
    "Book a room for half past nine, tell the team what Friday means for the customer and "
    "ask how they would do it.",
]
BAR = "\N{FULL BLOCK}" * 27 + "\N{LIGHT SHADE}" * 28
CSS = """
#title { dock: top; height: 1; padding: 0 1; }
#keys { dock: bottom; height: 1; }
#body { layout: vertical; height: 1fr; }
#meters { height: auto; border-bottom: solid $primary; }
.meter { height: 1; padding: 0 1; }
#scene-scroll { height: 1fr; padding: 0 1; }
#more { height: 1; padding: 0 1; }
#decide { height: auto; max-height: 60%; border-top: solid $primary; }
#prompt { padding: 0 1; }
#choices { height: auto; border: none; }
"""


class BarePlay(App[None]):
    CSS = CSS

    def compose(self) -> ComposeResult:
        yield Static(" bare  A Scenario  \N{MIDDLE DOT}  decision 1", id="title")
        with Horizontal(id="body"):
            with Vertical(id="meters"):
                yield Static(f"Team trust {BAR}  50/100", classes="meter")
                yield Static(f"Results    {BAR}  50/100", classes="meter")
            with Vertical():
                with VerticalScroll(id="scene-scroll"):
                    yield Static(SCENE)
                yield Static("\N{BLACK DOWN-POINTING TRIANGLE} more below", id="more")
                with VerticalScroll(id="decide"):
                    yield Static("What do you do?", id="prompt")
                    yield OptionList(*(f"{i}. {t}" for i, t in enumerate(OPTIONS, 1)), id="choices")
        yield Static(" 1-9 Choose   esc Library   m Map   F1 Help", id="keys")


if __name__ == "__main__":
    BarePlay().run()
