"""The scene: who is speaking (when the scene says) and the scene's text, shown literally.

A person speaks ("Priya Raman says:"); a source (``source: true``: an email, a report) is
shown as a source line ("Source: Email from regional operations"), never as speech."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from sim.model import Scene
from sim.tui.content import prose, safe


class SceneView(Static):
    """One widget for both (the play screen's first paint lays out and styles fewer)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def show(self, scene: Scene, text: str) -> None:
        """Show ``scene`` with its ``text`` as resolved for the trainee (``Session.say``)."""
        body = Content(prose(text))
        if scene.speaker and scene.source:
            who = Content.assemble(("Source: ", "italic"), safe(scene.speaker, "italic"))
        elif scene.speaker:
            who = Content.assemble(safe(scene.speaker, "bold"), " says:")
        else:
            self.update(body)
            return
        self.update(Content("\n").join([who.stylize("$text-accent"), body]))
