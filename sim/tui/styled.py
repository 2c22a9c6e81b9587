"""A screen whose widgets are styled once before its first paint, not three times.

Textual styles each widget when it is mounted, and then twice more on a new screen: when the
screen's first Resize gives it its breakpoint class (``-narrow``, ``-wide``), and when the
screen's ScreenResume (sent as it is pushed) restyles the whole screen. On a freshly built
screen neither changes a style: the width is known when the screen is built, and nothing
has changed between mounting and resuming. :class:`StyledOnce` gives the screen its width
class while it is built (the Resize then finds it right, and still corrects it if the size
was not known yet) and skips the restyle of its first ScreenResume only; every later resume
(after a dialog closes, say) restyles as usual. On the play screen (about thirty widgets)
this is a third of the styling before the first scene appears.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen


class StyledOnce(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self._resumed = False
        self._frame_owed = False
        preset(self)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (Textual calls each class's in MRO order).
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def _compositor_refresh(self) -> None:
        """Draw no frame the app would drop, and make the next one whole.

        A screen pushed while the app is starting is laid out inside the app's Mount batch;
        Textual draws its first frame all the same, drops it (nothing is written during a
        batch) and forgets what it covered, so the first frame written is a partial update
        (no title, prompt or key bar) and the whole screen appears only with a later full
        refresh. Skipping the dropped frame saves drawing it, and the first frame written
        after the batch is the whole, settled screen."""
        app = self.app
        if self is app.screen and not app.is_inline:
            if getattr(app, "_batch_count", 0):
                self._frame_owed = True
                return
            if self._frame_owed:
                self._frame_owed = False
                self.refresh()
                self._compositor.update_widgets({self})
        super()._compositor_refresh()


def preset(screen: Screen[None]) -> None:
    """Add the horizontal breakpoint class the app's current width calls for."""
    breakpoints = screen.HORIZONTAL_BREAKPOINTS
    if not breakpoints:
        return
    try:
        width = screen.app.size.width
    except RuntimeError:  # no running app (NoActiveAppError): the Resize will set it
        return
    for threshold, name in sorted(breakpoints, reverse=True):
        if width >= threshold:
            screen.add_class(name)
            return
