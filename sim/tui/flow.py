"""The simulator's session flow: the library, starting a scenario (after offering to resume an
unfinished session), resuming, and showing a session's play or debrief screen.

Every session is started through :func:`sim.sessions.lifecycle.make_session` and resumed
through :func:`sim.sessions.lifecycle.continue_session`, as the text player and the commands
do. Screens are imported when first shown, to keep start-up close to a bare Textual app's.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.screen import Screen

if TYPE_CHECKING:
    from sim.model import Scenario
    from sim.sessions.session import Session
    from sim.tui.options import Options


class SessionFlow(App[int]):
    """The part of the app that moves between the library and a session's screens."""

    options: Options
    scenario_path: Path | None
    session: Session | None

    def show_library(self) -> None:
        from sim.tui.screens.library import LibraryScreen

        self.let_go(None)
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                while self.screen is not screen:
                    self.pop_screen()
                return
        log = self.options.log
        logs = log if log is not None and log.suffix != ".jsonl" else None  # a folder of logs
        library = LibraryScreen(self.options.dirs, self.options.shipped, self.options.name, logs)
        if len(self.screen_stack) > 1:
            self.switch_screen(library)
        else:
            self.push_screen(library)

    def let_go(self, session: Session | None) -> None:
        """Make ``session`` the current one, closing the log of the one it replaces: its
        writer's lock is released, so the trainee can resume that session at once."""
        old, self.session = getattr(self, "session", None), session
        if old is not None and old is not session:
            close = getattr(old.recorder, "close", None)
            if callable(close):
                close()

    def on_unmount(self) -> None:
        self.let_go(None)

    def start_scenario(self, scenario: Scenario, seed: int | None = None) -> None:
        from sim.sessions.lifecycle import make_session

        session = make_session(scenario, self.options.request(seed), log_later=True)
        self._hear_log_warnings(session)
        self.open_session(session.begin())
        # The log is created once the first scene is on screen; a decision made before
        # that creates it first (sim/sessions/later.py).
        self.call_after_refresh(self._open_log, session)

    def _open_log(self, session: Session) -> None:
        open_log = getattr(session.recorder, "open", None)
        if callable(open_log):
            open_log()

    def _hear_log_warnings(self, session: Session) -> None:
        """Show the session log's warnings (a full disk, say) as notifications: printed to
        stderr they would scribble over the screen."""
        recorder = session.recorder
        if recorder is not None and hasattr(recorder, "warn"):
            recorder.warn = self._log_warning

    def _log_warning(self, message: str) -> None:
        from sim.safetext import plain

        self.notify(
            plain(message), title="Session log", severity="warning", timeout=12, markup=False
        )

    def offer_resume(self, scenario: Scenario) -> None:
        """Before a new session of ``scenario`` (from the command line or the library): if an
        unfinished one exists (same trainee, mode, and seed if one was given), ask whether to
        resume it, as `play --text` does."""
        from sim.sessions.lifecycle import unfinished_for

        found = unfinished_for(scenario, self.options.request())
        if not found:
            self.start_scenario(scenario)
            return
        from textual.content import Content

        from sim.sessions.lifecycle import describe_unfinished
        from sim.tui.content import safe
        from sim.tui.screens.dialogs import AskScreen

        newest = found[0]  # only the latest: older ones are listed by `leadsim sessions`
        question = Content.assemble(
            "You have an unfinished session of ",
            safe(scenario.title, "bold"),
            ":\n",
            safe(describe_unfinished(newest)),
            ".",
        )

        def answered(answer: str | None) -> None:
            if answer == "resume":
                self.resume(newest.path, scenario)
            else:
                self.start_scenario(scenario)

        self.push_screen(
            AskScreen(
                "Resume?",
                question,
                [("resume", "Resume where I stopped"), ("new", "Start a new session")],
            ),
            answered,
        )

    def resume(self, path: Path, scenario: Scenario) -> None:
        from sim.log import LogError
        from sim.safetext import plain
        from sim.sessions.lifecycle import continue_session

        try:
            session, notes = continue_session(
                path, Path(scenario.path) if scenario.path else None, list(self.options.dirs)
            )
        except LogError as e:
            self.notify(
                plain(e.format()) + "\nStarting a new session instead.",
                severity="error",
                markup=False,
            )
            self.start_scenario(scenario)
            return
        for note in notes:
            self.notify(plain(note), markup=False)
        self._hear_log_warnings(session)
        self.open_session(session)

    def open_session(self, session: Session) -> None:
        """Show ``session``: its debrief if it has ended, else its current scene."""
        self.let_go(session)
        self._show(self._screen_for(session))

    def _screen_for(self, session: Session) -> Screen[None]:
        if session.over:
            from sim.tui.screens.debrief import DebriefScreen

            return DebriefScreen(session)
        from sim.tui.screens.play import PlayScreen

        return PlayScreen(session, settle=self.options.settle)

    def _show(self, screen: Screen[None]) -> None:
        """Replace the play/debrief screen on top of the library (or push the first one)."""
        if len(self.screen_stack) > 1 and not _is_library(self.screen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)


def _is_library(screen: Screen[object]) -> bool:
    """Whether ``screen`` is the library, without importing the library's module (and its
    widgets) when it was never loaded: `leadsim play X` starts without it."""
    module = sys.modules.get("sim.tui.screens.library")
    return module is not None and isinstance(screen, module.LibraryScreen)
