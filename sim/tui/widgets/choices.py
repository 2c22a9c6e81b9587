"""The offered choices as a numbered list: keys 1-9, arrows and Enter, or the mouse.

Only available choices get numbers, as in the text mode; a locked choice is listed disabled,
marked with a dash and its reason, so the trainee sees the road not open to them. The style
of a choice is never shown here: the trainee decides first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.containers import ScrollableContainer
from textual.content import Content
from textual.geometry import Region
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sim.engine import Offer
from sim.model import Prose
from sim.tui.content import safe
from sim.tui.messages import ChoicePicked
from sim.tui.widgets.hanging import Hanging

LOCKED = "\N{EN DASH} "


class ChoiceList(OptionList, can_focus=False):
    """Not focusable: the play screen's keys drive it, and the mouse still picks."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.numbered: list[str] = []

    def show(self, offers: Sequence[Offer], say: Callable[[Prose], str]) -> None:
        """Replace the list with ``offers`` (texts resolved by ``say``), nothing highlighted:
        Enter picks only after the trainee has moved to a choice."""
        self.numbered = [o.choice.id for o in offers if o.available]
        width = len(f"{len(self.numbered)}. ")
        options: list[Option] = []
        number = 0
        for offer in offers:
            if offer.available:
                number += 1
                lead = Content.styled(f"{number}. ".rjust(width), "bold")
                options.append(
                    Option(Hanging(lead, safe(say(offer.choice.text))), id=offer.choice.id)
                )
            else:
                body = Content.assemble(
                    safe(say(offer.choice.text)),
                    ("  (locked: ", "italic"),
                    safe(offer.reason or "not available now", "italic"),
                    (")", "italic"),
                )
                options.append(
                    Option(
                        Hanging(Content(LOCKED.rjust(width)), body),
                        id=offer.choice.id,
                        disabled=True,
                    )
                )
        self.set_options(options)
        self.highlighted = None

    def pick(self, number: int) -> bool:
        """Pick the ``number``-th available choice (1-based); False if there is none."""
        if not 1 <= number <= len(self.numbered):
            return False
        self.post_message(ChoicePicked(self.numbered[number - 1]))
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and not event.option.disabled:
            self.post_message(ChoicePicked(event.option.id))

    # The list grows to fit its choices inside the play area's scroll, so moving the cursor
    # must bring the highlighted choice into view there (a list with its own scrollbar would
    # scroll itself). Only the trainee's moves scroll: showing a new scene starts at its top.

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        self.call_after_refresh(self._reveal)

    def action_cursor_up(self) -> None:
        super().action_cursor_up()
        self.call_after_refresh(self._reveal)

    def action_first(self) -> None:
        super().action_first()
        self.call_after_refresh(self._reveal)

    def action_last(self) -> None:
        super().action_last()
        self.call_after_refresh(self._reveal)

    def action_page_up(self) -> None:
        super().action_page_up()
        self.call_after_refresh(self._reveal)

    def action_page_down(self) -> None:
        super().action_page_down()
        self.call_after_refresh(self._reveal)

    def _reveal(self) -> None:
        parent = self.parent
        if self.highlighted is None or not isinstance(parent, ScrollableContainer):
            return
        self._update_lines()
        try:
            y = self._index_to_line[self.highlighted]
            height = self._heights[self.highlighted]
        except (AttributeError, KeyError):  # pragma: no cover - Textual internals moved
            return
        top = self.virtual_region.y + self.styles.gutter.top
        parent.scroll_to_region(
            Region(0, top + y, self.size.width, height), animate=False, immediate=True
        )
