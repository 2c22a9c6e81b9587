"""The meters panel: each meter as a labelled bar, its value, and what the last decision did.

A row is one line (label, bar, value, change) when the panel sits above the scene on a narrow
terminal, and two lines (label, value and change; then the bar) in the side panel of a wide
one. The CSS picks the height; the row draws whatever fits it. The bar is drawn with two
different characters, so it reads without colour too.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from sim.model import Meter
from sim.safetext import plain
from sim.tui.content import delta_style, signed

FULL = "\N{FULL BLOCK}"
EMPTY = "\N{LIGHT SHADE}"


def bar(value: int, meter: Meter, width: int) -> Content:
    span = meter.max - meter.min
    filled = round(width * (value - meter.min) / span) if span > 0 else 0
    filled = min(max(filled, 0), width)
    return Content.assemble(
        (FULL * filled, "$success" if filled else ""), (EMPTY * (width - filled), "$foreground 30%")
    )


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis, padded to exactly ``width``."""
    if cell_len(text) > width:
        while text and cell_len(text) > width - 1:
            text = text[:-1]
        text += "\N{HORIZONTAL ELLIPSIS}"
    return text + " " * max(width - cell_len(text), 0)


class MeterRow(Widget):
    """One meter. ``delta`` is the change the last decision made (None before any)."""

    value: reactive[int] = reactive(0)
    delta: reactive[int | None] = reactive(None)

    def __init__(self, meter: Meter, label_width: int, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="meter")
        self.meter = meter
        self.label = plain(meter.label)
        self.label_width = label_width
        self.value = meter.start
        number = max(len(str(meter.max)), len(str(meter.min)))
        self.value_width = 2 * number + 1
        self.delta_width = number + 1

    def _value(self) -> str:
        return f"{self.value}/{self.meter.max}".rjust(self.value_width)

    def _delta(self) -> Content:
        if not self.delta:
            return Content(" " * self.delta_width)
        text = signed(self.delta).rjust(self.delta_width)
        return Content.styled(text, delta_style(self.delta))

    def render(self) -> Content:
        width = self.size.width
        if self.size.height >= 2:
            tail = Content.assemble(self._value(), " ", self._delta())
            label = _fit(self.label, max(width - tail.cell_length - 1, 1))
            return Content("\n").join(
                [Content.assemble((label, "bold"), " ", tail), bar(self.value, self.meter, width)]
            )
        label = _fit(self.label, min(self.label_width, max(width // 3, 4)))
        fixed = cell_len(label) + self.value_width + self.delta_width + 3
        return Content.assemble(
            (label, "bold"),
            " ",
            bar(self.value, self.meter, max(width - fixed, 4)),
            " ",
            self._value(),
            " ",
            self._delta(),
        )


class MetersPanel(Vertical):
    """All of a scenario's meters, in file order."""

    def __init__(self, meters: Sequence[Meter], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meters = tuple(meters)

    def compose(self) -> ComposeResult:
        width = min(max((cell_len(plain(m.label)) for m in self.meters), default=4), 22)
        for i, meter in enumerate(self.meters):
            yield MeterRow(meter, width, id=f"meter-{i}")

    def show(self, values: Sequence[int], deltas: Sequence[int] | None = None) -> None:
        for i, row in enumerate(self.query(MeterRow)):
            row.value = values[i]
            row.delta = deltas[i] if deltas is not None else None
