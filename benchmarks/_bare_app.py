"""The baseline for start-up: a bare Textual app with the same kinds of widgets as leadsim's
library screen (a one-line title, a filter Input, an OptionList of five rows, a one-line key
bar), and nothing else: no data files, no workers.

    python benchmarks/_bare_app.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList, Static

ROWS = ["Friday Shipment", "Check-in", "Informal Leader", "Consultant Office", "Red Tape"]


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(" bare  Scenario library")
        yield Input(placeholder="Filter")
        yield OptionList(*ROWS)
        yield Static(" Enter open  F1 help  Ctrl+Q quit")


if __name__ == "__main__":
    Bare().run()
