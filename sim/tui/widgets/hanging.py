"""A lead (such as ``3. ``) followed by text that wraps under itself, not under the lead.

Textual wraps text back to the left edge; for a numbered list that hides the numbers in a
wall of words. :class:`Hanging` renders the body one indent narrower and puts the lead in
front of its first line, so long choices wrap into a readable block and are never clipped.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class Hanging(Visual):
    def __init__(self, lead: Content, body: Content, indent: int | None = None) -> None:
        self.lead = lead
        self.body = body
        self.indent = max(indent if indent is not None else cell_len(lead.plain), 0)

    def __str__(self) -> str:
        return self.lead.plain + self.body.plain

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        inner = max(width - self.indent, 1)
        body = self.body.render_strips(inner, None, style, options)
        lead = self.lead.render_strips(self.indent, 1, style, options) if self.indent else []
        rich_style = style.rich_style
        blank = Strip.blank(self.indent, rich_style)
        strips = []
        for i, strip in enumerate(body or [Strip.blank(inner, rich_style)]):
            prefix = lead[0] if i == 0 and lead else blank
            strips.append(Strip.join([prefix.adjust_cell_length(self.indent, rich_style), strip]))
        return strips[:height] if height is not None else strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.body.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.indent + self.body.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return max(self.body.get_height(rules, max(width - self.indent, 1)), 1)
