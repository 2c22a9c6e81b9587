"""The simulator app: moves between the library, play and debrief screens.

Screens say what the trainee did (messages in :mod:`sim.tui.messages`); the app alone decides
which screen comes next and creates sessions, always through
:func:`sim.commands.play.make_session` so every session is started (and logged) the same way.
:func:`build_app` is the factory tests use to inject a scenario folder, a seed and so on;
:func:`run_app` is what the command line calls.

Start-up is kept close to a bare Textual app's: screens are imported when first shown, and the
library reads its files in a worker thread after the first paint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from sim.tui import messages as msg

if TYPE_CHECKING:
    import argparse

    from sim.format.diagnostics import Diagnostic
    from sim.model import Scenario
    from sim.sessions.session import Session


@dataclass(frozen=True)
class Options:
    """What the command line (or a test) asks of the simulator."""

    dirs: tuple[Path, ...] = ()
    shipped: bool = True
    seed: int | None = None
    feedback: str | None = None
    assessment: bool = False
    name: str | None = None
    log: Path | None = None
    """Where session logs go (``--log``): a folder, or a new file; None for the default."""
    watch: bool = False
    watch_interval: float = 0.5
    """How often ``--watch`` looks at the file's modification time, in seconds."""
    blink: bool = True
    """Blink the text cursor (snapshot tests switch it off)."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Options:
        return cls(
            dirs=tuple(Path(d) for d in getattr(args, "dir", None) or ()),
            seed=getattr(args, "seed", None),
            feedback=getattr(args, "feedback", None),
            assessment=bool(getattr(args, "assessment", False)),
            name=getattr(args, "name", None),
            log=getattr(args, "log", None),
            watch=bool(getattr(args, "watch", False)),
        )

    def session_args(self, seed: int | None = None) -> argparse.Namespace:
        """The arguments :func:`make_session` reads."""
        import argparse  # not at module level: the app's import stays lean

        return argparse.Namespace(
            seed=self.seed if seed is None else seed,
            feedback=self.feedback,
            assessment=self.assessment,
            name=self.name,
            log=self.log,
            watch=self.watch,
        )


class LeadsimApp(App[int]):
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
        self._file_stamp: tuple[int, int] | None = None

    # -- start --

    def on_mount(self) -> None:
        if self.options.watch and self.scenario_path is not None:
            from sim.tui.watch import stamp

            self._file_stamp = stamp(self.scenario_path)
            self.set_interval(self.options.watch_interval, self._poll, name="watch")
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

    def show_library(self) -> None:
        from sim.tui.screens.library import LibraryScreen

        self.session = None
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                while self.screen is not screen:
                    self.pop_screen()
                return
        library = LibraryScreen(self.options.dirs, self.options.shipped)
        if len(self.screen_stack) > 1:
            self.switch_screen(library)
        else:
            self.push_screen(library)

    def start_scenario(self, scenario: Scenario, seed: int | None = None) -> None:
        from sim.commands.play import make_session

        session = make_session(self.options.session_args(seed), scenario)
        self._hear_log_warnings(session)
        self.open_session(session.begin())

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
        from sim import log

        target = self.options.log
        found = []
        if target is None or Path(target).is_dir():
            try:
                found = log.unfinished(
                    scenario.id,
                    folder=Path(target) if target is not None else None,
                    trainee=self.options.name,
                    seed=self.options.seed,
                    mode="assessment" if self.options.assessment else "practice",
                )
            except OSError:
                found = []
        if not found:
            self.start_scenario(scenario)
            return
        from textual.content import Content

        from sim.commands.resume import describe_unfinished
        from sim.tui.content import safe
        from sim.tui.screens.dialogs import AskScreen

        newest = found[0]
        older = f"\n({len(found) - 1} older ones too; `leadsim sessions` lists them.)"
        question = Content.assemble(
            "You have an unfinished session of ",
            safe(scenario.title, "bold"),
            ":\n",
            safe(describe_unfinished(newest)),
            "." + (older if found[1:] else ""),
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
        from sim.commands.resume import continue_session
        from sim.log import LogError
        from sim.safetext import plain

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
        self.session = session
        self._show(self._screen_for(session))

    def _screen_for(self, session: Session) -> Screen[None]:
        if session.over:
            from sim.tui.screens.debrief import DebriefScreen

            return DebriefScreen(session)
        from sim.tui.screens.play import PlayScreen

        return PlayScreen(session)

    def _show(self, screen: Screen[None]) -> None:
        """Replace the play/debrief screen on top of the library (or push the first one)."""
        from sim.tui.screens.library import LibraryScreen

        if len(self.screen_stack) > 1 and not isinstance(self.screen, LibraryScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # -- watching the scenario file --

    def _poll(self) -> None:
        from sim.tui.watch import stamp

        assert self.scenario_path is not None
        now = stamp(self.scenario_path)
        if now != self._file_stamp:
            self._file_stamp = now
            self.reload()

    @work(thread=True, exclusive=True, group="watch")
    def reload(self) -> None:
        from sim.format import loader

        assert self.scenario_path is not None
        scenario, diagnostics = loader.check(self.scenario_path)
        self.call_from_thread(self._reloaded, scenario, diagnostics)

    def _reloaded(self, scenario: Scenario | None, diagnostics: Sequence[Diagnostic]) -> None:
        from sim.format.diagnostics import errors
        from sim.tui.screens.load_error import LoadErrorScreen, WaitingScreen

        path = str(self.scenario_path)
        if scenario is None:
            problems = errors(diagnostics) or list(diagnostics)
            if isinstance(self.screen, LoadErrorScreen | WaitingScreen):
                self.screen.show(path, problems)
            else:
                self.push_screen(LoadErrorScreen(path, problems))
            return
        if isinstance(self.screen, LoadErrorScreen):
            self.pop_screen()
        old = self.session
        if isinstance(self.screen, WaitingScreen) or old is None:
            if isinstance(self.screen, WaitingScreen):
                self.pop_screen()
            self.start_scenario(scenario)
            return
        if Path(old.scenario.path).resolve() != Path(path).resolve():
            return  # the trainee moved on to another scenario from the library
        self._replace(old, scenario)

    def _replace(self, old: Session, scenario: Scenario) -> None:
        """Carry ``old`` over to the reloaded ``scenario`` and show where it now stands."""
        from sim.commands.play import make_session
        from sim.tui.screens.map import MapScreen
        from sim.tui.watch import carry_over

        new = make_session(self.options.session_args(old.seed), scenario)
        self._hear_log_warnings(new)
        carried = carry_over(old, new.begin())
        if carried == old.step:
            note = f"Reloaded; you are where you were (decision {new.step + 1})."
        else:
            note = (
                f"Reloaded; the scenario changed at decision {carried + 1}, "
                "so you continue from there."
            )
        while isinstance(self.screen, ModalScreen | MapScreen):
            self.pop_screen()
        self.notify(note, title="Scenario reloaded", markup=False)
        self.open_session(new)

    # -- messages from the screens --

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.options.blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False  # type: ignore[attr-defined]

    def on_scenario_picked(self, message: msg.ScenarioPicked) -> None:
        self.scenario_path = message.path
        self.offer_resume(message.scenario)

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

    def on_back_to_library(self, message: msg.BackToLibrary) -> None:
        session = self.session
        if session is None or session.over or session.step == 0:
            self.show_library()
            return
        from textual.content import Content

        from sim.tui.content import safe
        from sim.tui.screens.dialogs import AskScreen

        question = Content.assemble(
            "Leave ",
            safe(session.scenario.title, "bold"),
            " and go back to the library?\nThe session log keeps your place: start the "
            "scenario again to resume it.",
        )

        def answered(answer: str | None) -> None:
            if answer == "leave":
                self.show_library()

        self.push_screen(
            AskScreen("Leave the scenario?", question, [("leave", "Leave"), ("stay", "Stay")]),
            answered,
        )

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

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.session is not None:
            yield SystemCommand(
                "Restart scenario",
                "Play this scenario again from the first scene",
                self.action_restart,
            )
            yield SystemCommand(
                "Quit to library", "Leave this scenario for the library", self.action_library
            )
            yield SystemCommand(
                "Scenario map", "Scenes, endings and where you are", self.action_map
            )
        yield SystemCommand(
            "Toggle theme", "Switch between dark and light", self.action_toggle_theme
        )
        yield SystemCommand("Help", "Keys, meters and styles", self.action_help)


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
