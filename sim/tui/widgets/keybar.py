"""The bottom line: the keys that work here and now, each clickable.

Textual's ``Footer`` rebuilds a widget per key whenever the bindings change, which on the play
screen is every decision (the choices give way to the feedback and back) and cost more than
the rest of the repaint together (see benchmarks/keypress.py). This bar draws the same
information as one line of text and redraws only when the keys on offer actually change.
"""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Static

Key = tuple[str, str, str]  # (key to simulate, key as shown, description)


class KeyBar(Static):
    def __init__(self) -> None:
        super().__init__(id="keybar", markup=False)
        self.auto_links = False  # keys are clickable, but drawn as keys, not as links
        self._shown: tuple[Key, ...] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        keys: list[Key] = []
        actions: set[str] = set()
        palette: Key | None = None
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = (key, self.app.get_key_display(binding), "commands")
                continue
            if not binding.show or not active.enabled or binding.action in actions:
                continue
            actions.add(binding.action)
            keys.append((key, self.app.get_key_display(binding), binding.description))
        if palette is not None:
            keys.append(palette)
        shown = tuple(keys)
        if shown != self._shown:
            self._shown = shown
            self.update(self._draw(shown))

    def _draw(self, keys: tuple[Key, ...]) -> Content:
        parts = []
        for key, display, description in keys:
            part = Content.assemble(
                (f" {display} ", "bold $footer-key-foreground"), (f"{description} ", "")
            )
            parts.append(part.stylize(Style.from_meta({"@click": f"app.simulate_key({key!r})"})))
        return Content(" ").join(parts)
