"""The simulator app: moves between the library, play and debrief screens.

Screens say what the trainee did (messages in :mod:`sim.tui.messages`); the app alone decides
which screen comes next. It is built in three layers of one class, one idea each: the session
flow (:mod:`sim.tui.flow`: library, start, resume, show), watching the scenario file
(:mod:`sim.tui.watch`), and here the keys, messages and the command palette
(:mod:`sim.tui.palette`). :func:`build_app` is the factory tests use to inject a scenario
folder, a seed and so on; :func:`run_app` is what the command line calls.

Start-up is kept close to a bare Textual app's: screens are imported when first shown (a short
block at the top of the method that shows them), and the library reads its files in a worker
thread after the first paint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from sim.tui import messages as msg
from sim.tui import startup
from sim.tui.options import Options
from sim.tui.palette import app_commands
from sim.tui.watch import WatchingApp

if TYPE_CHECKING:
    import argparse

    from sim.format.diagnostics import Diagnostic
    from sim.model import Scenario
    from sim.sessions.session import Session


class LeadsimApp(WatchingApp):
    CSS_PATH = "app.tcss"
    TITLE = "leadsim"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        # F1 is shown because it works everywhere; "?" types into the library's filter.
        Binding("f1", "help", "Help", key_display="F1"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]

    def __init__(
        self,
        options: Options = Options(),
        scenario_path: Path | None = None,
        session: Session | None = None,
        scenario: Scenario | None = None,
        load_errors: Sequence[Diagnostic] = (),
    ) -> None:
        super().__init__()
        self.options = options
        self.scenario_path = scenario_path
        self.initial_session = session
        self.initial_scenario = scenario
        self.initial_errors = tuple(load_errors)
        self.session: Session | None = None

    # -- start --

    def on_mount(self) -> None:
        self.call_after_refresh(startup.release)  # after the first screen's first paint
        if self.options.watch and self.scenario_path is not None:
            self.start_watching(self.options.watch_interval)
        if self.initial_errors and self.scenario_path is not None:
            from sim.tui.screens.load_error import WaitingScreen

            self.push_screen(WaitingScreen(str(self.scenario_path), self.initial_errors))
        elif self.initial_session is not None:
            self.scenario_path = self.scenario_path or _path_of(self.initial_session.scenario)
            self._hear_log_warnings(self.initial_session)
            self.open_session(self.initial_session)
        elif self.initial_scenario is not None:
            self.offer_resume(self.initial_scenario)
        else:
            self.show_library()

    # -- messages from the screens --

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.options.blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False  # type: ignore[attr-defined]

    def on_scenario_picked(self, message: msg.ScenarioPicked) -> None:
        self.scenario_path = message.path
        self.offer_resume(message.scenario)

    def on_cohort_asked(self, message: msg.CohortAsked) -> None:
        from sim.log import sessions_dir
        from sim.log.format import SUFFIX
        from sim.tui.screens.cohort import CohortScreen

        log = self.options.log
        self.push_screen(CohortScreen(log if log and log.suffix != SUFFIX else sessions_dir()))

    def on_play_finished(self, message: msg.PlayFinished) -> None:
        if self.session is not None:
            self.open_session(self.session)

    def on_play_again(self, message: msg.PlayAgain) -> None:
        self.action_restart()

    def on_rewind_to(self, message: msg.RewindTo) -> None:
        from sim.sessions.session import RewindNotAllowed

        if self.session is None:
            return
        try:
            self.session.rewind(message.step)
        except RewindNotAllowed:
            self.notify("Going back is switched off in an assessment.", markup=False)
            return
        self.open_session(self.session)

    def on_rewind_asked(self, message: msg.RewindAsked) -> None:
        self.action_rewind()

    def on_back_to_library(self, message: msg.BackToLibrary) -> None:
        session = self.session
        if session is None or session.over or session.step == 0:
            self.show_library()
            return
        from textual.content import Content

        from sim.tui.content import safe
        from sim.tui.screens.dialogs import AskScreen

        if session.mode == "assessment":
            title = "Leave the assessment?"
            question = Content.assemble(
                "Leave ",
                safe(session.scenario.title, "bold"),
                " before its ending?\n",
                ("This attempt will count as abandoned: ", "bold"),
                "the log records it, your trainer sees it, and it cannot be resumed.",
            )
            # Stay first: a stray Enter must not abandon the attempt.
            answers = [("stay", "Stay"), ("leave", "Leave and abandon this attempt")]
        else:
            title = "Leave the scenario?"
            question = Content.assemble(
                "Leave ",
                safe(session.scenario.title, "bold"),
                " and go back to the library?\nThe session log keeps your place: start the "
                "scenario again to resume it.",
            )
            answers = [("leave", "Leave"), ("stay", "Stay")]

        def answered(answer: str | None) -> None:
            if answer == "leave":
                session.abandon()  # only an assessment records it
                self.show_library()

        self.push_screen(AskScreen(title, question, answers), answered)

    # -- actions (keys and the command palette) --

    def action_help(self) -> None:
        from sim.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.session.scenario if self.session else None))

    def action_restart(self) -> None:
        """Play the current scenario again from the first scene (same seed)."""
        from sim.sessions.session import RewindNotAllowed

        session = self.session
        if session is None:
            self.notify("Pick a scenario first.", markup=False)
            return
        try:
            session.restart()
        except RewindNotAllowed:
            self.notify(
                "Restarting is switched off in an assessment.", severity="warning", markup=False
            )
            return
        self.open_session(session)

    def action_rewind(self) -> None:
        if self.session is None or self.session.step == 0:
            return
        if self.session.mode == "assessment":
            self.notify("Going back is switched off in an assessment.", markup=False)
            return
        from sim.tui.screens.dialogs import RewindScreen

        def picked(step: int | None) -> None:
            if step is not None:
                self.post_message(msg.RewindTo(step))

        self.push_screen(RewindScreen(self.session), picked)

    def action_library(self) -> None:
        self.post_message(msg.BackToLibrary())

    def action_map(self) -> None:
        if self.session is None:
            return
        from sim.tui.screens.map import MapScreen

        if not isinstance(self.screen, MapScreen):
            self.push_screen(MapScreen(self.session))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_show_help_panel(self) -> None:
        """Textual's generic key panel would list its own widgets' keys: show ours."""
        self.action_help()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # ours (in app_commands) shows this app's keys
                yield command
        yield from app_commands(self, in_session=self.session is not None)


def _path_of(scenario: Scenario) -> Path | None:
    return Path(scenario.path) if scenario.path and Path(scenario.path).is_file() else None


def build_app(
    options: Options = Options(),
    scenario_path: Path | None = None,
    session: Session | None = None,
) -> LeadsimApp:
    """The app for ``options``: on ``session`` if given, else straight into the scenario at
    ``scenario_path``, else the library. Raises :class:`ScenarioError` when the scenario
    cannot be loaded, unless ``options.watch``: then the app shows the problems and waits
    for the file to be fixed."""
    from sim.format.diagnostics import ScenarioError

    scenario = None
    problems: Sequence[Diagnostic] = ()
    if session is None and scenario_path is not None:
        from sim.format import loader

        try:
            scenario = loader.load(scenario_path)
        except ScenarioError as e:
            if not options.watch:
                raise
            problems = e.diagnostics
    return LeadsimApp(options, scenario_path, session, scenario, problems)


def run_app(
    args: argparse.Namespace, scenario_path: Path | None, session: Session | None = None
) -> int:
    """Run the simulator for the command line; returns the exit code."""

    options = Options.from_args(args)
    if session is not None:
        # `leadsim resume LOG` passes the log it continues as args.log; new sessions started
        # from the library go to the default folder.
        options = replace(options, log=None)
    app = build_app(options, scenario_path, session)  # a ScenarioError: see cli.main
    app.run()
    return app.return_code or 0
