"""``--watch``: notice a saved scenario file, and carry the trainee's place over to it.

Watching is polling the file's modification time and size (no new dependency, and it works
the same on every platform and network drive); the app does the polling with a timer and
the loading in a worker. This module holds the two decisions a reader could question:
what counts as "changed", and how far a session survives an edit.

After each reload that loads, the deep analysis (:func:`sim.analysis.lint.lint`: softlocks,
unreachable scenes, ...) runs in a second worker thread, so play never waits for it, and
the warnings and errors the previous version did not have appear as one notification.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.screen import ModalScreen

from sim.tui.flow import SessionFlow

if TYPE_CHECKING:
    from sim.format.diagnostics import Diagnostic
    from sim.model import Scenario
    from sim.sessions.session import Session

Stamp = tuple[int, int] | None


def stamp(path: Path) -> Stamp:
    """What changes when an editor saves: modification time (ns) and size; None if missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def carry_over(old: Session, new: Session) -> int:
    """Replay ``old``'s decisions on ``new`` (a fresh session of the edited scenario with the
    same seed) for as long as they still apply: the decision's scene is where the new session
    stands and its choice is still offered. Reflections come along with their decisions and
    the earlier runs are kept. Returns how many decisions were carried over."""
    carried = 0
    for decision in old.decisions():
        if new.over or new.state.scene != decision.scene:
            break
        offered = {o.choice.id for o in new.offers() if o.available}
        if decision.choice not in offered:
            break
        new.choose(decision.choice)
        carried += 1
        if decision.step in old.reflections:
            new.reflect(old.reflections[decision.step])
    new.branches.extend(old.branches)
    return carried


ANNOUNCED = 3
"""Most new findings listed in one notification; the rest are counted."""


def finding(d: Diagnostic) -> tuple[str, str]:
    """What identifies a deep finding across edits: its code and message, not its line
    (adding a line above a softlock does not make it a new one)."""
    return (d.code, d.message)


def news(found: Sequence[Diagnostic], known: set[tuple[str, str]] | None) -> list[Diagnostic]:
    """The warnings and errors in ``found`` that ``known`` (the last analysis) did not have."""
    return [d for d in found if d.severity != "note" and finding(d) not in (known or set())]


class WatchingApp(SessionFlow):
    """The part of the app that polls the scenario file (a timer), reloads it (a worker) and
    analyses each version that loads (another worker)."""

    _file_stamp: Stamp = None
    _known_findings: set[tuple[str, str]] | None = None

    def start_watching(self, interval: float) -> None:
        assert self.scenario_path is not None
        self._file_stamp = stamp(self.scenario_path)
        self.set_interval(interval, self._poll, name="watch")
        self.analyse(None, announce=False)  # what the file has now is not news

    @work(thread=True, exclusive=True, group="watch-analysis")
    def analyse(self, scenario: Scenario | None, announce: bool) -> None:
        """Run the deep analysis of ``scenario`` (or of the file, when None) off the UI
        thread; a newer reload's analysis replaces one still running."""
        from textual.worker import get_current_worker

        from sim.analysis import lint
        from sim.format import loader

        if scenario is None:
            assert self.scenario_path is not None
            scenario = loader.check(self.scenario_path)[0]
            if scenario is None:
                return
        found = lint.lint(scenario)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._analysed, found, announce)

    def _analysed(self, found: list[Diagnostic], announce: bool) -> None:
        new = news(found, self._known_findings)
        self._known_findings = {finding(d) for d in found if d.severity != "note"}
        if not announce or not new:
            return
        from sim.safetext import plain

        lines = [f"line {d.line}: {plain(d.message)} [{d.code}]" for d in new[:ANNOUNCED]]
        if len(new) > ANNOUNCED:
            lines.append(f"and {len(new) - ANNOUNCED} more: run leadsim validate")
        errors = any(d.severity == "error" for d in new)
        self.notify(
            "\n".join(lines),
            title=f"New {'problems' if errors else 'warnings'} in the edited scenario",
            severity="error" if errors else "warning",
            timeout=15,
            markup=False,
        )

    def _poll(self) -> None:
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
        from sim.tui.screens.load_error import LoadErrorScreen, WaitingScreen

        path = str(self.scenario_path)
        if scenario is None:
            problems = [d for d in diagnostics if d.severity == "error" or d.code == "LS005"]
            problems = problems or list(diagnostics)
            if isinstance(self.screen, LoadErrorScreen | WaitingScreen):
                self.screen.show(path, problems)
            else:
                self.push_screen(LoadErrorScreen(path, problems))
            return
        if isinstance(self.screen, LoadErrorScreen):
            self.pop_screen()
        self.analyse(scenario, announce=True)
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
        from sim.sessions.lifecycle import make_session
        from sim.tui.screens.map import MapScreen

        new = make_session(scenario, self.options.request(old.seed))
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
