"""The scene: who is speaking (when the scene says) and the scene's text, shown literally.

A person speaks ("Priya Raman says:"); a source (``source: true``: an email, a report) is
shown as a source line ("Source: Email from regional operations"), never as speech."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from sim.model import Scene
from sim.tui.content import prose, safe


class SceneView(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="speaker")
        yield Static(id="scene-text")

    def show(self, scene: Scene, text: str) -> None:
        """Show ``scene`` with its ``text`` as resolved for the trainee (``Session.say``)."""
        speaker = self.query_one("#speaker", Static)
        speaker.display = bool(scene.speaker)
        if scene.speaker and scene.source:
            speaker.update(Content.assemble(("Source: ", "italic"), safe(scene.speaker, "italic")))
        elif scene.speaker:
            speaker.update(Content.assemble(safe(scene.speaker, "bold"), " says:"))
        self.query_one("#scene-text", Static).update(Content(prose(text)))
