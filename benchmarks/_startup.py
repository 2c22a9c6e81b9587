"""Start an app headless and exit as soon as its first interactive screen is on screen.

    python benchmarks/_startup.py bare|leadsim|leadsim-listed

``benchmarks/run.py`` times whole processes of this script (interpreter start, imports,
mount, first paint, exit), so the simulator and the bare app are measured the same way:

* ``bare``: a Textual app of a Static and a Footer, the baseline;
* ``leadsim``: the simulator as ``leadsim`` starts it (the library of shipped scenarios),
  exiting once the library screen is the active screen and everything it posted on mounting
  has been handled;
* ``leadsim-listed``: the same, but also waiting for the library's worker thread to have
  read and listed the shipped scenarios.

Both apps exit from the same auto-pilot hook, at the same point of their first screen.
"""

from __future__ import annotations

import sys
from typing import Any


def bare_app() -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")
            yield Footer()

    return Bare()


def leadsim_app() -> Any:
    from sim.tui.app import Options, build_app

    return build_app(Options())


def main(which: str) -> int:
    app = bare_app() if which == "bare" else leadsim_app()
    wanted = None if which == "bare" else "LibraryScreen"
    wait_for_workers = which == "leadsim-listed"

    async def first_screen(pilot: Any) -> None:
        while wanted is not None and type(pilot.app.screen).__name__ != wanted:
            await pilot.pause()
        await pilot.pause()
        if wait_for_workers:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        pilot.app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=first_screen)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "bare"))
