"""The command palette (Ctrl+P): this app's commands on top of Textual's own."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from textual.app import SystemCommand


class Commands(Protocol):
    """What the palette can ask the app to do."""

    def action_restart(self) -> None: ...
    def action_library(self) -> None: ...
    def action_map(self) -> None: ...
    def action_toggle_theme(self) -> None: ...
    def action_help(self) -> None: ...


def app_commands(app: Commands, in_session: bool) -> Iterable[SystemCommand]:
    """The simulator's own entries; those about a scenario only while one is open."""
    if in_session:
        yield SystemCommand(
            "Restart scenario", "Play this scenario again from the first scene", app.action_restart
        )
        yield SystemCommand(
            "Quit to library", "Leave this scenario for the library", app.action_library
        )
        yield SystemCommand("Scenario map", "Scenes, endings and where you are", app.action_map)
    yield SystemCommand("Toggle theme", "Switch between dark and light", app.action_toggle_theme)
    yield SystemCommand("Keys", "The keys of this simulator, screen by screen", app.action_help)
    yield SystemCommand("Help", "Keys, meters and styles", app.action_help)
