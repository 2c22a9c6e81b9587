"""The top line of every screen: where you are, in words from our code or literal file text.

Textual's ``Header`` would parse a scenario title as markup, so the simulator draws its own.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class TitleBar(Static):
    def __init__(self, title: Content | str = "", info: Content | str = "") -> None:
        super().__init__(id="titlebar", markup=False)
        self.title_text = Content(title) if isinstance(title, str) else title
        self.info_text = Content(info) if isinstance(info, str) else info
        self._show()

    def set(self, title: Content | str | None = None, info: Content | str | None = None) -> None:
        if title is not None:
            self.title_text = Content(title) if isinstance(title, str) else title
        if info is not None:
            self.info_text = Content(info) if isinstance(info, str) else info
        self._show()

    def _show(self) -> None:
        title = Content.assemble(("leadsim", "bold"), "  ", self.title_text)
        if self.info_text:
            title = Content.assemble(title, ("  \N{MIDDLE DOT}  ", "dim"), self.info_text)
        self.update(title)
